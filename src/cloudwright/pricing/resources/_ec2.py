"""EC2 helpers: instance hours and EBS volumes from launch templates / block device mappings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cloudwright.errors import InputError
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey
from cloudwright.pricing.resources._common import charge, lit, num

#: infracost ``operating_system`` values → the Price List's ``operatingSystem`` attribute.
OPERATING_SYSTEMS: dict[str, str] = {"linux": "Linux", "windows": "Windows", "suse": "SUSE", "rhel": "RHEL"}

#: Usage keys shared by the EC2-instance cost models (infracost's names and meanings).
OS_USAGE_KEY = UsageKey(
    "operating_system",
    "name",
    "Operating system of the instances: linux (default), windows, suse or rhel",
    type="string",
)


def operating_system(ctx: ModelContext) -> str:
    """The Price List operating system named by the ``operating_system`` usage key (default Linux)."""
    value = ctx.usage.get("operating_system")
    if value is None:
        return "Linux"
    os_name = OPERATING_SYSTEMS.get(str(value).lower())
    if os_name is None:
        raise InputError(
            "unknown operating_system usage value",
            field=f"{ctx.resource.logical_id}.operating_system",
            value=value,
            allowed=sorted(OPERATING_SYSTEMS),
        )
    return os_name


def instance_hours(
    ctx: ModelContext,
    instance_type: str,
    count: Decimal,
    what: str = "instance",
    hours: Decimal | None = None,
) -> Charge:
    """On-demand hours of ``count`` instances (``hours`` each, default the month) in the usage's OS."""
    plural = "s" if count != 1 else ""
    os_name = operating_system(ctx)
    each = ctx.hours if hours is None else hours
    return charge(
        f"{instance_type} {os_name} on-demand ({count} {what}{plural})",
        count * each,
        "hours",
        ctx.q("AmazonEC2", instanceType=instance_type, operatingSystem=os_name, tenancy="Shared"),
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
