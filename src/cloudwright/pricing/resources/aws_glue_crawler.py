"""AWS Glue crawler: DPU-hours."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, mul, num

USAGE = (
    UsageKey("monthly_hours", "hours/month", "Run time per month"),
    UsageKey(
        "dpus",
        "DPU",
        "DPUs while running (default: MaxCapacity / NumberOfWorkers, else 2 for crawlers, 10 for jobs)",
    ),
)


@cost_model("AWS::Glue::Crawler", usage=USAGE, usage_only=True)
def glue_crawler(r: Resource, ctx: ModelContext) -> list[Charge]:
    """DPU-hours = run hours x DPUs."""
    dpus = ctx.num("dpus") or num(ctx, r.prop("MaxCapacity")) or num(ctx, r.prop("NumberOfWorkers"))
    if dpus is None:
        dpus = Decimal(2)
    return [
        charge(
            f"Crawler DPU-hours ({dpus} DPU)",
            mul(ctx.num("monthly_hours"), dpus),
            "DPU-hours",
            ctx.q("AWSGlue", usagetype="re:(^|-)Crawler-DPU-Hour$"),
            "monthly_hours",
            "dpus",
        )
    ]
