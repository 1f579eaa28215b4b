"""EC2 helpers: instance hours and EBS volumes from launch templates / block device mappings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext
from cloudwright.pricing.resources._common import charge, lit, num


def instance_hours(ctx: ModelContext, instance_type: str, count: Decimal, what: str = "instance") -> Charge:
    plural = "s" if count != 1 else ""
    return charge(
        f"{instance_type} Linux on-demand ({count} {what}{plural})",
        count * ctx.hours,
        "hours",
        ctx.q("AmazonEC2", instanceType=instance_type, operatingSystem="Linux", tenancy="Shared"),
    )


def ebs_volume(
    ctx: ModelContext, ebs: dict[str, Any], count: Decimal, label: str = "root volume", default_gb: int = 8
) -> list[Charge]:
    vtype = str(lit(ctx, ebs.get("VolumeType"), "gp3" if ebs else "gp2"))
    size = num(ctx, ebs.get("VolumeSize"), default_gb) or Decimal(default_gb)
    out = [
        charge(
            f"EBS {vtype} {label} ({size} GB x {count})",
            size * count,
            "GB-months",
            ctx.q(
                "AmazonEC2",
                volumeApiName=vtype,
                usagetype=f"re:(^|-)EBS:VolumeUsage{'.piops' if vtype == 'io1' else '.' + vtype}$",
            ),
        )
    ]
    iops = num(ctx, ebs.get("Iops"))
    if vtype == "gp3" and iops and iops > 3000:
        out.append(
            charge(
                f"EBS gp3 IOPS above 3,000 ({iops} x {count})",
                (iops - 3000) * count,
                "IOPS-months",
                ctx.q("AmazonEC2", volumeApiName="gp3", usagetype="re:(^|-)EBS:VolumeP-IOPS.gp3$"),
            )
        )
    if vtype in ("io1", "io2") and iops:
        tag = "piops" if vtype == "io1" else "io2"
        out.append(
            charge(
                f"EBS {vtype} provisioned IOPS ({iops} x {count})",
                iops * count,
                "IOPS-months",
                ctx.q("AmazonEC2", volumeApiName=vtype, usagetype=f"re:(^|-)EBS:VolumeP-IOPS.{tag}$"),
            )
        )
    throughput = num(ctx, ebs.get("Throughput"))
    if vtype == "gp3" and throughput and throughput > 125:
        out.append(
            charge(
                f"EBS gp3 throughput above 125 MiB/s ({throughput} x {count})",
                (throughput - 125) * count,
                "MiBps-months",
                ctx.q("AmazonEC2", volumeApiName="gp3", usagetype="re:(^|-)EBS:VolumeP-Throughput.gp3$"),
            )
        )
    return out


def block_devices(ctx: ModelContext, mappings: Any, count: Decimal) -> list[Charge]:
    """EBS volumes of a BlockDeviceMappings list; an 8 GB gp2 root volume when none is given."""
    out: list[Charge] = []
    found = False
    for m in mappings or []:
        if isinstance(m, dict) and isinstance(m.get("Ebs"), dict):
            found = True
            out += ebs_volume(ctx, m["Ebs"], count, label=f"volume {m.get('DeviceName', '')}".strip())
    if not found:
        out += ebs_volume(ctx, {}, count, label="root volume (AMI default, assumed 8 GB gp2)")
    return out


#: EC2 detailed monitoring publishes 7 metrics per instance at the custom-metric price
#: ("7 metrics x $0.30 = $2.10 per instance-month", CloudWatch pricing page example).
DETAILED_MONITORING_METRICS = Decimal(7)


def detailed_monitoring(ctx: ModelContext, count: Decimal) -> Charge:
    return charge(
        f"Detailed monitoring ({DETAILED_MONITORING_METRICS:f} metrics x {count})",
        DETAILED_MONITORING_METRICS * count,
        "metrics",
        ctx.q("AmazonCloudWatch", usagetype="re:(^|-)CW:MetricMonitorUsage$"),
        pool="cloudwatch-metrics",
    )
