"""RDS DB instance (MySQL/PostgreSQL/MariaDB, SQL Server, Oracle: hours, Multi-AZ, storage) or Aurora
cluster instance (provisioned class hours, I/O-Optimized uplift, or Serverless v2 ACU-hours for
db.serverless)."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit, mul, num, truthy
from cloudwright.pricing.resources._ec2 import RESERVED_TERM_KEYS, reserved_label, reserved_term
from cloudwright.pricing.resources._rds import (
    ENGINE_NAMES,
    aurora_engine_name,
    engine_family,
    instance_attrs,
    is_aurora,
    is_commercial,
)

USAGE = (
    UsageKey("storage_gb", "GB", "Allocated storage (defaults to AllocatedStorage; RDS only)"),
    UsageKey("backup_storage_gb", "GB", "Backup storage beyond the free allowance (RDS only)"),
    UsageKey(
        "capacity_units_per_hr", "ACU", "Average Aurora Serverless v2 capacity (db.serverless instances)"
    ),
    *RESERVED_TERM_KEYS,
    UsageKey(
        "monthly_standard_io_requests",
        "I/Os per month",
        "I/O requests of magnetic (standard) storage (RDS only)",
    ),
    UsageKey(
        "monthly_additional_performance_insights_requests",
        "requests/month",
        "Performance Insights API requests beyond the free allowance",
    ),
    UsageKey(
        "monthly_cpu_credit_hrs",
        "hours",
        "Hours per month a burstable (db.t2/db.t3/db.t4g) instance bursts above its baseline",
    ),
    UsageKey("vcpu_count", "vCPUs", "vCPUs of the burstable instance class (with monthly_cpu_credit_hrs)"),
)

#: Burstable classes whose surplus CPU credits are billed (unlimited mode).
_BURSTABLE = ("db.t2", "db.t3", "db.t4g")


def _usage_extras(ctx: ModelContext, klass: str, db_engine: str, copies: Decimal) -> list[Charge]:
    """Performance Insights API requests and surplus CPU credits (infracost's meaning), when given."""
    out = []
    if ctx.usage.get("monthly_additional_performance_insights_requests") is not None:
        out.append(
            charge(
                "Performance Insights API requests",
                ctx.num("monthly_additional_performance_insights_requests"),
                "requests",
                ctx.q("AmazonRDS", productFamily="Performance Insights", usagetype="re:(^|-)PI_API$"),
                "monthly_additional_performance_insights_requests",
            )
        )
    family = klass.rsplit(".", 1)[0]
    if ctx.usage.get("monthly_cpu_credit_hrs") is not None and family in _BURSTABLE:
        out.append(
            charge(
                f"{family} unlimited CPU credits ({copies} x {klass})",
                mul(ctx.num("monthly_cpu_credit_hrs"), ctx.num("vcpu_count"), copies),
                "vCPU-hours",
                ctx.q("AmazonRDS", databaseEngine=db_engine, usagetype=f"re:(^|-)CPUCredits:{family}$"),
                "monthly_cpu_credit_hrs",
                "vcpu_count",
            )
        )
    return out


#: Aurora I/O-Optimized: "compute +30%" (aws/agent-toolkit-for-aws, 2026-08-20).
IO_OPTIMIZED_UPLIFT = Decimal("0.3")


@cost_model("AWS::RDS::DBInstance", service="AmazonRDS", usage=USAGE)
def db_instance(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Engine from the instance or its DBClusterIdentifier cluster."""
    cluster = ctx.ref(r.prop("DBClusterIdentifier"))
    engine = str(lit(ctx, r.prop("Engine") or (cluster.prop("Engine") if cluster else None), "mysql")).lower()
    klass = str(lit(ctx, r.prop("DBInstanceClass"), "unknown"))
    if is_aurora(engine):
        return _aurora_instance(r, ctx, engine, klass, cluster)
    multi_az = truthy(ctx, r.prop("MultiAZ"))
    copies = Decimal(2) if multi_az else Decimal(1)
    licence = lit(ctx, r.prop("LicenseModel"))
    attrs = instance_attrs(engine, str(licence) if licence else None, multi_az)
    # A commercial engine's Multi-AZ price is its own row, not two Single-AZ instances.
    instance_copies = Decimal(1) if is_commercial(engine) else copies
    family = engine_family(engine)
    deploy = ("Multi-AZ" if is_commercial(engine) else "Multi-AZ (2 instances)") if multi_az else "Single-AZ"
    storage = ctx.num("storage_gb")
    if storage is None:
        storage = num(ctx, r.prop("AllocatedStorage"))
    stype = str(lit(ctx, r.prop("StorageType"), "gp2")).lower()
    reserved = reserved_term(ctx, with_class=False)
    label = "" if reserved is None else f", {reserved_label(reserved)}"
    out = [
        Charge(
            f"{klass} {engine} {deploy}{label}",
            instance_copies * ctx.hours,
            "hours",
            ctx.q("AmazonRDS", instanceType=klass, **attrs),
            reserved=reserved,
        ),
        charge(
            f"Storage ({stype}{', x2 Multi-AZ' if multi_az else ''})",
            mul(storage, copies),
            "GB-months",
            ctx.q("AmazonRDS", engineFamily=family, usagetype=f"re:(^|-)RDS:{stype.upper()}-Storage$"),
            "storage_gb",
        ),
    ]
    if stype == "standard":
        out.append(
            charge(
                "Magnetic storage I/O requests",
                ctx.num("monthly_standard_io_requests"),
                "I/Os",
                ctx.q("AmazonRDS", engineFamily=family, usagetype="re:(^|-)RDS:StorageIOUsage$"),
                "monthly_standard_io_requests",
            )
        )
    backup = ctx.num("backup_storage_gb")
    if backup is not None:
        out.append(
            charge(
                "Backup storage",
                backup,
                "GB-months",
                ctx.q("AmazonRDS", engineFamily=family, usagetype="re:(^|-)RDS:ChargedBackupUsage$"),
                "backup_storage_gb",
            )
        )
    return out + _usage_extras(ctx, klass, ENGINE_NAMES.get(engine, engine), Decimal(1))


def _aurora_instance(
    r: Resource, ctx: ModelContext, engine: str, klass: str, cluster: Resource | None
) -> list[Charge]:
    db_engine = aurora_engine_name(engine)
    io_optimized = (
        cluster is not None and str(lit(ctx, cluster.prop("StorageType"), "aurora")) == "aurora-iopt1"
    )
    if klass == "db.serverless":
        acu = ctx.num("capacity_units_per_hr")
        if acu is None and cluster is not None:
            acu = num(ctx, cluster.usage.get("capacity_units_per_hr"))
            if acu is None:
                acu = num(ctx, cluster.prop("ServerlessV2ScalingConfiguration.MinCapacity"))
        mode = "IO-Optimized" if io_optimized else "Standard"
        return [
            charge(
                f"Aurora Serverless v2 ({acu if acu is not None else '?'} ACU average, {mode})",
                mul(acu, ctx.hours),
                "ACU-hours",
                ctx.q("AmazonRDS", databaseEngine=db_engine, storageMode=mode, productFamily="ServerlessV2"),
                "capacity_units_per_hr",
                note=""
                if ctx.num("capacity_units_per_hr") is not None
                else "ACUs default to the cluster's MinCapacity",
            )
        ]
    q = ctx.q("AmazonRDS", instanceType=klass, databaseEngine=db_engine)
    reserved = reserved_term(ctx, with_class=False)
    label = "" if reserved is None else f", {reserved_label(reserved)}"
    out = [Charge(f"{klass} {db_engine} instance{label}", ctx.hours, "hours", q, reserved=reserved)]
    if io_optimized:
        # A Reserved I/O-Optimized rate is its own price, never 30 % of the standard Reserved rate.
        uplift_term = None if reserved is None else "I/O-Optimized"
        out.append(
            Charge(
                "I/O-Optimized compute uplift (30%)",
                ctx.hours * IO_OPTIMIZED_UPLIFT,
                "hours",
                q,
                reserved=uplift_term,
            )
        )
    return out + _usage_extras(ctx, klass, db_engine, Decimal(1))
