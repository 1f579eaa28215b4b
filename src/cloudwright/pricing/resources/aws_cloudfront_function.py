"""CloudFront Functions: invocations."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (UsageKey("monthly_invocations", "invocations/month", "Function invocations"),)


@cost_model("AWS::CloudFront::Function", service="AmazonCloudFront", usage=USAGE, usage_only=True)
def function(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Price not in the catalogue's sources: shown as price unknown."""
    g = ctx.in_region("us-east-1")
    return [
        charge(
            "Invocations",
            ctx.num("monthly_invocations"),
            "invocations",
            g.q("AmazonCloudFront", usagetype="Executions-CloudFrontFunctions"),
            "monthly_invocations",
        )
    ]
