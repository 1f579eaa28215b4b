"""ElastiCache cache cluster: NumCacheNodes node-hours + snapshots."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import lit, num
from cloudwright.pricing.resources._ec2 import RESERVED_TERM_KEYS
from cloudwright.pricing.resources._elasticache import nodes, snapshots

USAGE = (
    UsageKey("snapshot_storage_size_gb", "GB", "Backup (snapshot) storage beyond the free allowance"),
    *RESERVED_TERM_KEYS,
)


@cost_model("AWS::ElastiCache::CacheCluster", service="AmazonElastiCache", usage=USAGE)
def cache_cluster(r: Resource, ctx: ModelContext) -> list[Charge]:
    """CacheNodeType x NumCacheNodes (default 1)."""
    node_type = str(lit(ctx, r.prop("CacheNodeType"), "unknown"))
    engine = str(lit(ctx, r.prop("Engine"), "redis"))
    count = num(ctx, r.prop("NumCacheNodes"), 1) or Decimal(1)
    return [nodes(ctx, node_type, count, engine), *snapshots(ctx)]
