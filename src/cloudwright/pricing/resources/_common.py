"""Helpers shared by cost models: literal property values, metering increments, charge construction."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, Decimal

from cloudwright.pricing.model import Charge, PriceQuery
from cloudwright.pricing.registry import ModelContext
from cloudwright.units import D, JsonValue

SECONDS_PER_HOUR = Decimal(3600)
MB_PER_GB = Decimal(1024)


def lit(ctx: ModelContext, value: JsonValue, default: JsonValue = None) -> JsonValue:
    """A property's literal value. Intrinsic functions are evaluated by the reader's resolver
    (parameter values or defaults, conditions, mappings); what cannot be known offline, and any other
    mapping, gives ``default``."""
    if isinstance(value, dict):
        from cloudwright.cfn.intrinsics import NO_VALUE, UNRESOLVED

        resolved = ctx.resolver().deep(value)
        if resolved is UNRESOLVED or resolved is NO_VALUE or isinstance(resolved, dict):
            return default
        return resolved
    return default if value is None else value


def num(ctx: ModelContext, value: JsonValue, default: JsonValue = None) -> Decimal | None:
    v = lit(ctx, value, default)
    if v is None:
        return None
    try:
        return D(v)
    except Exception:
        return None if default is None else D(default)


def truthy(ctx: ModelContext, value: JsonValue) -> bool:
    v = lit(ctx, value, False)
    return v is True or (isinstance(v, str) and v.lower() == "true")


def chunks(size_kb: Decimal | None, chunk_kb: int) -> Decimal:
    """Metering increments: a 513 KB request on a 512 KB meter counts as 2 (at least 1)."""
    if size_kb is None or size_kb <= 0:
        return Decimal(1)
    return Decimal(max(1, math.ceil(size_kb / Decimal(chunk_kb))))


def ceil_to(value: Decimal, step: Decimal) -> Decimal:
    return (value / step).to_integral_value(rounding=ROUND_CEILING) * step


def mul(*values: Decimal | None) -> Decimal | None:
    out = Decimal(1)
    for v in values:
        if v is None:
            return None
        out *= v
    return out


def charge(
    description: str,
    quantity: Decimal | None,
    unit: str,
    query: PriceQuery,
    *keys: str,
    note: str = "",
    pool: str | None = None,
) -> Charge:
    return Charge(description, quantity, unit, query, usage_keys=tuple(keys), note=note, free_tier_pool=pool)


#: Where global services (Route 53, CloudFront, WAF for CloudFront) are billed and catalogued.
GLOBAL_BILLING_REGION = "us-east-1"


def global_ctx(ctx: ModelContext) -> ModelContext:
    """The context of a global service: its prices are the same everywhere and live under us-east-1."""
    return ctx.in_region(GLOBAL_BILLING_REGION)
