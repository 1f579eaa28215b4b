"""SEC-VPC-001: VPCs without flow logs."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="SEC-VPC-001",
    title="VPC records flow logs",
    severity="medium",
    types=["AWS::EC2::VPC"],
    rationale="Flow logs are the only record of which addresses talked to which; incident response and "
    "PCI-DSS "
    "requirement 10 need them.",
    remediation="Add an AWS::EC2::FlowLog with ResourceType VPC, TrafficType ALL (or REJECT in dev) to "
    "CloudWatch "
    "Logs or S3.",
    references=["SEC04-BP01", "checkov:CKV2_AWS_11"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    logs = ctx.resources("AWS::EC2::FlowLog")
    for vpc in ctx.resources("AWS::EC2::VPC"):
        if any(ctx.ref_target(f.properties.get("ResourceId")) == vpc.logical_id for f in logs):
            yield ctx.ok(vpc.logical_id)
        elif any(
            ctx.resolve(f.properties.get("ResourceId")) is not None
            and ctx.ref_target(f.properties.get("ResourceId")) is None
            for f in logs
        ):
            yield ctx.unknown(vpc.logical_id, "a flow log targets a resource id that cannot be resolved")
        else:
            yield ctx.fail(vpc.logical_id, "no AWS::EC2::FlowLog targets this VPC")
