"""Aurora DB cluster: storage, I/O requests (Standard storage) and backup storage.
Instances (provisioned or db.serverless) are priced on their AWS::RDS::DBInstance resources."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit
from cloudwright.pricing.resources._rds import aurora_engine_name, is_aurora

USAGE = (
    UsageKey("storage_gb", "GB", "Cluster volume size"),
    UsageKey(
        "monthly_standard_io_requests", "I/Os per month", "Read and write I/Os (Aurora Standard storage only)"
    ),
    UsageKey("backup_storage_gb", "GB", "Backup storage beyond the cluster volume size"),
    UsageKey("capacity_units_per_hr", "ACU", "Average Serverless v2 capacity per db.serverless instance"),
)


@cost_model("AWS::RDS::DBCluster", service="AmazonRDS", usage=USAGE)
def db_cluster(r: Resource, ctx: ModelContext) -> list[Charge]:
    """StorageType aurora (Standard, default) or aurora-iopt1 (I/O-Optimized)."""
    engine = str(lit(ctx, r.prop("Engine"), "aurora-postgresql")).lower()
    if not is_aurora(engine):
        return []  # Multi-AZ DB clusters of RDS engines: instances carry the cost
    db_engine = aurora_engine_name(engine)
    iopt = str(lit(ctx, r.prop("StorageType"), "aurora")) == "aurora-iopt1"
    mode = "IO-Optimized" if iopt else "Standard"
    out = [
        charge(
            f"Storage ({mode})",
            ctx.num("storage_gb"),
            "GB-months",
            ctx.q("AmazonRDS", databaseEngine=db_engine, storageMode=mode, productFamily="Database Storage"),
            "storage_gb",
        )
    ]
    if not iopt:
        out.append(
            charge(
                "I/O requests",
                ctx.num("monthly_standard_io_requests"),
                "I/Os",
                ctx.q("AmazonRDS", databaseEngine=db_engine, usagetype="re:(^|-)Aurora:StorageIOUsage$"),
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
                ctx.q("AmazonRDS", databaseEngine=db_engine, usagetype="re:(^|-)Aurora:BackupUsage$"),
                "backup_storage_gb",
            )
        )
    return out
