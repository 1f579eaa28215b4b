"""AWS Glue Data Catalog database: objects stored and requests."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey(
        "storage_objects", "objects", "Tables, partitions and versions stored (beyond any free allowance)"
    ),
    UsageKey("monthly_requests", "requests/month", "Data Catalog API requests"),
)


@cost_model("AWS::Glue::Database", service="AWSGlue", usage=USAGE, usage_only=True)
def glue_database(r: Resource, ctx: ModelContext) -> list[Charge]:
    """The Data Catalog free allowance was not re-verified, so it is not subtracted."""
    return [
        charge(
            "Catalog objects stored",
            ctx.num("storage_objects"),
            "objects",
            ctx.q("AWSGlue", usagetype="re:(^|-)Catalog-Storage$"),
            "storage_objects",
        ),
        charge(
            "Catalog requests",
            ctx.num("monthly_requests"),
            "requests",
            ctx.q("AWSGlue", usagetype="re:(^|-)Catalog-Request$"),
            "monthly_requests",
        ),
    ]
