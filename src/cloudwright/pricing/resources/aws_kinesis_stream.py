"""Kinesis Data Streams: provisioned (shard-hours + 25 KB PUT payload units) or on-demand."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, chunks, lit, mul, num

USAGE = (
    UsageKey("monthly_put_records", "records/month", "Records written per month (provisioned mode)"),
    UsageKey("average_record_size_kb", "KB", "Average record size (PUT payload units are 25 KB)"),
    UsageKey("monthly_on_demand_data_in_gb", "GB/month", "Data written (on-demand mode)"),
    UsageKey("monthly_on_demand_data_out_gb", "GB/month", "Data read (on-demand mode)"),
)


@cost_model("AWS::Kinesis::Stream", usage=USAGE)
def stream(r: Resource, ctx: ModelContext) -> list[Charge]:
    """StreamModeDetails.StreamMode PROVISIONED (default; ShardCount, default 1) or ON_DEMAND."""
    mode = str(lit(ctx, r.prop("StreamModeDetails.StreamMode"), "PROVISIONED")).upper()
    svc = "AmazonKinesis"
    if mode == "ON_DEMAND":
        return [
            charge(
                "Stream hours (on-demand)",
                ctx.hours,
                "hours",
                ctx.q(svc, usagetype="re:(^|-)OnDemand-StreamHour$"),
            ),
            charge(
                "Data in (on-demand)",
                ctx.num("monthly_on_demand_data_in_gb"),
                "GB",
                ctx.q(svc, usagetype="re:(^|-)OnDemand-BilledIncomingBytes$"),
                "monthly_on_demand_data_in_gb",
            ),
            charge(
                "Data out (on-demand)",
                ctx.num("monthly_on_demand_data_out_gb"),
                "GB",
                ctx.q(svc, usagetype="re:(^|-)OnDemand-BilledOutgoingBytes$"),
                "monthly_on_demand_data_out_gb",
            ),
        ]
    shards = num(ctx, r.prop("ShardCount"), 1) or Decimal(1)
    units = chunks(ctx.num("average_record_size_kb"), 25)
    return [
        charge(
            f"Shard hours ({shards} shards)",
            shards * ctx.hours,
            "shard-hours",
            ctx.q(svc, usagetype="re:(^|-)Storage-ShardHour$"),
        ),
        charge(
            "PUT payload units (25 KB)",
            mul(ctx.num("monthly_put_records"), units),
            "units",
            ctx.q(svc, usagetype="re:(^|-)PutRequestPayloadUnits$"),
            "monthly_put_records",
            "average_record_size_kb",
        ),
    ]
