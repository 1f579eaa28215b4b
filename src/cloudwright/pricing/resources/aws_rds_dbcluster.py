"""Aurora DB cluster: storage, I/O requests (Standard storage) and backup storage.
Instances (provisioned or db.serverless) are priced on their AWS::RDS::DBInstance resources."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit, mul, num
from cloudwright.pricing.resources._rds import aurora_engine_name, is_aurora
from cloudwright.units import D

USAGE = (
    UsageKey("storage_gb", "GB", "Cluster volume size"),
    UsageKey(
        "monthly_standard_io_requests", "I/Os per month", "Read and write I/Os (Aurora Standard storage only)"
    ),
    UsageKey("backup_storage_gb", "GB", "Backup storage beyond the cluster volume size"),
    UsageKey("capacity_units_per_hr", "ACU", "Average Serverless v2 capacity per db.serverless instance"),
    UsageKey(
        "write_requests_per_sec",
        "I/Os per second",
        "Average write I/Os per second (with read_requests_per_sec)",
    ),
    UsageKey(
        "read_requests_per_sec",
        "I/Os per second",
        "Average read I/Os per second (with write_requests_per_sec)",
    ),
    UsageKey(
        "backup_snapshot_size_gb",
        "GB",
        "Size of one backup snapshot; backup storage = size x (BackupRetentionPeriod - 1)",
    ),
    UsageKey(
        "average_statements_per_hr", "statements/hour", "Write statements per hour (Aurora MySQL backtrack)"
    ),
    UsageKey(
        "change_records_per_statement", "records", "Change records per statement (Aurora MySQL backtrack)"
    ),
    UsageKey("backtrack_window_hrs", "hours", "Backtrack window (Aurora MySQL backtrack)"),
    UsageKey("snapshot_export_size_gb", "GB/month", "Snapshot data exported to S3 per month"),
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
        ios = ctx.num("monthly_standard_io_requests")
        io_keys: tuple[str, ...] = ("monthly_standard_io_requests",)
        if ios is None and ctx.usage.get("write_requests_per_sec") is not None:
            # infracost: (writes + reads) per second x the month's seconds
            per_sec = ctx.num("write_requests_per_sec")
            reads = ctx.num("read_requests_per_sec")
            ios = None if per_sec is None or reads is None else (per_sec + reads) * ctx.hours * 3600
            io_keys = ("write_requests_per_sec", "read_requests_per_sec")
        out.append(
            charge(
                "I/O requests",
                ios,
                "I/Os",
                ctx.q("AmazonRDS", databaseEngine=db_engine, usagetype="re:(^|-)Aurora:StorageIOUsage$"),
                *io_keys,
            )
        )
    backup = ctx.num("backup_storage_gb")
    backup_keys: tuple[str, ...] = ("backup_storage_gb",)
    if backup is None and ctx.usage.get("backup_snapshot_size_gb") is not None:
        # infracost: one snapshot per retained day beyond the first (the first is free up to the volume)
        retention = num(ctx, r.prop("BackupRetentionPeriod"), 1) or D(1)
        size = ctx.num("backup_snapshot_size_gb")
        backup = None if size is None else size * max(retention - 1, D(0))
        backup_keys = ("backup_snapshot_size_gb",)
    if backup is not None:
        out.append(
            charge(
                "Backup storage",
                backup,
                "GB-months",
                ctx.q("AmazonRDS", databaseEngine=db_engine, usagetype="re:(^|-)Aurora:BackupUsage$"),
                *backup_keys,
            )
        )
    backtrack_keys = ("average_statements_per_hr", "change_records_per_statement", "backtrack_window_hrs")
    if any(ctx.usage.get(k) is not None for k in backtrack_keys):
        # infracost: statements/hour x 730 h x change records per statement x window hours
        records = mul(*(ctx.num(k) for k in backtrack_keys))
        out.append(
            charge(
                "Backtrack change records",
                None if records is None else records * ctx.hours,
                "change records",
                ctx.q("AmazonRDS", databaseEngine=db_engine, usagetype="re:(^|-)Aurora:BacktrackUsage$"),
                *backtrack_keys,
            )
        )
    if ctx.usage.get("snapshot_export_size_gb") is not None:
        out.append(
            charge(
                "Snapshot export to S3",
                ctx.num("snapshot_export_size_gb"),
                "GB",
                ctx.q("AmazonRDS", databaseEngine=db_engine, usagetype="re:(^|-)Aurora:SnapshotExportToS3$"),
                "snapshot_export_size_gb",
            )
        )
    return out
