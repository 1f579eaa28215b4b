"""DynamoDB charges shared by tables and global tables."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cloudwright.design.model import Resource, dict_or_empty
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey
from cloudwright.pricing.resources._common import charge, lit, num, truthy

TABLE_USAGE = (
    UsageKey(
        "monthly_write_request_units",
        "WRU/month",
        "On-demand write request units per month (1 KB each, GSIs included)",
    ),
    UsageKey(
        "monthly_read_request_units",
        "RRU/month",
        "On-demand read request units per month (4 KB strongly consistent)",
    ),
    UsageKey("storage_gb", "GB", "Table storage (items + indexes)"),
    UsageKey(
        "pitr_backup_storage_gb",
        "GB",
        "Point-in-time recovery storage (defaults to storage_gb when PITR is on)",
    ),
    UsageKey("on_demand_backup_storage_gb", "GB", "On-demand backup storage"),
    UsageKey("monthly_streams_read_request_units", "requests/month", "DynamoDB Streams read request units"),
)


def provisioned_capacity(r: Resource, ctx: ModelContext) -> tuple[Decimal, Decimal]:
    rcu = num(ctx, r.prop("ProvisionedThroughput.ReadCapacityUnits"), 0) or Decimal(0)
    wcu = num(ctx, r.prop("ProvisionedThroughput.WriteCapacityUnits"), 0) or Decimal(0)
    for gsi in r.prop_list("GlobalSecondaryIndexes"):
        if isinstance(gsi, dict):
            pt = dict_or_empty(gsi.get("ProvisionedThroughput"))
            rcu += num(ctx, pt.get("ReadCapacityUnits"), 0) or 0
            wcu += num(ctx, pt.get("WriteCapacityUnits"), 0) or 0
    return rcu, wcu


def throughput(r: Resource, ctx: ModelContext, billing_mode: str, replicated: bool = False) -> list[Charge]:
    svc = "AmazonDynamoDB"
    out: list[Charge] = []
    if billing_mode == "PAY_PER_REQUEST":
        if not replicated:
            out.append(
                charge(
                    "Write request units (on-demand)",
                    ctx.num("monthly_write_request_units"),
                    "WRU",
                    ctx.q(svc, usagetype="re:(^|-)WriteRequestUnits$"),
                    "monthly_write_request_units",
                )
            )
        out.append(
            charge(
                "Read request units (on-demand)",
                ctx.num("monthly_read_request_units"),
                "RRU",
                ctx.q(svc, usagetype="re:(^|-)ReadRequestUnits$"),
                "monthly_read_request_units",
            )
        )
    else:
        rcu, wcu = provisioned_capacity(r, ctx)
        out.append(
            charge(
                f"Write capacity ({wcu} WCU provisioned)",
                wcu * ctx.hours,
                "WCU-hours",
                ctx.q(svc, usagetype="re:(^|-)WriteCapacityUnit-Hrs$"),
            )
        )
        out.append(
            charge(
                f"Read capacity ({rcu} RCU provisioned)",
                rcu * ctx.hours,
                "RCU-hours",
                ctx.q(svc, usagetype="re:(^|-)ReadCapacityUnit-Hrs$"),
            )
        )
    return out


def storage_and_backups(
    r: Resource, ctx: ModelContext, replica: dict[str, Any] | None = None
) -> list[Charge]:
    """Storage, PITR, on-demand backups and streams; ``replica`` holds a global table replica's own
    TableClass / PointInTimeRecoverySpecification."""
    svc = "AmazonDynamoDB"
    spec = replica if replica is not None else r.properties
    table_class = str(lit(ctx, spec.get("TableClass"), "STANDARD"))
    storage_q = ctx.q(svc, usagetype="re:(^|-)TimedStorage-ByteHrs$")
    if table_class != "STANDARD":
        storage_q = ctx.q(svc, usagetype="re:(^|-)IA-TimedStorage-ByteHrs$")
    out = [
        charge(
            f"Storage ({table_class.lower()})", ctx.num("storage_gb"), "GB-months", storage_q, "storage_gb"
        )
    ]
    pitr_spec = spec.get("PointInTimeRecoverySpecification") or {}
    if isinstance(pitr_spec, dict) and truthy(ctx, pitr_spec.get("PointInTimeRecoveryEnabled")):
        pitr = ctx.num("pitr_backup_storage_gb")
        if pitr is None:
            pitr = ctx.num("storage_gb")
        out.append(
            charge(
                "Point-in-time recovery storage",
                pitr,
                "GB-months",
                ctx.q(svc, usagetype="re:(^|-)TimedPITRStorage-ByteHrs$"),
                "pitr_backup_storage_gb",
            )
        )
    backup = ctx.num("on_demand_backup_storage_gb")
    if backup is not None:
        out.append(
            charge(
                "On-demand backup storage",
                backup,
                "GB-months",
                ctx.q(svc, usagetype="re:(^|-)TimedBackupStorage-ByteHrs$"),
                "on_demand_backup_storage_gb",
            )
        )
    if r.prop("StreamSpecification"):
        out.append(
            charge(
                "Streams read request units",
                ctx.num("monthly_streams_read_request_units"),
                "requests",
                ctx.q(svc, usagetype="re:(^|-)Streams-Requests$"),
                "monthly_streams_read_request_units",
                note="reads by Lambda triggers are free",
            )
        )
    return out
