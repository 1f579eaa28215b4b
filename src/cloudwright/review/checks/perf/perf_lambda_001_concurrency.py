"""PERF-LAMBDA-001: Lambda concurrency below the load the function must carry."""

from __future__ import annotations

import math
from collections.abc import Iterator

from cloudwright.design.model import Design
from cloudwright.review.checks.perf._load import default_quota, per_second_peak
from cloudwright.review.context import Fix, Outcome, ReviewContext
from cloudwright.review.registry import check


def _set_reserved(fn_id: str, value: int) -> Fix:
    def fix(design: Design) -> None:
        design[fn_id].properties["ReservedConcurrentExecutions"] = value

    return fix


@check(
    id="PERF-LAMBDA-001",
    title="Lambda concurrency covers the peak load",
    severity="high",
    types=["AWS::Lambda::Function"],
    rationale="Concurrency needed = peak invocations per second × duration in seconds (Little's law). A "
    "reserved "
    "concurrency (or the account's default concurrency quota) below that throttles requests at peak.",
    remediation="Raise ReservedConcurrentExecutions to the computed need (or remove it), request a higher "
    "account "
    "concurrency quota, or shorten the function's duration.",
    references=["PERF02-BP01", "REL01-BP01", "checkov:CKV_AWS_115"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    account = default_quota("lambda.concurrent_executions")
    for fn in ctx.resources("AWS::Lambda::Function"):
        rate = per_second_peak(ctx, fn, "monthly_requests")
        dur = fn.usage.get("request_duration_ms")
        if rate is None or not isinstance(dur, int | float):
            yield ctx.unknown(fn.logical_id, "monthly_requests / request_duration_ms usage not given")
            continue
        need = rate * float(dur) / 1000
        reserved = ctx.as_number(fn.prop("ReservedConcurrentExecutions"))
        limit, what = (
            (reserved, "reserved concurrency") if reserved is not None else (account, "account quota")
        )
        if limit is None:
            yield ctx.unknown(fn.logical_id, "concurrency limit unknown")
        elif need > limit:
            yield ctx.fail(
                fn.logical_id,
                f"needs ≈{need:,.0f} concurrent executions at peak but the {what} is {limit:,.0f}",
                "ReservedConcurrentExecutions",
                fix=_set_reserved(fn.logical_id, math.ceil(need)) if reserved is not None else None,
            )
        else:
            yield ctx.ok(fn.logical_id)
