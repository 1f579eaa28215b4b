"""EKS cluster: control plane hours (standard or extended Kubernetes version support)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey("support_tier", "name", "standard (default) or extended Kubernetes version support", "string"),
)


@cost_model("AWS::EKS::Cluster", service="AmazonEKS", usage=USAGE)
def cluster(r: Resource, ctx: ModelContext) -> list[Charge]:
    """$ per cluster-hour; worker nodes are priced on node groups / instances."""
    tier = str(ctx.usage.get("support_tier") or "standard").lower()
    return [
        charge(f"Control plane ({tier} support)", ctx.hours, "hours", ctx.q("AmazonEKS", supportTier=tier))
    ]
