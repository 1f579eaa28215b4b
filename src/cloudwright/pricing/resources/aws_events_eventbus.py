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
    UsageKey(
        "monthly_third_party_events",
        "events/month",
        "Third-party (SaaS partner) and cross-account events published (64 KB chunks)",
    ),
    UsageKey("monthly_archive_processing_gb", "GB/month", "Events processed into archives"),
    UsageKey(
        "monthly_schema_discovery_events",
        "events/month",
        "Events ingested for schema discovery (billed in 8 KB chunks of event_size_kb)",
    ),
)


@cost_model("AWS::Events::EventBus", service="AWSEvents", usage=USAGE, usage_only=True)
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
    third_party = ctx.num("monthly_third_party_events")
    if third_party is not None:
        out.append(
            charge(
                "Third-party and cross-account events"
                + (f" ({units} x 64 KB chunks each)" if units > 1 else ""),
                third_party * units,
                "events",
                ctx.q("AWSEvents", usagetype="re:(^|-)PartnerEvent-64K-Chunks$"),
                "monthly_third_party_events",
            )
        )
    processing = ctx.num("monthly_archive_processing_gb")
    if processing is not None:
        out.append(
            charge(
                "Archive processing",
                processing,
                "GB",
                ctx.q("AWSEvents", usagetype="re:(^|-)Archive-Processing-Bytes$"),
                "monthly_archive_processing_gb",
            )
        )
    discovery = ctx.num("monthly_schema_discovery_events")
    if discovery is not None:
        small = chunks(ctx.num("event_size_kb"), 8)
        out.append(
            charge(
                "Schema discovery events" + (f" ({small} x 8 KB chunks each)" if small > 1 else ""),
                discovery * small,
                "events",
                ctx.q("AWSEvents", usagetype="re:(^|-)SchemaDiscovery-Events-8K-Chunks$"),
                "monthly_schema_discovery_events",
                note="the schema discovery free allowance is not applied (no sourced figure)",
            )
        )
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
