"""DynamoDB global table: every replica region bills replicated writes, its reads, storage and backups,
plus cross-region replication transfer.

Usage semantics: ``monthly_write_request_units`` = application writes (each becomes one replicated
WRU in *every* replica region); ``monthly_read_request_units`` and ``storage_gb`` are per replica.
Replicas outside the catalogue's regions are "price unknown" unless imported or in a price book.
"""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit
from cloudwright.pricing.resources._dynamodb import TABLE_USAGE, storage_and_backups, throughput

USAGE = (
    *TABLE_USAGE,
    UsageKey(
        "monthly_replicated_write_request_units",
        "rWRU/month",
        "Replicated write request units per replica when not every write reaches every replica "
        "(0 or missing: monthly_write_request_units)",
    ),
    UsageKey(
        "replication_data_transfer_gb",
        "GB/month",
        "Data replicated out of EACH replica region (default: 1 KB/write x other replicas / replicas)",
    ),
)


@cost_model("AWS::DynamoDB::GlobalTable", service="AmazonDynamoDB", also=("AWSDataTransfer",), usage=USAGE)
def global_table(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Replicas from ``Replicas[].Region`` (the stack region when empty)."""
    replicas: dict[str, dict] = {
        str(lit(ctx, rep.get("Region"), ctx.region)): rep
        for rep in r.prop_list("Replicas")
        if isinstance(rep, dict)
    } or {ctx.region: {}}
    regions = sorted(replicas)
    mode = str(lit(ctx, r.prop("BillingMode"), "PROVISIONED"))
    # every replica bills each application write as one replicated WRU (DynamoDB developer guide,
    # "Understanding billing for global tables"); an explicit non-zero per-replica figure wins
    writes = ctx.num("monthly_replicated_write_request_units") or ctx.num("monthly_write_request_units")
    xfer = ctx.num("replication_data_transfer_gb")
    if xfer is None and writes is not None:
        # each write (1 KB) leaves its home region once per other replica; writes spread evenly
        xfer = writes * Decimal(len(regions) - 1) / Decimal(len(regions)) / Decimal(1024 * 1024)
    out: list[Charge] = []
    for region in regions:
        rctx = ctx.in_region(region)
        tag = f" [{region}]"
        if mode == "PAY_PER_REQUEST":
            out.append(
                charge(
                    "Replicated write request units" + tag,
                    writes,
                    "rWRU",
                    rctx.q("AmazonDynamoDB", usagetype="re:(^|-)ReplWriteRequestUnits$"),
                    "monthly_write_request_units",
                )
            )
        for c in throughput(r, rctx, mode, replicated=True) + storage_and_backups(r, rctx, replicas[region]):
            out.append(c._replace(description=c.description + tag))
        if len(regions) > 1:
            out.append(
                charge(
                    "Cross-region replication transfer" + tag,
                    xfer,
                    "GB",
                    rctx.q("AWSDataTransfer", transferType="InterRegion Outbound"),
                    "replication_data_transfer_gb",
                )
            )
    return out
