"""Amazon IVS low-latency channel: live video input hours and output (viewer) hours."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit

USAGE = (
    UsageKey("monthly_input_hours", "hours/month", "Hours of live video sent to the channel"),
    UsageKey("monthly_output_hours", "hours/month", "Viewer-hours of live video delivered"),
)


@cost_model("AWS::IVS::Channel", service="AmazonIVS", usage=USAGE, usage_only=True)
def channel(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Input hours by channel Type (STANDARD default) and output hours; IVS prices were not found in the
    catalogue's sources, so the lines show price unknown."""
    kind = str(lit(ctx, r.prop("Type"), "STANDARD")).upper()
    svc = "AmazonIVS"
    return [
        charge(
            f"Live video input ({kind} channel)",
            ctx.num("monthly_input_hours"),
            "hours",
            ctx.q(svc, usagetype=f"re:(^|-)LiveVideoInput-{kind}$"),
            "monthly_input_hours",
        ),
        charge(
            "Live video output (viewer-hours)",
            ctx.num("monthly_output_hours"),
            "hours",
            ctx.q(svc, usagetype="re:(^|-)LiveVideoOutput$"),
            "monthly_output_hours",
        ),
    ]
