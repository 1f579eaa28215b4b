"""``elasticache``: Redis OSS replication group in the data subnets.

Encryption at rest (customer managed key when present) and in transit, automatic failover and Multi-AZ
with one replica per extra AZ in prod, a single node elsewhere. Node type from the hot data set.
"""

from __future__ import annotations

from typing import Any

from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, DataStore, NoOptions, component
from cloudwright.design.components.observability import checkov_skip, kms_key_arn, tags

REDIS_VERSION = "7.1"


def _replication_group_properties(ctx: BuildContext, node: str, replicas: int, sg: str) -> dict[str, Any]:
    """Redis with TLS and encryption at rest (the customer key when present); failover across AZs when
    there are replicas."""
    ha = replicas > 0
    props: dict[str, Any] = {
        "ReplicationGroupDescription": f"{ctx.name_prefix} cache",
        "Engine": "redis",
        "EngineVersion": REDIS_VERSION,
        "CacheNodeType": node,
        "NumCacheClusters": 1 + replicas,
        "AutomaticFailoverEnabled": ha,
        "MultiAZEnabled": ha,
        "AtRestEncryptionEnabled": True,
        "TransitEncryptionEnabled": True,
        "Port": 6379,
        "CacheSubnetGroupName": {"Ref": "CacheSubnetGroup"},
        "SecurityGroupIds": [{"Ref": sg}],
        "SnapshotRetentionLimit": 5 if ctx.is_prod else 1,
        "SnapshotWindow": "05:00-06:00",
        "PreferredMaintenanceWindow": "sun:06:30-sun:07:30",
        "AutoMinorVersionUpgrade": True,
        "Tags": tags(ctx, f"{ctx.name_prefix}-cache"),
    }
    key = kms_key_arn(ctx)
    if key:
        props["KmsKeyId"] = key
    return props


@component(
    "elasticache",
    options=NoOptions,
    needs=["network"],
    uses=["kms_key", "security_groups"],
    provides=["cache"],
    stage="data",
)
def elasticache(ctx: BuildContext, options: NoOptions) -> None:
    net = ctx.need(ctx.provided.network, "network")
    sg = ctx.security_group("cache", "CacheSecurityGroup")
    load = sizing.load_for(ctx.requirements, ctx.load_factor)
    node = sizing.cache_node(load)
    replicas = sizing.cache_replicas(is_prod=ctx.is_prod, az_count=ctx.az_count)
    ctx.add(
        "CacheSubnetGroup",
        "AWS::ElastiCache::SubnetGroup",
        {"Description": "data subnets", "SubnetIds": [{"Ref": s} for s in net.data_subnets]},
        label="cache subnet group (data tier)",
        role="cache",
        tier="data",
        vpc=net.vpc,
        component_id="elasticache",
    )
    props = _replication_group_properties(ctx, node.value, replicas.value, sg)
    hot = round(load.data_gb * sizing.CACHE_DATA_SHARE, 3)
    ctx.add(
        "CacheReplicationGroup",
        "AWS::ElastiCache::ReplicationGroup",
        props,
        usage={"snapshot_storage_size_gb": hot},
        label=f"Redis {node.value} × {1 + replicas.value}",
        role="cache",
        rationale="sessions and hot reads; automatic failover across AZs in prod; TLS and encryption at rest",
        sizing=[
            node.note(),
            replicas.note(),
            {
                "rule": "snapshots retained 5 days in prod",
                "value": 5 if ctx.is_prod else 1,
                "source": "seed 002 (SnapshotRetentionLimit 5)",
            },
        ],
        tier="data",
        vpc=net.vpc,
        azs=ctx.azs,
        component_id="elasticache",
        attributes=checkov_skip(
            (
                "CKV_AWS_31",
                "TLS is required; clients authenticate with ElastiCache RBAC users or IAM, so no "
                "static AUTH token is written into the template.",
            ),
        ),
    )
    warn = sizing.quota_warning("elasticache.nodes_per_region", 1 + replicas.value)
    if warn:
        ctx.warn(warn)
    ctx.provided.cache = DataStore(
        resource="CacheReplicationGroup",
        port=6379,
        endpoint={"Fn::GetAtt": ["CacheReplicationGroup", "PrimaryEndPoint.Address"]},
    )
    ctx.network_section("data_tier")["cache"] = {
        "node": node.value,
        "nodes": 1 + replicas.value,
    }
