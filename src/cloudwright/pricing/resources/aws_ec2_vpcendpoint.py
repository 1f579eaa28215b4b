"""VPC endpoint: gateway endpoints are free; interface endpoints bill per AZ-hour and per GB."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit

USAGE = (UsageKey("monthly_data_processed_gb", "GB/month", "Data processed by an interface endpoint"),)


@cost_model("AWS::EC2::VPCEndpoint", service="AmazonVPC", usage=USAGE)
def vpc_endpoint(r: Resource, ctx: ModelContext) -> list[Charge]:
    """VpcEndpointType Gateway (default; S3/DynamoDB: no charge) or Interface (an ENI per subnet)."""
    kind = str(lit(ctx, r.prop("VpcEndpointType"), "Gateway"))
    if kind == "Gateway":
        return []
    subnets = r.prop("SubnetIds")
    azs = Decimal(len(subnets)) if isinstance(subnets, list) and subnets else Decimal(1)
    return [
        charge(
            f"Interface endpoint ({azs} AZ)",
            azs * ctx.hours,
            "AZ-hours",
            ctx.q("AmazonVPC", usagetype="re:(^|-)VpcEndpoint-Hours$"),
        ),
        charge(
            "Data processed",
            ctx.num("monthly_data_processed_gb"),
            "GB",
            ctx.q("AmazonVPC", usagetype="re:(^|-)VpcEndpoint-Bytes$"),
            "monthly_data_processed_gb",
        ),
    ]
