"""DynamoDB table: on-demand or provisioned throughput (GSIs included), storage, PITR, backups, streams."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, cost_model
from cloudwright.pricing.resources._common import lit
from cloudwright.pricing.resources._dynamodb import TABLE_USAGE, storage_and_backups, throughput


@cost_model("AWS::DynamoDB::Table", usage=TABLE_USAGE)
def table(r: Resource, ctx: ModelContext) -> list[Charge]:
    """BillingMode PROVISIONED (the CloudFormation default) or PAY_PER_REQUEST."""
    mode = str(lit(ctx, r.prop("BillingMode"), "PROVISIONED"))
    return throughput(r, ctx, mode) + storage_and_backups(r, ctx)
