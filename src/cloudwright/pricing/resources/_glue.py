"""AWS Glue crawlers and jobs are both billed in DPU-hours; one model body serves both types."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey
from cloudwright.pricing.resources._common import charge, mul, num

USAGE = (
    UsageKey("monthly_hours", "hours/month", "Run time per month"),
    UsageKey(
        "dpus",
        "DPU",
        "DPUs while running (default: MaxCapacity / NumberOfWorkers, else 2 for crawlers, 10 for jobs)",
    ),
)


def dpu_hours(
    r: Resource, ctx: ModelContext, *, label: str, default_dpus: int, usagetype: str
) -> list[Charge]:
    """DPU-hours = run hours x DPUs (from usage, else the resource's capacity, else ``default_dpus``)."""
    dpus = ctx.num("dpus") or num(ctx, r.prop("MaxCapacity")) or num(ctx, r.prop("NumberOfWorkers"))
    if dpus is None:
        dpus = Decimal(default_dpus)
    return [
        charge(
            f"{label} DPU-hours ({dpus} DPU)",
            mul(ctx.num("monthly_hours"), dpus),
            "DPU-hours",
            ctx.q("AWSGlue", usagetype=usagetype),
            "monthly_hours",
            "dpus",
        )
    ]
