"""Timestream for LiveAnalytics table: writes, memory store, magnetic store."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey("monthly_writes_gb", "GB/month", "Data written"),
    UsageKey("memory_store_gb", "GB", "Average memory-store data"),
    UsageKey("magnetic_store_gb", "GB", "Average magnetic-store data"),
)


@cost_model("AWS::Timestream::Table", service="AmazonTimestream", usage=USAGE, usage_only=True)
def table(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Timestream prices were not found in the catalogue's sources: lines show price unknown.
    (AWS steers new users to Timestream for InfluxDB.)"""
    svc = "AmazonTimestream"
    memory = ctx.num("memory_store_gb")
    return [
        charge(
            "Writes",
            ctx.num("monthly_writes_gb"),
            "GB",
            ctx.q(svc, usagetype="re:Timestream-Writes$"),
            "monthly_writes_gb",
        ),
        charge(
            "Memory store",
            None if memory is None else memory * ctx.hours,
            "GB-hours",
            ctx.q(svc, usagetype="re:Timestream-MemoryStore-GB-Hrs$"),
            "memory_store_gb",
        ),
        charge(
            "Magnetic store",
            ctx.num("magnetic_store_gb"),
            "GB-months",
            ctx.q(svc, usagetype="re:Timestream-MagneticStore-GB-Mo$"),
            "magnetic_store_gb",
        ),
    ]
