"""Units, constants and money helpers shared by every stage.

Money is :class:`decimal.Decimal` everywhere; it is rounded only when rendered (:func:`money`).
"""

from __future__ import annotations

from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal
from typing import TYPE_CHECKING, Literal, Union, get_args

from typing_extensions import TypeAliasType

#: The deployment environments, in order (the one owner: every stage, the CLI, the web app and the
#: generated template's ``Environment`` parameter read them from here).
EnvironmentName = Literal["dev", "staging", "prod"]
ENVIRONMENTS: tuple[EnvironmentName, ...] = get_args(EnvironmentName)
#: Which AWS Free Tier allowances an estimate applies (see ``data/prices/aws/free_tier.yaml``).
#: The scope of a free-tier allowance (``always-free`` allowances apply in both modes).
FreeTierScope = Literal["always-free", "new-account"]
FreeTier = Literal["none", FreeTierScope]
FREE_TIER_CHOICES: tuple[FreeTier, ...] = get_args(FreeTier)

#: Hours in a billing month. AWS pricing pages use 730 hours per month in their examples
#: (e.g. https://aws.amazon.com/fargate/pricing/ and https://aws.amazon.com/ec2/pricing/on-demand/).
#: The one owner of that figure: every stage imports it from here.
MONTH_HOURS = 730
#: The same month in minutes and seconds, as plain integers for sizing arithmetic.
MONTH_MINUTES = MONTH_HOURS * 60
MONTH_SECONDS = MONTH_HOURS * 3600
HOURS_PER_MONTH = Decimal(MONTH_HOURS)
#: Seconds in that month.
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
#: Days in that month (730 / 24).
DAYS_PER_MONTH = HOURS_PER_MONTH / 24
#: Lambda and Fargate bill memory in GB of 1024 MB (https://aws.amazon.com/lambda/pricing/).
MB_PER_GB = Decimal(1024)
KB_PER_GB = Decimal(1024 * 1024)

CENT = Decimal("0.01")

#: A JSON-like value as the stages hand it on: CloudFormation properties, usage, assumptions and plans.
#: Amounts stay Decimal until they are written out.
if TYPE_CHECKING:
    JsonValue = Union[str, bool, int, float, Decimal, list["JsonValue"], dict[str, "JsonValue"], None]  # noqa: UP007
else:  # the same recursive alias, in the form pydantic validates
    JsonValue = TypeAliasType(
        "JsonValue",
        Union[str, bool, int, float, Decimal, list["JsonValue"], dict[str, "JsonValue"], None],  # noqa: UP007
    )
#: A JSON-like object (``{key: JsonValue}``).
JsonObject = dict[str, JsonValue]


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
    ``None`` is ``—`` and a non-finite value (never produced from validated input) is ``unknown``. An
    amount that rounds to zero never prints a sign (``-0.001`` → ``0.00``).
    """
    if value is None:
        return "—"
    if not value.is_finite():
        return "unknown"
    rounded = round_money(D(value), places)
    if rounded.is_zero():
        rounded = abs(rounded)
    return f"{rounded:,}"


# ------------------------------------------------------------------------------------------------
# The one money and quantity formatter every output uses (terminal, Markdown, HTML, CSV, JSON text)
# ------------------------------------------------------------------------------------------------
def usd(value: Decimal | float | int | None, places: int = 2, *, none: str = "—") -> str:
    """A dollar amount: ``$1,234.50``, a credit ``-$0.20`` (never ``$-0.20``), zero ``$0.00`` (never
    ``-$0.00``); ``none`` for None and ``unknown`` for a non-finite value."""
    if value is None:
        return none
    amount = D(value)
    if not amount.is_finite():
        return "unknown"
    text = money(amount, places)
    return "-$" + text[1:] if text.startswith("-") else "$" + text


def signed_usd(value: Decimal | float | int | None, places: int = 2, *, none: str = "—") -> str:
    """A change in dollars: ``+$1.00``, ``-$0.20``; a change that rounds to zero is ``$0.00``."""
    text = usd(value, places, none=none)
    if value is None or not text.startswith("$") or text == usd(0, places):
        return text
    return "+" + text


def plain_usd(value: Decimal | float | int | None, places: int = 2) -> str:
    """A dollar amount for machine-read text (CSV): ``1234.50``, ``-0.20``, ``0.00``; ``""`` for None."""
    if value is None:
        return ""
    return money(D(value), places).replace(",", "")


def unit_price(value: Decimal | float | int | None, *, none: str = "—") -> str:
    """A unit price exactly as catalogued, at least to cents: ``$0.0000166667``, ``$0.045``, ``$32.40``."""
    if value is None:
        return none
    price = D(value)
    if not price.is_finite():
        return "unknown"
    text = f"{abs(price):f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0").ljust(2, "0")
    return ("-$" if price < 0 else "$") + f"{int(whole):,}" + "." + frac


def quantity(value: Decimal | float | int | None, places: int = 4, *, none: str = "—") -> str:
    """A quantity: whole numbers with thousands separators, fractions half-up to ``places`` decimals
    without trailing zeros (``1,234``, ``0.0417``, ``2.5``)."""
    if value is None:
        return none
    q = D(value)
    if not q.is_finite():
        return "unknown"
    rounded = round_money(q, places)
    if rounded.is_zero():
        return "0"
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def line_cost(status: str, monthly_usd: Decimal | None) -> str:
    """The monthly column of one priced line, the same on every surface (the unit price of a line whose
    usage is unknown is in its own column)."""
    if status == "usage-unknown":
        return "depends on usage"
    if status == "price-unknown" or monthly_usd is None:
        return "price unknown"
    return usd(monthly_usd)
