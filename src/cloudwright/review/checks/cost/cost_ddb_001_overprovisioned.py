"""COST-DDB-001: DynamoDB provisioned capacity far above the load."""

from __future__ import annotations

import math
from collections.abc import Iterator

from cloudwright.design.model import Design
from cloudwright.review.checks.perf._load import per_second_peak
from cloudwright.review.context import Fix, Outcome, ReviewContext
from cloudwright.review.registry import check
from cloudwright.units import JsonValue

#: Capacity above this multiple of the peak need is reported (the fix keeps 20% headroom).
FACTOR = 2.0
HEADROOM = 1.2


def _resize(tid: str, wcu: int, rcu: int) -> Fix:
    def fix(design: Design) -> None:
        props = design[tid].properties
        current = props.get("ProvisionedThroughput")
        pt: dict[str, JsonValue] = current if isinstance(current, dict) else {}
        props["ProvisionedThroughput"] = pt
        pt["WriteCapacityUnits"], pt["ReadCapacityUnits"] = wcu, rcu

    return fix


@check(
    id="COST-DDB-001",
    title="DynamoDB provisioned capacity matches the load",
    severity="medium",
    types=["AWS::DynamoDB::Table"],
    rationale="Provisioned read/write capacity is billed per hour whether used or not; more than twice the "
    "peak "
    "need is money spent on idle capacity.",
    remediation="Lower ProvisionedThroughput to the peak need plus headroom with auto scaling, or switch to "
    "on-demand (PAY_PER_REQUEST) for spiky or small loads.",
    references=["COST06-BP03", "COST09-BP03", "SUS02-BP01"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for t in ctx.resources("AWS::DynamoDB::Table"):
        if ctx.resolve(t.prop("BillingMode", "PROVISIONED")) != "PROVISIONED":
            continue
        wcu = ctx.as_number(t.prop("ProvisionedThroughput.WriteCapacityUnits"))
        rcu = ctx.as_number(t.prop("ProvisionedThroughput.ReadCapacityUnits"))
        w_need = per_second_peak(ctx, t, "monthly_write_request_units")
        r_need = per_second_peak(ctx, t, "monthly_read_request_units")
        if None in (wcu, rcu, w_need, r_need):
            yield ctx.unknown(t.logical_id, "capacity or usage (monthly_*_request_units) unknown")
            continue
        assert wcu is not None and rcu is not None and w_need is not None and r_need is not None
        if wcu > FACTOR * max(w_need, 1) or rcu > FACTOR * max(r_need, 1):
            new_w, new_r = max(1, math.ceil(w_need * HEADROOM)), max(1, math.ceil(r_need * HEADROOM))
            yield ctx.fail(
                t.logical_id,
                f"provisioned {wcu:g} WCU / {rcu:g} RCU for a peak need of ≈{w_need:.1f} / ≈{r_need:.1f}",
                "ProvisionedThroughput",
                fix=_resize(t.logical_id, new_w, new_r),
            )
        else:
            yield ctx.ok(t.logical_id)
