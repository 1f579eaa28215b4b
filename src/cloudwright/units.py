"""Units, constants and money helpers shared by every stage.

Money is :class:`decimal.Decimal` everywhere; it is rounded only when rendered (:func:`money`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

#: Hours in a billing month. AWS pricing pages use 730 hours per month in their examples
#: (e.g. https://aws.amazon.com/fargate/pricing/ and https://aws.amazon.com/ec2/pricing/on-demand/).
HOURS_PER_MONTH = Decimal(730)
#: Seconds in that month.
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
#: Days in that month (730 / 24).
DAYS_PER_MONTH = HOURS_PER_MONTH / 24
#: Lambda and Fargate bill memory in GB of 1024 MB (https://aws.amazon.com/lambda/pricing/).
MB_PER_GB = Decimal(1024)
KB_PER_GB = Decimal(1024 * 1024)

CENT = Decimal("0.01")


def D(value: object) -> Decimal:
    """Convert numbers (and numeric strings) to Decimal without float noise."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def money(value: Decimal | None, places: int = 2) -> str:
    """Render a monetary amount with the single rounding policy: half-up to cents."""
    if value is None:
        return "—"
    q = Decimal(1).scaleb(-places)
    return f"{value.quantize(q, rounding=ROUND_HALF_UP):,}"


def round_money(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
