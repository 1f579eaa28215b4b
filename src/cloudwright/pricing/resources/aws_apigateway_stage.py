"""API Gateway REST stage: the optional cache cluster, billed per hour by size."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, cost_model
from cloudwright.pricing.resources._common import charge, lit, truthy


@cost_model("AWS::ApiGateway::Stage", service="AmazonApiGateway")
def stage(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Cache cluster hours when CacheClusterEnabled (size CacheClusterSize, default 0.5 GB)."""
    if not truthy(ctx, r.prop("CacheClusterEnabled")):
        return []
    size = str(lit(ctx, r.prop("CacheClusterSize"), "0.5"))
    return [
        charge(
            f"Cache cluster ({size} GB)",
            ctx.hours,
            "hours",
            ctx.q("AmazonApiGateway", cacheMemorySizeGb=size),
        )
    ]
