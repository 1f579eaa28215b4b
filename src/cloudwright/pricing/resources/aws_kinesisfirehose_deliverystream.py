"""Amazon Data Firehose delivery stream: data ingested."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey("monthly_data_ingested_gb", "GB/month", "Data ingested (each record rounded up to 5 KB by AWS)"),
)


@cost_model(
    "AWS::KinesisFirehose::DeliveryStream", service="AmazonKinesisFirehose", usage=USAGE, usage_only=True
)
def delivery_stream(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Ingestion only; format conversion and VPC delivery are not modelled."""
    return [
        charge(
            "Data ingested",
            ctx.num("monthly_data_ingested_gb"),
            "GB",
            ctx.q("AmazonKinesisFirehose", usagetype="re:(^|-)BilledBytes$"),
            "monthly_data_ingested_gb",
        )
    ]
