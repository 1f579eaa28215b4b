"""EC2 instance: on-demand hours (Linux unless ``operating_system`` says otherwise) and its EBS volumes."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import lit, truthy
from cloudwright.pricing.resources._ec2 import (
    CPU_CREDIT_USAGE_KEYS,
    OS_USAGE_KEY,
    RESERVED_USAGE_KEYS,
    block_devices,
    cpu_credits,
    detailed_monitoring,
    instance_hours,
)

USAGE = (
    *CPU_CREDIT_USAGE_KEYS,
    UsageKey("monthly_hrs", "hours", "Hours the instance runs in the month (default: the whole month)"),
    OS_USAGE_KEY,
    *RESERVED_USAGE_KEYS,
)


@cost_model("AWS::EC2::Instance", service="AmazonEC2", also=("AmazonCloudWatch",), usage=USAGE)
def instance(r: Resource, ctx: ModelContext) -> list[Charge]:
    """InstanceType (default m1.small: price unknown), BlockDeviceMappings, Monitoring (detailed)."""
    itype = str(lit(ctx, r.prop("InstanceType"), "m1.small"))
    lt = ctx.ref(r.prop("LaunchTemplate.LaunchTemplateId")) or ctx.ref(
        r.prop("LaunchTemplate.LaunchTemplateName")
    )
    mappings = r.prop("BlockDeviceMappings")
    if lt is not None:
        itype = str(lit(ctx, r.prop("InstanceType") or lt.prop("LaunchTemplateData.InstanceType"), itype))
        mappings = mappings or lt.prop("LaunchTemplateData.BlockDeviceMappings")
    hours = ctx.num("monthly_hrs")
    out = [instance_hours(ctx, itype, Decimal(1), hours=hours), *block_devices(ctx, mappings, Decimal(1))]
    out += cpu_credits(ctx, itype, Decimal(1))
    monitoring = r.prop("Monitoring")
    if monitoring is None and lt is not None:
        monitoring = lt.prop("LaunchTemplateData.Monitoring.Enabled")
    if truthy(ctx, monitoring):
        out.append(detailed_monitoring(ctx, Decimal(1)))
    return out
