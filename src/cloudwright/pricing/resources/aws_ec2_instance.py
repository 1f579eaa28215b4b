"""EC2 instance: Linux on-demand hours and its EBS volumes."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import lit
from cloudwright.pricing.resources._ec2 import block_devices, instance_hours

USAGE = (
    UsageKey(
        "monthly_cpu_credit_hrs", "vCPU-hours", "Burstable (T) instance surplus CPU credits (not priced yet)"
    ),
)


@cost_model("AWS::EC2::Instance", usage=USAGE)
def instance(r: Resource, ctx: ModelContext) -> list[Charge]:
    """InstanceType (default m1.small per CloudFormation; shown as price unknown), BlockDeviceMappings."""
    itype = str(lit(ctx, r.prop("InstanceType"), "m1.small"))
    lt = ctx.ref(r.prop("LaunchTemplate.LaunchTemplateId")) or ctx.ref(
        r.prop("LaunchTemplate.LaunchTemplateName")
    )
    mappings = r.prop("BlockDeviceMappings")
    if lt is not None:
        itype = str(lit(ctx, r.prop("InstanceType") or lt.prop("LaunchTemplateData.InstanceType"), itype))
        mappings = mappings or lt.prop("LaunchTemplateData.BlockDeviceMappings")
    return [instance_hours(ctx, itype, Decimal(1)), *block_devices(ctx, mappings, Decimal(1))]
