"""REL-VPC-001: production VPC whose subnets sit in one AZ."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="REL-VPC-001",
    title="Production VPC spans at least two AZs",
    severity="high",
    types=["AWS::EC2::VPC"],
    environments=["prod"],
    rationale="Everything inside a single-AZ network goes down with that AZ; AWS SLAs for EC2, ECS, ELB and "
    "RDS "
    "assume deployments across two or more AZs.",
    remediation="Create public, private and data subnets in at least two AZs and spread every tier over "
    "them.",
    references=["REL10-BP01", "REL02-BP02"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    subnets = ctx.resources("AWS::EC2::Subnet")
    for vpc in ctx.resources("AWS::EC2::VPC"):
        mine = [s for s in subnets if ctx.ref_target(s.prop("VpcId")) == vpc.logical_id]
        azs = {ctx.subnet_az(s) for s in mine}
        if not mine:
            yield ctx.unknown(vpc.logical_id, "no subnets in the template")
        elif None in azs:
            yield ctx.unknown(vpc.logical_id, "a subnet's AZ cannot be resolved")
        elif len(azs) < 2:
            yield ctx.fail(vpc.logical_id, f"all {len(mine)} subnets are in one AZ")
        else:
            yield ctx.ok(vpc.logical_id)
