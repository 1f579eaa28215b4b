"""Auto Scaling group: DesiredCapacity (else MinSize) instances from its launch template, with EBS."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import lit, num, truthy
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
    UsageKey("desired_count", "instances", "Average running instances (overrides DesiredCapacity)"),
    *CPU_CREDIT_USAGE_KEYS,
    OS_USAGE_KEY,
    *RESERVED_USAGE_KEYS,
)


@cost_model(
    "AWS::AutoScaling::AutoScalingGroup", service="AmazonEC2", also=("AmazonCloudWatch",), usage=USAGE
)
def auto_scaling_group(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Instance type from LaunchTemplate (or MixedInstancesPolicy's first override / LaunchConfiguration)."""
    count = ctx.num("desired_count")
    if count is None:
        count = num(ctx, r.prop("DesiredCapacity")) or num(ctx, r.prop("MinSize"), 1) or Decimal(1)
    spec = r.prop_dict("LaunchTemplate") or r.prop_dict(
        "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification"
    )
    lt = ctx.ref(spec.get("LaunchTemplateId")) or ctx.ref(spec.get("LaunchTemplateName"))
    itype, mappings = None, None
    if lt is not None:
        itype = lit(ctx, lt.prop("LaunchTemplateData.InstanceType"))
        mappings = lt.prop("LaunchTemplateData.BlockDeviceMappings")
    overrides = r.prop_list("MixedInstancesPolicy.LaunchTemplate.Overrides")
    first = overrides[0] if overrides else None
    if isinstance(first, dict) and first.get("InstanceType"):
        itype = lit(ctx, first["InstanceType"], itype)
    lc = ctx.ref(r.prop("LaunchConfigurationName"))
    if itype is None and lc is not None:
        itype = lit(ctx, lc.prop("InstanceType"))
        mappings = lc.prop("BlockDeviceMappings")
    out = [instance_hours(ctx, str(itype or "unknown"), count), *block_devices(ctx, mappings, count)]
    out += cpu_credits(ctx, str(itype or "unknown"), count)
    if lt is not None and truthy(ctx, lt.prop("LaunchTemplateData.Monitoring.Enabled")):
        out.append(detailed_monitoring(ctx, count))
    return out
