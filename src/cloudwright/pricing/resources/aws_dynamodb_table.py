"""DynamoDB table: on-demand or provisioned throughput (GSIs included), storage, PITR, backups, streams."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit
from cloudwright.pricing.resources._dynamodb import TABLE_USAGE, storage_and_backups, throughput

USAGE = (*TABLE_USAGE, UsageKey("monthly_data_restored_gb", "GB/month", "Data restored from backups"))


@cost_model("AWS::DynamoDB::Table", service="AmazonDynamoDB", usage=USAGE)
def table(r: Resource, ctx: ModelContext) -> list[Charge]:
    """BillingMode PROVISIONED (the CloudFormation default) or PAY_PER_REQUEST."""
    mode = str(lit(ctx, r.prop("BillingMode"), "PROVISIONED"))
    out = throughput(r, ctx, mode) + storage_and_backups(r, ctx)
    restored = ctx.num("monthly_data_restored_gb")
    if restored is not None:
        out.append(
            charge(
                "Restore data size",
                restored,
                "GB",
                ctx.q("AmazonDynamoDB", usagetype="re:(^|-)RestoreDataSize-Bytes$"),
                "monthly_data_restored_gb",
            )
        )
    return out
