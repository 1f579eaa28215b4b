"""COST-COMPUTE-001: running task/instance counts far above what the load needs."""

from __future__ import annotations

import math
from collections.abc import Iterator

from cloudwright.design.model import Design
from cloudwright.review.context import Fix, Outcome, ReviewContext
from cloudwright.review.registry import check

#: Capacity above this multiple of the need (load plus redundancy) is reported.
FACTOR = 2.0


def _per_unit() -> dict[str, float]:
    """Requests per second one unit carries, from the sizing rules (documented assumptions there)."""
    from cloudwright.design import sizing

    return {
        "AWS::ECS::Service": float(sizing.FARGATE_RPS_PER_TASK),
        "AWS::AutoScaling::AutoScalingGroup": float(sizing.EC2_RPS_PER_INSTANCE),
    }


def _set(rid: str, prop: str, value: int) -> Fix:
    def fix(design: Design) -> None:
        design[rid].properties[prop] = value

    return fix


@check(
    id="COST-COMPUTE-001",
    title="Running capacity matches the load",
    severity="medium",
    types=["AWS::ECS::Service", "AWS::AutoScaling::AutoScalingGroup"],
    rationale="Tasks and instances are billed every hour they run. More than twice what the peak load and "
    "the redundancy minimum need (one per AZ in prod) is idle capacity; auto scaling adds it back when "
    "needed.",
    remediation="Lower DesiredCount / DesiredCapacity to the computed need and let target-tracking auto "
    "scaling (CPU 70%) add capacity at peak.",
    references=["COST06-BP03", "COST09-BP03", "SUS02-BP01"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    peak = ctx.peak_rps()
    if peak is None:
        return
    per_unit = _per_unit()
    azs = max(1, len(ctx.design_azs()))
    floor = max(2, azs) if ctx.is_prod else 1
    for r in ctx.resources(*per_unit):
        prop = "DesiredCount" if r.type == "AWS::ECS::Service" else "DesiredCapacity"
        running = ctx.as_number(r.prop(prop))
        if running is None and r.type == "AWS::AutoScaling::AutoScalingGroup":
            prop, running = "MinSize", ctx.as_number(r.prop("MinSize"))
        if running is None:
            yield ctx.unknown(r.logical_id, f"{prop} cannot be resolved")
            continue
        need = max(floor, math.ceil(peak / per_unit[r.type]))
        if running > FACTOR * need:
            yield ctx.fail(
                r.logical_id,
                f"{prop} is {running:g} for a need of {need} (peak ≈{peak:,.0f} rps ÷ "
                f"{per_unit[r.type]:g} rps per unit, at least {floor})",
                prop,
                fix=_set(r.logical_id, prop, need),
            )
        else:
            yield ctx.ok(r.logical_id)
