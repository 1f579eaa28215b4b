"""ElastiCache node-hour helper."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext
from cloudwright.pricing.resources._common import charge
from cloudwright.pricing.resources._ec2 import reserved_label, reserved_term


def engine_label(engine: str) -> str:
    return "Valkey" if engine.lower() == "valkey" else "Redis/Memcached"


def node_engine(engine: str) -> str:
    """Catalogue ``cacheEngine`` of a node: some node types have a Redis OSS price and no Memcached one."""
    low = engine.lower()
    if low == "valkey":
        return "Valkey"
    return "re:^Redis(/Memcached)?$" if low.startswith("redis") else "Redis/Memcached"


def nodes(ctx: ModelContext, node_type: str, count: Decimal, engine: str) -> Charge:
    """Node-hours, on demand or at the ``reserved_instance_term``/``_payment_option`` Reserved term."""
    reserved = reserved_term(ctx, legacy=True, with_class=False)
    label = "" if reserved is None else f", {reserved_label(reserved)}"
    return Charge(
        f"{node_type} {engine} nodes ({count}{label})",
        count * ctx.hours,
        "node-hours",
        ctx.q("AmazonElastiCache", instanceType=node_type, cacheEngine=node_engine(engine)),
        reserved=reserved,
    )


def snapshots(ctx: ModelContext) -> list[Charge]:
    gb = ctx.num("snapshot_storage_size_gb")
    if gb is None:
        return []
    return [
        charge(
            "Backup storage",
            gb,
            "GB-months",
            ctx.q("AmazonElastiCache", usagetype="re:(^|-)BackupUsage$"),
            "snapshot_storage_size_gb",
        )
    ]
