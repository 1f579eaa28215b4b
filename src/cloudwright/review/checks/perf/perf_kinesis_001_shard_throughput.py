"""PERF-KINESIS-001: provisioned shards below the ingest load."""

from __future__ import annotations

import math
from collections.abc import Iterator

from cloudwright.design.model import Design
from cloudwright.review.checks.perf._load import per_second_peak
from cloudwright.review.context import Fix, Outcome, ReviewContext
from cloudwright.review.facts import services
from cloudwright.review.registry import check


def shards_needed(ctx: ReviewContext, records_per_s: float, record_kb: float) -> int:
    lim = services()["kinesis_shard"]
    by_records = records_per_s / float(lim["records_per_second"])
    by_bytes = records_per_s * record_kb / 1024 / float(lim["mb_per_second"])
    return max(1, math.ceil(max(by_records, by_bytes)))


def _set_shards(sid: str, n: int) -> Fix:
    def fix(design: Design) -> None:
        design[sid].properties["ShardCount"] = n

    return fix


@check(
    id="PERF-KINESIS-001",
    title="Kinesis shards carry the peak ingest",
    severity="high",
    types=["AWS::Kinesis::Stream"],
    rationale="Each provisioned shard accepts 1,000 records or 1 MB per second; above that producers get "
    "ProvisionedThroughputExceeded and data is delayed or lost.",
    remediation="Set ShardCount to the computed need (or use on-demand mode) and pick a partition key with "
    "enough distinct values to spread load.",
    references=[
        "PERF02-BP01",
        "REL01-BP01",
        "https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for s in ctx.resources("AWS::Kinesis::Stream"):
        if ctx.resolve(s.prop("StreamModeDetails.StreamMode")) == "ON_DEMAND":
            yield ctx.ok(s.logical_id)
            continue
        rate = per_second_peak(ctx, s, "monthly_put_records")
        size = s.usage.get("average_record_size_kb")
        shards = ctx.as_number(s.prop("ShardCount", 1))
        if rate is None or not isinstance(size, int | float) or shards is None:
            yield ctx.unknown(
                s.logical_id, "monthly_put_records / average_record_size_kb / ShardCount unknown"
            )
            continue
        need = shards_needed(ctx, rate, float(size))
        if need > shards:
            yield ctx.fail(
                s.logical_id,
                f"peak ≈{rate:,.0f} records/s of {size:g} KB needs {need} shards; ShardCount is {shards:g}",
                "ShardCount",
                fix=_set_shards(s.logical_id, need),
            )
        else:
            yield ctx.ok(s.logical_id)
