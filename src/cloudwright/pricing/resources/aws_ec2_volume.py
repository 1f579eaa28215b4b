"""EBS volume (standalone AWS::EC2::Volume)."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, cost_model
from cloudwright.pricing.resources._ec2 import ebs_volume


@cost_model("AWS::EC2::Volume", service="AmazonEC2")
def volume(r: Resource, ctx: ModelContext) -> list[Charge]:
    """VolumeType (default gp2), Size, Iops, Throughput."""
    props = dict(r.properties)
    props.setdefault("VolumeType", "gp2")
    props["VolumeSize"] = props.get("Size", 8)
    return ebs_volume(ctx, props, Decimal(1), label="volume")
