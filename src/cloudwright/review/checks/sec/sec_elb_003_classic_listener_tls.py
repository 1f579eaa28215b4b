"""SEC-ELB-003: Classic Load Balancer listeners that take plain HTTP."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import UNKNOWN, Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="SEC-ELB-003",
    title="Classic Load Balancer listeners use HTTPS or SSL",
    severity="high",
    types=["AWS::ElasticLoadBalancing::LoadBalancer"],
    rationale="A Classic Load Balancer cannot redirect HTTP to HTTPS: an HTTP listener serves requests, "
    "cookies and tokens in clear text. (TCP listeners may pass TLS through to the instances.)",
    remediation="Use HTTPS (or SSL) listeners with an ACM certificate, or move to an Application Load "
    "Balancer, whose port-80 listener can redirect to HTTPS.",
    references=["SEC09-BP02", "checkov:CKV_AWS_127"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for lb in ctx.resources("AWS::ElasticLoadBalancing::LoadBalancer"):
        listeners = ctx.value(lb, "Listeners")
        if listeners is UNKNOWN or not isinstance(listeners, list):
            yield ctx.unknown(lb.logical_id, "Listeners cannot be resolved")
            continue
        protocols = [ctx.resolve(x.get("Protocol")) if isinstance(x, dict) else UNKNOWN for x in listeners]
        plain = [i for i, p in enumerate(protocols) if isinstance(p, str) and p.upper() == "HTTP"]
        if plain:
            yield ctx.fail(lb.logical_id, "a listener accepts plain HTTP", f"Listeners.{plain[0]}.Protocol")
        elif any(not isinstance(p, str) for p in protocols):
            yield ctx.unknown(lb.logical_id, "a listener's Protocol cannot be resolved")
        else:
            yield ctx.ok(lb.logical_id)
