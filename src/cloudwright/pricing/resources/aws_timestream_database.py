"""Timestream database: no charge of its own (tables carry storage and writes); queries are priced here."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (UsageKey("monthly_query_tcu_hours", "TCU-hours/month", "Query compute (Timestream Compute Units)"),)


@cost_model("AWS::Timestream::Database", service="AmazonTimestream", usage=USAGE, usage_only=True)
def database(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Query TCU-hours (price unknown: not in the catalogue's sources)."""
    return [
        charge(
            "Query compute",
            ctx.num("monthly_query_tcu_hours"),
            "TCU-hours",
            ctx.q("AmazonTimestream", usagetype="re:Timestream-Query-TCU-Hrs$"),
            "monthly_query_tcu_hours",
        )
    ]
