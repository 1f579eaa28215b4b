"""NAT gateway: hours and data processed."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit

USAGE = (UsageKey("monthly_data_processed_gb", "GB/month", "Data processed by the gateway"),)


@cost_model("AWS::EC2::NatGateway", service="AmazonEC2", usage=USAGE)
def nat_gateway(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Private NAT gateways (ConnectivityType private) have the same hourly and per-GB charges."""
    kind = str(lit(ctx, r.prop("ConnectivityType"), "public"))
    return [
        charge(
            f"NAT gateway ({kind})",
            ctx.hours,
            "hours",
            ctx.q("AmazonEC2", usagetype="re:(^|-)NatGateway-Hours$"),
        ),
        charge(
            "Data processed",
            ctx.num("monthly_data_processed_gb"),
            "GB",
            ctx.q("AmazonEC2", usagetype="re:(^|-)NatGateway-Bytes$"),
            "monthly_data_processed_gb",
        ),
    ]
