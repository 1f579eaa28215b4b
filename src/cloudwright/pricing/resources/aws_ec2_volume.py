"""EBS volume (standalone AWS::EC2::Volume)."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit
from cloudwright.pricing.resources._ec2 import ebs_volume

USAGE = (
    UsageKey(
        "monthly_standard_io_requests",
        "I/Os per month",
        "I/O requests of a magnetic (standard) volume (other types include their I/O)",
    ),
)


@cost_model("AWS::EC2::Volume", service="AmazonEC2", usage=USAGE)
def volume(r: Resource, ctx: ModelContext) -> list[Charge]:
    """VolumeType (default gp2), Size, Iops, Throughput; magnetic (standard) volumes also bill I/O."""
    props = dict(r.properties)
    props.setdefault("VolumeType", "gp2")
    props["VolumeSize"] = props.get("Size", 8)
    out = ebs_volume(ctx, props, Decimal(1), label="volume")
    if str(lit(ctx, props["VolumeType"], "gp2")) == "standard":
        out.append(
            charge(
                "EBS magnetic I/O requests",
                ctx.num("monthly_standard_io_requests"),
                "I/Os",
                ctx.q("AmazonEC2", volumeApiName="standard", usagetype="re:(^|-)EBS:VolumeIOUsage$"),
                "monthly_standard_io_requests",
            )
        )
    return out
