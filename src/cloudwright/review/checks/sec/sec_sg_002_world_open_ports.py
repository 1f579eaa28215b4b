"""SEC-SG-002: ports other than HTTP/HTTPS open to the internet."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.checks.sec._ingress import world_ingress
from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check

WEB = {80, 443}


def _non_web(lo: int, hi: int) -> bool:
    return not (lo == hi and lo in WEB)


@check(
    id="SEC-SG-002",
    title="Only HTTP/HTTPS are open to the internet",
    severity="high",
    types=["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"],
    rationale="Databases, caches and application ports reachable from 0.0.0.0/0 skip the load balancer and "
    "WAF "
    "and expose the service to the whole internet.",
    remediation="Allow internet traffic only on 80/443 at the load balancer; allow application and data "
    "ports "
    "only from the security group of the tier in front (seed tier-to-tier rules).",
    references=["SEC05-BP02", "checkov:CKV_AWS_260", "checkov:CKV_AWS_277"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    yield from world_ingress(ctx, _non_web, "internet ingress")
