"""EventBridge custom event bus: custom events in 64 KB chunks, archive storage."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, chunks, mul

USAGE = (
    UsageKey("monthly_custom_events", "events/month", "Custom events published to the bus"),
    UsageKey("event_size_kb", "KB", "Average event size (billed in 64 KB chunks)"),
    UsageKey("archive_storage_gb", "GB", "Archived events stored"),
)


@cost_model("AWS::Events::EventBus", usage=USAGE, usage_only=True)
def event_bus(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Rules are free (AWS::Events::Rule); events from AWS services to the default bus are free."""
    units = chunks(ctx.num("event_size_kb"), 64)
    out = [
        charge(
            "Custom events" + (f" ({units} x 64 KB chunks each)" if units > 1 else ""),
            mul(ctx.num("monthly_custom_events"), units),
            "events",
            ctx.q("AWSEvents", usagetype="re:(^|-)Event-64K-Chunks$"),
            "monthly_custom_events",
            "event_size_kb",
        )
    ]
    archive = ctx.num("archive_storage_gb")
    if archive is not None:
        out.append(
            charge(
                "Archive storage",
                archive,
                "GB-months",
                ctx.q("AWSEvents", usagetype="re:(^|-)Archive-Storage-ByteHrs$"),
                "archive_storage_gb",
            )
        )
    return out
