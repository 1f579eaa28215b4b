"""ElastiCache replication group: node-hours for every node (primaries and replicas) + snapshots."""

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


@cost_model("AWS::ElastiCache::ReplicationGroup", service="AmazonElastiCache", usage=USAGE)
def replication_group(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Nodes = NumNodeGroups x (ReplicasPerNodeGroup + 1), or NumCacheClusters (default 1)."""
    node_type = str(lit(ctx, r.prop("CacheNodeType"), "unknown"))
    engine = str(lit(ctx, r.prop("Engine"), "redis"))
    groups = num(ctx, r.prop("NumNodeGroups"))
    if groups is not None:
        replicas = num(ctx, r.prop("ReplicasPerNodeGroup"), 0) or Decimal(0)
        count = groups * (replicas + 1)
    else:
        count = num(ctx, r.prop("NumCacheClusters"), 1) or Decimal(1)
    return [nodes(ctx, node_type, count, engine), *snapshots(ctx)]
