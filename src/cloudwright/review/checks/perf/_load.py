"""Shared helpers: load a resource must carry, from its usage keys and the requirements."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.review.context import ReviewContext
from cloudwright.units import MONTH_SECONDS

SECONDS_PER_MONTH = MONTH_SECONDS


def per_second_peak(ctx: ReviewContext, r: Resource, usage_key: str) -> float | None:
    """Peak per-second rate of a monthly usage key (average × the requirements' peak-to-average ratio)."""
    v = r.usage.get(usage_key)
    if not isinstance(v, int | float) or isinstance(v, bool):
        return None
    ratio = ctx.requirements.peak_to_average_ratio if ctx.requirements is not None else 1.0
    return float(v) / SECONDS_PER_MONTH * ratio


def default_quota(key: str) -> float | None:
    try:
        from cloudwright.quotas import get

        return float(get(key).value)
    except Exception:
        return None
