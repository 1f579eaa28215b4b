"""The one tier helper: split a quantity over price tiers, tier by tier.

AWS prices many things in tiers (Lambda GB-seconds, API Gateway requests, S3 storage, data transfer):
the first N units at one price, the next M at another. A quantity is split over the tiers in order;
it is never priced at the first tier's rate throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Tier:
    begin: Decimal
    end: Decimal | None  # None = no upper bound
    usd: Decimal | None  # None = price of this tier unknown


@dataclass(frozen=True)
class TierUse:
    tier: Tier
    quantity: Decimal

    @property
    def cost(self) -> Decimal:
        return Decimal(0) if self.tier.usd is None else self.quantity * self.tier.usd


def split_tiers(
    quantity: Decimal, tiers: tuple[Tier, ...], already_used: Decimal = Decimal(0)
) -> list[TierUse]:
    """Split ``quantity`` over ``tiers`` (sorted by ``begin``), after ``already_used`` units.

    Returns one entry per tier that receives a non-zero quantity (or the first tier when ``quantity`` is 0).
    """
    uses: list[TierUse] = []
    start = already_used
    stop = already_used + quantity
    for tier in tiers:
        lo = max(start, tier.begin)
        hi = stop if tier.end is None else min(stop, tier.end)
        if hi > lo:
            uses.append(TierUse(tier, hi - lo))
    if not uses and tiers:
        uses.append(TierUse(tiers[0], Decimal(0)))
    return uses


def tier_cost(quantity: Decimal, tiers: tuple[Tier, ...]) -> Decimal:
    return sum((u.cost for u in split_tiers(quantity, tiers)), Decimal(0))


def tier_label(tier: Tier, unit: str = "") -> str:
    """``first 6B``, ``next 9B``, ``over 15B`` (K/M/B suffixes), as infracost names them."""
    if tier.begin == 0 and tier.end is None:
        return ""
    if tier.begin == 0:
        return f"first {_short(tier.end)}{unit}"  # type: ignore[arg-type]
    if tier.end is None:
        return f"over {_short(tier.begin)}{unit}"
    return f"next {_short(tier.end - tier.begin)}{unit}"


def _short(n: Decimal) -> str:
    for size, suffix in ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "K")):
        q = n / size
        if n >= size and q == q.to_integral_value():
            return f"{int(q)}{suffix}"
    if n == n.to_integral_value():
        return f"{int(n):,}"
    return f"{n:,f}"
