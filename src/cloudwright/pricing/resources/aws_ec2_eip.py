"""Elastic IP: a public IPv4 address, billed per hour whether in use or idle."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, cost_model
from cloudwright.pricing.resources._common import charge


@cost_model("AWS::EC2::EIP", service="AmazonVPC")
def eip(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Same hourly price in use or idle (since Feb 2024)."""
    return [
        charge(
            "Public IPv4 address",
            ctx.hours,
            "hours",
            ctx.q("AmazonVPC", usagetype="re:(^|-)PublicIPv4:InUseAddress$"),
        )
    ]
