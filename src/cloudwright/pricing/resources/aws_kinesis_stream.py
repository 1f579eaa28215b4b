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
    UsageKey(
        "monthly_on_demand_efo_data_out_gb", "GB/month", "Data read by enhanced fan-out consumers (on-demand)"
    ),
    UsageKey(
        "monthly_on_demand_extended_retention_gb",
        "GB-months",
        "Data kept beyond 24 hours and up to 7 days (on-demand)",
    ),
    UsageKey("monthly_on_demand_long_term_retention_gb", "GB-months", "Data kept beyond 7 days (on-demand)"),
    UsageKey(
        "monthly_provisioned_put_units",
        "units/month",
        "PUT payload units (25 KB) per month (provisioned; overrides monthly_put_records)",
    ),
    UsageKey(
        "monthly_provisioned_extended_retention_gb",
        "GB-months",
        "Data kept beyond 24 hours and up to 7 days (provisioned)",
    ),
    UsageKey(
        "monthly_provisioned_long_term_retention_gb", "GB-months", "Data kept beyond 7 days (provisioned)"
    ),
    UsageKey(
        "monthly_provisioned_long_term_retrieval_gb",
        "GB/month",
        "Data read that is older than 7 days (provisioned)",
    ),
    UsageKey(
        "monthly_provisioned_efo_data_out_gb",
        "GB/month",
        "Data read by enhanced fan-out consumers (provisioned)",
    ),
    UsageKey(
        "monthly_provisioned_efo_consumer_hours",
        "consumer-hours",
        "Enhanced fan-out consumer-shard hours (provisioned)",
    ),
)

#: Optional usage-driven lines: (usage key, description, unit, usagetype pattern). A line is added
#: only when its key is given; a pattern with no catalogue row prices as unknown (never guessed).
#: Provisioned patterns allow only a region prefix, so on-demand (``OnDemand-…``) rows never match.
_ON_DEMAND_EXTRAS = (
    (
        "monthly_on_demand_efo_data_out_gb",
        "Enhanced fan-out data out (on-demand)",
        "GB",
        "re:(^|-)OnDemand-EnhancedFanoutBilledOutgoingBytes$",
    ),
    (
        "monthly_on_demand_extended_retention_gb",
        "Extended retention, 24 h to 7 days (on-demand)",
        "GB-months",
        "re:(^|-)OnDemand-ExtendedRetention-ByteHrs$",
    ),
    (
        "monthly_on_demand_long_term_retention_gb",
        "Long-term retention, beyond 7 days (on-demand)",
        "GB-months",
        "re:(^|-)OnDemand-LongTermRetention-ByteHrs$",
    ),
)
_PROVISIONED_EXTRAS = (
    (
        "monthly_provisioned_extended_retention_gb",
        "Extended retention, 24 h to 7 days (provisioned)",
        "GB-months",
        "re:^([A-Z]{2,4}[0-9]*-)?ExtendedRetention-ByteHrs$",
    ),
    (
        "monthly_provisioned_long_term_retention_gb",
        "Long-term retention, beyond 7 days (provisioned)",
        "GB-months",
        "re:^([A-Z]{2,4}[0-9]*-)?LongTermRetention-ByteHrs$",
    ),
    (
        "monthly_provisioned_long_term_retrieval_gb",
        "Long-term retention retrieval (provisioned)",
        "GB",
        "re:^([A-Z]{2,4}[0-9]*-)?LongTermRetention-BilledOutgoingBytes$",
    ),
    (
        "monthly_provisioned_efo_data_out_gb",
        "Enhanced fan-out data out (provisioned)",
        "GB",
        "re:^([A-Z]{2,4}[0-9]*-)?EnhancedFanoutBilledOutgoingBytes$",
    ),
    (
        "monthly_provisioned_efo_consumer_hours",
        "Enhanced fan-out consumer-shard hours (provisioned)",
        "consumer-shard-hours",
        "re:^([A-Z]{2,4}[0-9]*-)?EnhancedFanout-ConsumerShardHour$",
    ),
)


def _extras(ctx: ModelContext, extras: tuple[tuple[str, str, str, str], ...]) -> list[Charge]:
    return [
        charge(what, ctx.num(key), unit, ctx.q("AmazonKinesis", usagetype=pattern), key)
        for key, what, unit, pattern in extras
        if ctx.usage.get(key) is not None
    ]


@cost_model("AWS::Kinesis::Stream", service="AmazonKinesis", usage=USAGE)
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
            *_extras(ctx, _ON_DEMAND_EXTRAS),
        ]
    shards = num(ctx, r.prop("ShardCount"), 1) or Decimal(1)
    units = chunks(ctx.num("average_record_size_kb"), 25)
    put_units = ctx.num("monthly_provisioned_put_units")
    if put_units is None:
        put_units = mul(ctx.num("monthly_put_records"), units)
        put_keys: tuple[str, ...] = ("monthly_put_records", "average_record_size_kb")
    else:
        put_keys = ("monthly_provisioned_put_units",)
    return [
        charge(
            f"Shard hours ({shards} shards)",
            shards * ctx.hours,
            "shard-hours",
            ctx.q(svc, usagetype="re:(^|-)Storage-ShardHour$"),
        ),
        charge(
            "PUT payload units (25 KB)",
            put_units,
            "units",
            ctx.q(svc, usagetype="re:(^|-)PutRequestPayloadUnits$"),
            *put_keys,
        ),
        *_extras(ctx, _PROVISIONED_EXTRAS),
    ]
