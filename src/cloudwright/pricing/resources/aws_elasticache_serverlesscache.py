"""ElastiCache Serverless: GB-hours of data stored (with the engine's minimum) + ECPUs."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit
from cloudwright.pricing.resources._elasticache import engine_label

USAGE = (
    UsageKey("storage_gb", "GB", "Average data stored"),
    UsageKey("monthly_ecpus", "ECPUs/month", "ElastiCache Processing Units consumed per month"),
)

#: Minimum metered storage: 1 GB for Redis OSS/Memcached, 100 MB for Valkey (third-party sources,
#: see the catalogue rows; unverified).
MIN_GB = {"Valkey": Decimal("0.1"), "Redis/Memcached": Decimal(1)}


@cost_model("AWS::ElastiCache::ServerlessCache", service="AmazonElastiCache", usage=USAGE)
def serverless_cache(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Engine valkey, redis or memcached."""
    engine = engine_label(str(lit(ctx, r.prop("Engine"), "valkey")))
    stored = ctx.num("storage_gb")
    billed = MIN_GB[engine] if stored is None else max(stored, MIN_GB[engine])
    note = "" if stored is not None and stored >= MIN_GB[engine] else f"minimum {MIN_GB[engine]} GB metered"
    return [
        charge(
            f"Data stored ({engine})",
            billed * ctx.hours,
            "GB-hours",
            ctx.q("AmazonElastiCache", cacheEngine=engine, usagetype="re:ServerlessCacheStorage"),
            "storage_gb",
            note=note,
        ),
        charge(
            f"ECPUs ({engine})",
            ctx.num("monthly_ecpus"),
            "ECPUs",
            ctx.q("AmazonElastiCache", cacheEngine=engine, usagetype="re:ServerlessCacheProcessingUnits"),
            "monthly_ecpus",
        ),
    ]
