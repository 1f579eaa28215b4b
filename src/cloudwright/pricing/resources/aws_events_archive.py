"""EventBridge archive: events archived (processing) and archive storage."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey("monthly_archived_gb", "GB/month", "Event data written to the archive"),
    UsageKey("archive_storage_gb", "GB", "Archived event data stored"),
)


@cost_model("AWS::Events::Archive", service="AWSEvents", usage=USAGE, usage_only=True)
def archive(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Archive processing per GB and storage per GB-month."""
    return [
        charge(
            "Events archived",
            ctx.num("monthly_archived_gb"),
            "GB",
            ctx.q("AWSEvents", usagetype="re:(^|-)Archive-Processing-Bytes$"),
            "monthly_archived_gb",
        ),
        charge(
            "Archive storage",
            ctx.num("archive_storage_gb"),
            "GB-months",
            ctx.q("AWSEvents", usagetype="re:(^|-)Archive-Storage-ByteHrs$"),
            "archive_storage_gb",
        ),
    ]
