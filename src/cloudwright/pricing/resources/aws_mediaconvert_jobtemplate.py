"""AWS Elemental MediaConvert job template: output minutes of the jobs created from it (on-demand queue)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey(
        "monthly_output_minutes",
        "minutes/month",
        "Minutes of output transcoded from this template (video length × renditions)",
    ),
)


@cost_model(
    "AWS::MediaConvert::JobTemplate", service="AWSElementalMediaConvert", usage=USAGE, usage_only=True
)
def job_template(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Output minutes on the on-demand queue; MediaConvert prices (by tier, codec, resolution and frame
    rate) were not found in the catalogue's sources, so the line shows price unknown."""
    return [
        charge(
            "Transcoding output minutes (on-demand queue)",
            ctx.num("monthly_output_minutes"),
            "minutes",
            ctx.q("AWSElementalMediaConvert", usagetype="re:(^|-)OutputMinutes$"),
            "monthly_output_minutes",
        )
    ]
