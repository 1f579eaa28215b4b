"""REL-ELB-001: a load balancer whose targets are one instance/task or sit in one AZ."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.availability import az_count
from cloudwright.review.context import Outcome, ReviewContext, as_list
from cloudwright.review.registry import check


def _targets(ctx: ReviewContext, tg_id: str) -> tuple[float, int | None] | None:
    """(minimum capacity, AZs) behind a target group, None when nothing is registered."""
    cap = 0.0
    azs: set[str] = set()
    found = False
    span: int | None = 0
    for svc in ctx.resources("AWS::ECS::Service"):
        lbs = as_list(svc.prop("LoadBalancers"))
        if any(isinstance(lb, dict) and ctx.ref_target(lb.get("TargetGroupArn")) == tg_id for lb in lbs):
            found = True
            cap += ctx.as_number(svc.prop("DesiredCount")) or 1
            n = az_count(ctx, svc)
            span = None if n is None or span is None else max(span, n)
    for asg in ctx.resources("AWS::AutoScaling::AutoScalingGroup"):
        if any(ctx.ref_target(t) == tg_id for t in as_list(asg.prop("TargetGroupARNs"))):
            found = True
            cap += ctx.as_number(asg.prop("MinSize")) or 0
            n = az_count(ctx, asg)
            span = None if n is None or span is None else max(span, n)
    tg = ctx.get(tg_id)
    targets = tg.prop_list("Targets") if tg is not None else []
    if targets:
        found = True
        cap += len(targets)
        ids = {ctx.ref_target(t.get("Id")) for t in targets if isinstance(t, dict)}
        for iid in ids:
            inst = ctx.get(iid or "")
            if inst is not None:
                sub = ctx.get(ctx.ref_target(inst.prop("SubnetId")) or "")
                az = ctx.subnet_az(sub) if sub else None
                azs.add(az or "unknown")
        span = None if span is None else max(span, len(azs))
    return (cap, span) if found else None


@check(
    id="REL-ELB-001",
    title="A load balancer has at least two targets in two AZs in production",
    severity="high",
    types=["AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::TargetGroup"],
    environments=["prod"],
    rationale="A load balancer in front of one instance or task (or of targets in one AZ) adds cost without "
    "redundancy: the single target is still a single point of failure.",
    remediation="Run at least two targets spread over two AZs (ECS DesiredCount ≥ 2 / Auto Scaling MinSize "
    "≥ 2 "
    "with subnets in two AZs).",
    references=["REL10-BP01", "REL11-BP01"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for tg in ctx.resources("AWS::ElasticLoadBalancingV2::TargetGroup"):
        if ctx.resolve(tg.prop("TargetType")) == "lambda":
            continue
        got = _targets(ctx, tg.logical_id)
        if got is None:
            yield ctx.unknown(tg.logical_id, "no target registered in the template")
            continue
        cap, span = got
        if cap < 2:
            yield ctx.fail(tg.logical_id, f"only {cap:g} target(s) behind the load balancer")
        elif span is not None and span < 2:
            yield ctx.fail(tg.logical_id, "all targets are in one AZ")
        else:
            yield ctx.ok(tg.logical_id)
