"""Route 53 health check."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, cost_model
from cloudwright.pricing.resources._common import charge, global_ctx


@cost_model("AWS::Route53::HealthCheck")
def health_check(r: Resource, ctx: ModelContext) -> list[Charge]:
    """One health check per month (price not in the catalogue's sources: shown as price unknown)."""
    ctx = global_ctx(ctx)  # Route 53 is a global service
    return [
        charge(
            "Health check",
            Decimal(1),
            "health checks",
            ctx.q("AmazonRoute53", usagetype="re:(^|-)Health-Check-AWS$"),
        )
    ]
