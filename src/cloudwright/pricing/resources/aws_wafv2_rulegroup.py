"""WAFv2 rule group: per rule group-month."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, cost_model
from cloudwright.pricing.resources._common import charge, global_ctx, lit


@cost_model("AWS::WAFv2::RuleGroup", service="awswaf")
def rule_group(r: Resource, ctx: ModelContext) -> list[Charge]:
    """One rule group-month."""
    if str(lit(ctx, r.prop("Scope"), "REGIONAL")).upper() == "CLOUDFRONT":
        ctx = global_ctx(ctx)  # web ACLs for CloudFront are global, billed in us-east-1
    return [charge("Rule group", Decimal(1), "rule groups", ctx.q("awswaf", usagetype="re:(^|-)RuleGroup$"))]
