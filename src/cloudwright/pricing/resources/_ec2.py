"""EC2 helpers: instance hours and EBS volumes from launch templates / block device mappings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cloudwright.errors import InputError
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey
from cloudwright.pricing.resources._common import charge, lit, mul, num

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


#: infracost's Reserved Instance usage keys (EC2 instances, Auto Scaling groups, EKS node groups).
RESERVED_USAGE_KEYS = (
    UsageKey(
        "reserved_instance_type",
        "name",
        "Reserved Instance offering class: standard or convertible (with the term and payment keys)",
        type="string",
    ),
    UsageKey("reserved_instance_term", "name", "Reserved Instance term: 1_year or 3_year", type="string"),
    UsageKey(
        "reserved_instance_payment_option",
        "name",
        "Reserved Instance payment: no_upfront, partial_upfront or all_upfront",
        type="string",
    ),
)
_RI_TERMS = {"1_year": "1y", "3_year": "3y"}
_RI_PAYMENTS = {
    "no_upfront": "no-upfront",
    "partial_upfront": "partial-upfront",
    "all_upfront": "all-upfront",
}
_RI_CLASSES = ("standard", "convertible")
#: ElastiCache's legacy offering class payment options (rates never catalogued: price unknown).
LEGACY_RI_PAYMENTS = ("heavy_utilization", "medium_utilization", "light_utilization")

#: The term and payment keys alone (RDS DB instances, ElastiCache clusters: no offering class key).
RESERVED_TERM_KEYS = RESERVED_USAGE_KEYS[1:]


def _choice(ctx: ModelContext, key: str, allowed: Any) -> str:
    value = ctx.usage.get(key)
    if value is None or str(value) not in allowed:
        raise InputError(
            f"invalid {key} usage value",
            field=f"{ctx.resource.logical_id}.{key}",
            value=value,
            allowed=sorted(allowed),
        )
    return str(value)


def reserved_term(ctx: ModelContext, legacy: bool = False, with_class: bool = True) -> str | None:
    """The Reserved term the ``reserved_instance_*`` usage keys name (None: on demand).

    Any of the keys asks for Reserved pricing; term and payment option are then required and the
    offering class defaults to standard. Returns ``ri-1y-all-upfront`` … or ``convertible``.
    """
    keys = [u.key for u in (RESERVED_USAGE_KEYS if with_class else RESERVED_USAGE_KEYS[1:])]
    if all(ctx.usage.get(k) in (None, "") for k in keys):
        return None
    offering = (ctx.usage.get("reserved_instance_type") if with_class else None) or "standard"
    if offering not in _RI_CLASSES:
        _choice(ctx, "reserved_instance_type", _RI_CLASSES)
    term = _RI_TERMS[_choice(ctx, "reserved_instance_term", _RI_TERMS)]
    if legacy and ctx.usage.get("reserved_instance_payment_option") in LEGACY_RI_PAYMENTS:
        return f"legacy {ctx.usage['reserved_instance_payment_option']}"
    payment = _RI_PAYMENTS[_choice(ctx, "reserved_instance_payment_option", _RI_PAYMENTS)]
    return "convertible" if offering == "convertible" else f"ri-{term}-{payment}"


def reserved_label(reserved: str | None) -> str:
    """``on-demand``, ``Reserved 1y all upfront`` … for a line description."""
    if reserved is None:
        return "on-demand"
    if not reserved.startswith("ri-"):
        return f"Reserved ({reserved})"
    return "Reserved " + reserved.removeprefix("ri-").replace("-", " ")


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
    reserved = reserved_term(ctx)
    pricing = reserved_label(reserved)
    return Charge(
        f"{instance_type} {os_name} {pricing} ({count} {what}{plural})",
        count * each,
        "hours",
        ctx.q("AmazonEC2", instanceType=instance_type, operatingSystem=os_name, tenancy="Shared"),
        reserved=reserved,
    )


#: infracost's burstable-instance usage keys (T2 needs CreditSpecification unlimited to accrue them).
CPU_CREDIT_USAGE_KEYS = (
    UsageKey(
        "monthly_cpu_credit_hrs",
        "hours",
        "Hours per month each burstable (t2/t3/t3a/t4g) instance bursts above its baseline",
    ),
    UsageKey("vcpu_count", "vCPUs", "vCPUs of the burstable instance type (with monthly_cpu_credit_hrs)"),
)


def cpu_credits(ctx: ModelContext, instance_type: str, count: Decimal) -> list[Charge]:
    """Surplus CPU credits: ``monthly_cpu_credit_hrs`` x ``vcpu_count`` vCPU-hours per instance."""
    family = instance_type.split(".", 1)[0]
    if ctx.usage.get("monthly_cpu_credit_hrs") is None or family not in ("t2", "t3", "t3a", "t4g"):
        return []
    vcpu_hours = mul(ctx.num("monthly_cpu_credit_hrs"), ctx.num("vcpu_count"), count)
    return [
        charge(
            f"{family} unlimited CPU credits ({count} x {instance_type})",
            vcpu_hours,
            "vCPU-hours",
            ctx.q(
                "AmazonEC2", operatingSystem=operating_system(ctx), usagetype=f"re:(^|-)CPUCredits:{family}$"
            ),
            "monthly_cpu_credit_hrs",
            "vcpu_count",
        )
    ]


#: Price List usagetype suffix of a volume type's storage (magnetic ``standard`` volumes have none).
_VOLUME_USAGE_SUFFIX = {"io1": ".piops", "standard": ""}


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
                usagetype=f"re:(^|-)EBS:VolumeUsage{_VOLUME_USAGE_SUFFIX.get(vtype, '.' + vtype)}$",
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
