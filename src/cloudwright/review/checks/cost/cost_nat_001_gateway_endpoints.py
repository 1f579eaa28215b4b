"""COST-NAT-001: S3/DynamoDB traffic through NAT gateways that a gateway endpoint would carry free."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.facts import services
from cloudwright.review.registry import check
from cloudwright.units import round_money, unit_price


def gateway_endpoint_services(ctx: ReviewContext) -> set[str]:
    out = set()
    for ep in ctx.resources("AWS::EC2::VPCEndpoint"):
        if ctx.resolve(ep.prop("VpcEndpointType", "Gateway")) != "Gateway":
            continue
        name = ep.prop("ServiceName")
        text = str(name)
        for svc in ("s3", "dynamodb"):
            if f".{svc}" in text or f"{svc}'" in text or text.endswith(svc):
                out.add(svc)
    return out


@check(
    id="COST-NAT-001",
    title="S3 and DynamoDB traffic bypasses the NAT gateway",
    severity="medium",
    types=["AWS::EC2::NatGateway"],
    rationale="NAT gateways charge $0.045 per GB processed. Gateway VPC endpoints for S3 and DynamoDB are "
    "free "
    "and take that traffic off the NAT.",
    remediation="Add Gateway VPC endpoints for S3 and DynamoDB and associate them with the private route "
    "tables.",
    references=[
        "COST08-BP03",
        "SEC05-BP01",
        "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    used = set()
    if ctx.resources("AWS::S3::Bucket"):
        used.add("s3")
    if ctx.resources("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"):
        used.add("dynamodb")
    missing = sorted(used - gateway_endpoint_services(ctx))
    rate = Decimal(services()["rates"]["nat_processing_usd_per_gb"])
    share = ctx.design.assumptions.get("nat_aws_service_share")
    for nat in ctx.resources("AWS::EC2::NatGateway"):
        if not missing:
            yield ctx.ok(nat.logical_id)
            continue
        gb = nat.usage.get("monthly_data_processed_gb")
        delta = None
        note = f"saves {unit_price(rate)} per GB of {'/'.join(missing)} traffic now processed by the NAT"
        if isinstance(gb, int | float) and isinstance(share, int | float):
            delta = -round_money(Decimal(str(gb)) * Decimal(str(share)) * rate)
            note = ""
        yield ctx.fail(
            nat.logical_id,
            f"no gateway endpoint for {', '.join(missing)}: that traffic pays NAT data processing",
            cost_delta=delta,
            cost_note=note,
        )
