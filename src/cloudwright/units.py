"""Units, constants and money helpers shared by every stage.

Money is :class:`decimal.Decimal` everywhere; it is rounded only when rendered (:func:`money`).
"""

from __future__ import annotations

from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

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


#: Finite amounts and quantities cloudwright formats are guaranteed between these magnitudes (inputs are
#: bounded so that every computed figure stays inside; see docs/requirements.md). Formatting itself is
#: total over every finite Decimal.
SMALLEST = Decimal("1e-12")
LARGEST = Decimal("1e15")


def _context_for(value: Decimal, places: int) -> Context:
    """A context precise enough to quantize ``value`` to ``places`` decimals without InvalidOperation."""
    digits = max(value.adjusted(), 0) + places + 2
    return Context(prec=max(28, digits), rounding=ROUND_HALF_UP, Emax=MAX_EMAX, Emin=MIN_EMIN)


def round_money(value: Decimal, places: int = 2) -> Decimal:
    """Half-up to ``places`` decimals; total over finite Decimals (non-finite values are returned as is)."""
    if not value.is_finite():
        return value
    return value.quantize(Decimal(1).scaleb(-places), context=_context_for(value, places))


def money(value: Decimal | None, places: int = 2) -> str:
    """Render a monetary amount with the single rounding policy: half-up to cents.

    Total: any finite Decimal formats (``1e-12`` → ``0.00``, ``1e15`` → ``1,000,000,000,000,000.00``);
    ``None`` is ``—`` and a non-finite value (never produced from validated input) is ``unknown``.
    """
    if value is None:
        return "—"
    if not value.is_finite():
        return "unknown"
    return f"{round_money(value, places):,}"
