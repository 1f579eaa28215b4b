"""EKS managed node group: EC2 instances (DesiredSize x first InstanceTypes entry) + EBS disks."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource, list_or_empty
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import lit, num
from cloudwright.pricing.resources._ec2 import (
    CPU_CREDIT_USAGE_KEYS,
    OS_USAGE_KEY,
    RESERVED_USAGE_KEYS,
    cpu_credits,
    ebs_volume,
    instance_hours,
)

USAGE = (
    UsageKey("desired_count", "nodes", "Average number of nodes (overrides ScalingConfig.DesiredSize)"),
    OS_USAGE_KEY,
    *RESERVED_USAGE_KEYS,
    *CPU_CREDIT_USAGE_KEYS,
)


@cost_model("AWS::EKS::Nodegroup", service="AmazonEC2", usage=USAGE)
def nodegroup(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Default instance type t3.medium and 20 GB gp2 disk (EKS defaults); On-Demand capacity only."""
    types = list_or_empty(lit(ctx, r.prop("InstanceTypes"), [])) or ["t3.medium"]
    itype = str(lit(ctx, types[0], "t3.medium"))
    count = ctx.num("desired_count")
    if count is None:
        count = (
            num(ctx, r.prop("ScalingConfig.DesiredSize"))
            or num(ctx, r.prop("ScalingConfig.MinSize"), 1)
            or Decimal(1)
        )
    disk = num(ctx, r.prop("DiskSize"), 20) or Decimal(20)
    return [
        instance_hours(ctx, itype, count, what="node"),
        *cpu_credits(ctx, itype, count),
        *ebs_volume(ctx, {"VolumeType": "gp2", "VolumeSize": disk}, count, label="node disk", default_gb=20),
    ]
