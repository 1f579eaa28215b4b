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


def _websocket_need(ctx: ReviewContext) -> tuple[int, str] | None:
    """Tasks that hold WebSocket connections are sized on connections and messages (design assumptions
    written by the builder), not on requests per second."""
    from cloudwright.design import sizing

    conns = ctx.as_number(ctx.design.assumptions.get("websocket_peak_connections"))
    msgs = ctx.as_number(ctx.design.assumptions.get("websocket_peak_messages_per_s"))
    if conns is None and msgs is None:
        return None
    need = max(
        math.ceil((conns or 0) / sizing.WS_CONNECTIONS_PER_TASK),
        math.ceil((msgs or 0) / sizing.WS_MESSAGES_PER_TASK),
    )
    return need, (
        f"peak {conns or 0:,.0f} WebSocket connections ÷ {sizing.WS_CONNECTIONS_PER_TASK:,} and "
        f"{msgs or 0:,.0f} messages/s ÷ {sizing.WS_MESSAGES_PER_TASK:,} per task"
    )


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
        basis = f"peak ≈{peak:,.0f} rps ÷ {per_unit[r.type]:g} rps per unit, at least {floor}"
        sockets = _websocket_need(ctx) if r.type == "AWS::ECS::Service" else None
        if sockets is not None and sockets[0] > need:
            need, basis = sockets
        if running > FACTOR * need:
            yield ctx.fail(
                r.logical_id,
                f"{prop} is {running:g} for a need of {need} ({basis})",
                prop,
                fix=_set(r.logical_id, prop, need),
            )
        else:
            yield ctx.ok(r.logical_id)
