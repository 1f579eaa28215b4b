"""SEC-SG-001: SSH or RDP open to the internet."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.checks.sec._ingress import world_ingress
from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check

ADMIN_PORTS = (22, 3389)


@check(
    id="SEC-SG-001",
    title="SSH and RDP are not open to the internet",
    severity="critical",
    types=["AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"],
    rationale="Port 22/3389 open to 0.0.0.0/0 or ::/0 invites brute force and exploitation of the "
    "remote-access "
    "service; it is the most scanned surface on the internet.",
    remediation="Remove the 0.0.0.0/0 rule; reach instances through SSM Session Manager (no inbound port) "
    "or a "
    "VPN / known CIDR.",
    references=["SEC05-BP02", "SEC06-BP03", "checkov:CKV_AWS_24", "checkov:CKV_AWS_25"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    yield from world_ingress(ctx, lambda lo, hi: any(lo <= p <= hi for p in ADMIN_PORTS), "SSH/RDP")
