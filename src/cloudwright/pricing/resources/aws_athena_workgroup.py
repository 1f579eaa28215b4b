"""Athena workgroup: data scanned ($ per TB, 10 MB minimum per query)."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey("monthly_queries", "queries/month", "Queries run per month"),
    UsageKey(
        "monthly_data_scanned_tb", "TB/month", "Data scanned per month (after compression/partitioning)"
    ),
)

#: Athena bills at least 10 MB per query (https://aws.amazon.com/athena/pricing/).
MIN_TB_PER_QUERY = Decimal(10) / Decimal(1024 * 1024)


@cost_model("AWS::Athena::WorkGroup", service="AmazonAthena", usage=USAGE, usage_only=True)
def workgroup(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Scanned TB, raised to 10 MB x queries when that is larger."""
    scanned = ctx.num("monthly_data_scanned_tb")
    queries = ctx.num("monthly_queries")
    note = ""
    if scanned is not None and queries is not None and queries * MIN_TB_PER_QUERY > scanned:
        scanned = queries * MIN_TB_PER_QUERY
        note = "10 MB minimum per query applied"
    return [
        charge(
            "Data scanned",
            scanned,
            "TB",
            ctx.q("AmazonAthena", usagetype="re:(^|-)DataScannedInTB$"),
            "monthly_data_scanned_tb",
            "monthly_queries",
            note=note,
        )
    ]
