"""ECS service on Fargate: task vCPU and memory (from the task definition) x tasks x hours, per second."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import SECONDS_PER_HOUR, charge, lit, num

USAGE = (
    UsageKey("desired_count", "tasks", "Average running tasks (overrides DesiredCount when auto scaling)"),
)

#: Fargate includes 20 GB of ephemeral storage per task (https://aws.amazon.com/fargate/pricing/).
FREE_EPHEMERAL_GB = Decimal(20)


def _cpu_units(value: object) -> Decimal | None:
    """Task Cpu: "1024" (units), "1 vCPU" or "0.25 vcpu" → vCPU."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if "vcpu" in text:
        return Decimal(text.replace("vcpu", "").strip())
    return Decimal(text) / 1024


def _memory_gb(value: object) -> Decimal | None:
    """Task Memory: "2048" (MiB) or "2 GB" → GB."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if "gb" in text:
        return Decimal(text.replace("gb", "").strip())
    return Decimal(text) / 1024


@cost_model("AWS::ECS::Service", service="AmazonECS", also=("AmazonVPC",), usage=USAGE)
def service(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Fargate launch type (or FARGATE capacity providers); EC2 launch type is priced on the instances."""
    launch = str(lit(ctx, r.prop("LaunchType"), "FARGATE" if not r.prop("CapacityProviderStrategy") else ""))
    providers = [
        str(p.get("CapacityProvider", ""))
        for p in r.prop_list("CapacityProviderStrategy")
        if isinstance(p, dict)
    ]
    if launch == "EC2" or (providers and not any(p.startswith("FARGATE") for p in providers)):
        return []
    td = ctx.ref(r.prop("TaskDefinition"))
    cpu = _cpu_units(lit(ctx, td.prop("Cpu"))) if td else None
    mem = _memory_gb(lit(ctx, td.prop("Memory"))) if td else None
    tasks = ctx.num("desired_count")
    if tasks is None:
        tasks = num(ctx, r.prop("DesiredCount"), 1) or Decimal(0)
    arch = str(lit(ctx, td.prop("RuntimePlatform.CpuArchitecture"), "X86_64") if td else "X86_64").upper()
    os_family = str(
        lit(ctx, td.prop("RuntimePlatform.OperatingSystemFamily"), "LINUX") if td else "LINUX"
    ).upper()
    windows = os_family.startswith("WINDOWS")
    cputype = "arm" if arch == "ARM64" else "x86"
    os_name = "Windows" if windows else "Linux"
    seconds = tasks * ctx.hours * SECONDS_PER_HOUR
    note = "" if td else "task definition not found: vCPU and memory unknown"
    label = f"{os_name}/{'Arm' if cputype == 'arm' else 'x86'}"
    out = [
        charge(
            f"Fargate vCPU ({cpu if cpu is not None else '?'} vCPU x {tasks} tasks, {label})",
            None if cpu is None else cpu * seconds,
            "vCPU-seconds",
            ctx.q(
                "AmazonECS",
                cputype=cputype,
                operatingSystem=os_name,
                productFamily="Compute",
                usagetype="re:vCPU-Hours:perCPU$",
            ),
            "desired_count",
            note=note,
        ),
        charge(
            f"Fargate memory ({mem if mem is not None else '?'} GB x {tasks} tasks, {label})",
            None if mem is None else mem * seconds,
            "GB-seconds",
            ctx.q("AmazonECS", cputype=cputype, operatingSystem=os_name, usagetype="re:GB-Hours$"),
            "desired_count",
            note=note,
        ),
    ]
    if windows and cpu is not None:
        out.append(
            charge(
                "Fargate Windows OS license",
                cpu * seconds,
                "vCPU-seconds",
                ctx.q("AmazonECS", operatingSystem="Windows-License"),
                "desired_count",
            )
        )
    public_ip = lit(ctx, r.prop("NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp"), "DISABLED")
    if str(public_ip).upper() == "ENABLED":
        out.append(
            charge(
                f"Public IPv4 addresses ({tasks} tasks)",
                tasks * ctx.hours,
                "hours",
                ctx.q("AmazonVPC", usagetype="re:(^|-)PublicIPv4:InUseAddress$"),
                "desired_count",
            )
        )
    eph = num(ctx, td.prop("EphemeralStorage.SizeInGiB")) if td else None
    if eph is not None and eph > FREE_EPHEMERAL_GB:
        out.append(
            charge(
                f"Fargate ephemeral storage above 20 GB ({eph} GB)",
                (eph - FREE_EPHEMERAL_GB) * seconds,
                "GB-seconds",
                ctx.q("AmazonECS", usagetype="re:EphemeralStorage-GB-Hours$"),
                "desired_count",
            )
        )
    return out
