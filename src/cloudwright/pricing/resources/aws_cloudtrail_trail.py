"""CloudTrail trail: data events (management-event pricing is not modelled)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (UsageKey("monthly_data_events", "events/month", "Data events recorded (S3, Lambda ...)"),)


@cost_model("AWS::CloudTrail::Trail", service="AWSCloudTrail", usage=USAGE, usage_only=True)
def trail(r: Resource, ctx: ModelContext) -> list[Charge]:
    """CloudTrail prices were not in the catalogue's sources: the data-event line shows price unknown.
    Log storage is priced on the destination bucket."""
    selectors = r.prop("EventSelectors") or r.prop("AdvancedEventSelectors")
    if not selectors and ctx.num("monthly_data_events") is None:
        return []
    return [
        charge(
            "Data events",
            ctx.num("monthly_data_events"),
            "events",
            ctx.q("AWSCloudTrail", usagetype="re:(^|-)DataEventsRecorded$"),
            "monthly_data_events",
        )
    ]
