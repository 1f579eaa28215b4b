"""EFS file system: storage (Standard)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (UsageKey("storage_gb", "GB", "Average data stored (Standard storage class)"),)


@cost_model("AWS::EFS::FileSystem", service="AmazonEFS", usage=USAGE, usage_only=True)
def file_system(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Standard storage only (price not in the catalogue's sources: shown as price unknown)."""
    return [
        charge(
            "Storage (Standard)",
            ctx.num("storage_gb"),
            "GB-months",
            ctx.q("AmazonEFS", storageClass="General Purpose"),
            "storage_gb",
        )
    ]
