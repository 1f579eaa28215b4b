"""SUS-SCALE-001: production capacity that never scales with demand."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="SUS-SCALE-001",
    title="Production capacity scales with demand",
    severity="low",
    types=["AWS::ECS::Service", "AWS::DynamoDB::Table", "AWS::AutoScaling::AutoScalingGroup"],
    environments=["prod"],
    rationale="Capacity sized for the peak and left running at night wastes money and energy; demand-driven "
    "scaling keeps utilisation high.",
    remediation="Add Application Auto Scaling (ECS desired count, DynamoDB provisioned capacity) or a target "
    "tracking policy for the Auto Scaling group; or use on-demand billing.",
    references=["SUS02-BP01", "COST09-BP03", "PERF02-BP05"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    targets = ctx.resources("AWS::ApplicationAutoScaling::ScalableTarget")

    def scaled(rid: str) -> bool:
        return any(rid in ctx.design.references(t) for t in targets)

    for svc in ctx.resources("AWS::ECS::Service"):
        yield (
            ctx.ok(svc.logical_id)
            if scaled(svc.logical_id)
            else ctx.fail(
                svc.logical_id, "no Application Auto Scaling target for the service's desired count"
            )
        )
    for t in ctx.resources("AWS::DynamoDB::Table"):
        if ctx.resolve(t.prop("BillingMode", "PROVISIONED")) != "PROVISIONED":
            continue
        yield (
            ctx.ok(t.logical_id)
            if scaled(t.logical_id)
            else ctx.fail(t.logical_id, "provisioned capacity without auto scaling")
        )
    policies = ctx.resources("AWS::AutoScaling::ScalingPolicy")
    for asg in ctx.resources("AWS::AutoScaling::AutoScalingGroup"):
        has = any(ctx.ref_target(p.prop("AutoScalingGroupName")) == asg.logical_id for p in policies)
        lo, hi = ctx.as_number(asg.prop("MinSize")), ctx.as_number(asg.prop("MaxSize"))
        if has or (lo is not None and lo == hi == 1):
            yield ctx.ok(asg.logical_id)
        else:
            yield ctx.fail(asg.logical_id, "no scaling policy for the Auto Scaling group")
