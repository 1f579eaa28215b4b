"""SEC-SG-001: SSH or RDP open to the internet."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.checks.sec._ingress import (
    LOAD_BALANCER_TYPES,
    group_users,
    load_balancer_ports,
    world_ingress,
)
from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.model import Severity, Status
from cloudwright.review.registry import check

ADMIN_PORTS = (22, 3389)


@check(
    id="SEC-SG-001",
    title="SSH and RDP are not open to the internet",
    severity="critical",
    types=["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"],
    rationale="Port 22/3389 open to any /0 range (0.0.0.0/0, ::/0, or a /0 written with another address) "
    "invites brute force and exploitation of the remote-access service; it is the most scanned surface "
    "on the internet. On a group used only by load balancers that do not listen on the port the rule "
    "reaches nothing: it is reported at low severity, as a rule to remove.",
    remediation="Remove the 0.0.0.0/0 rule; reach instances through SSM Session Manager (no inbound port) "
    "or a "
    "VPN / known CIDR.",
    references=["SEC05-BP02", "SEC06-BP03", "checkov:CKV_AWS_24", "checkov:CKV_AWS_25"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    users = group_users(ctx)
    listening = load_balancer_ports(ctx)
    for o in world_ingress(ctx, lambda lo, hi: any(lo <= p <= hi for p in ADMIN_PORTS), "SSH/RDP"):
        if o.status is Status.FAIL:
            group = _group_of(ctx, o.resource)
            lbs = users.get(group or "", [])
            only_lbs = bool(lbs) and all(u.type in LOAD_BALANCER_TYPES for u in lbs)
            if only_lbs and not any(p in ADMIN_PORTS for lb in lbs for p in listening.get(lb.logical_id, ())):
                names = ", ".join(u.logical_id for u in lbs)
                o.severity = Severity.LOW
                o.message += (
                    f"; the group is used only by load balancer(s) {names}, which do not listen on "
                    "that port, so nothing is reachable through it: remove the rule"
                )
        yield o


def _group_of(ctx: ReviewContext, logical_id: str) -> str | None:
    r = ctx.get(logical_id)
    if r is None:
        return None
    if r.type == "AWS::EC2::SecurityGroupIngress":
        return ctx.ref_target(r.properties.get("GroupId"))
    return logical_id
