"""Honest totals and the one budget verdict.

Every surface that shows a total (estimate table/Markdown/JSON/CSV, the design report, the web pages)
and the COST-BUDGET-001 review check read the same three things from here:

* :func:`unpriced_resources` — each resource with a line that lacks a price (no catalogue row, a row
  recorded as price-unknown, a tier without a price) or whose type has no cost model. Lines that only
  lack *usage* do not make an estimate incomplete: they show their unit price and are counted apart;
* :func:`total_sentence` — ``"$1.60/month + 2 resources without a price (2 × EC2: t2.small …)"``;
* :func:`judge` — the budget verdict: ``over-budget`` as soon as the priced part alone exceeds the
  budget, ``incomplete`` when the priced part fits but lines lack a price, ``within-budget`` only for a
  complete estimate that fits, ``no-budget`` when no budget (or a budget of 0) was given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from cloudwright.design.model import trusted_model
from cloudwright.units import D, money, usd

if TYPE_CHECKING:
    from cloudwright.pricing.model import Estimate, LineItem, ResourceEstimate

Verdict = Literal["within-budget", "over-budget", "incomplete", "no-budget"]
VERDICTS: tuple[str, ...] = ("within-budget", "over-budget", "incomplete", "no-budget")
#: Share of the budget above which a within-budget verdict says the estimate is close to it.
NEAR_BUDGET_SHARE = Decimal("0.9")


class UnpricedResource(BaseModel):
    """A resource whose cost is (partly) missing from the total, and what is missing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    logical_id: str
    type: str
    #: ``"price"`` (a line has no price in the catalogue) or ``"cost model"`` (the type is not priced).
    missing: Literal["price", "cost model"]
    #: Short label used in the total's sentence, e.g. ``"EC2: t2.small Linux on-demand (1 instance)"``.
    label: str
    #: The lines without a price, each with the reason (empty for a type without a cost model).
    lines: list[str] = Field(default_factory=list)

    def copied(self) -> UnpricedResource:
        """This entry with its own list of lines (estimates priced in one search share nothing mutable:
        the memo keeps one entry per resource pricing and each estimate gets a copy)."""
        values = self.__dict__.copy()
        values["lines"] = list(self.lines)
        return trusted_model(type(self), values)


def _short_service(cfn_type: str) -> str:
    parts = cfn_type.split("::")
    return parts[1] if len(parts) >= 2 else cfn_type


def unpriced_resources(resources: Iterable[ResourceEstimate]) -> list[UnpricedResource]:
    """Resources (pricing ``ResourceEstimate``-like objects) with a line lacking a price, sorted by id."""
    out: list[UnpricedResource] = []
    for r in sorted(resources, key=lambda r: r.logical_id):
        entry = unpriced_entry(r.logical_id, r.type, r.classification, r.line_items)
        if entry is not None:
            out.append(entry)
    return out


def unpriced_entry(
    logical_id: str, cfn_type: str, classification: str, lines: Iterable[LineItem]
) -> UnpricedResource | None:
    """What is missing from the price of one resource (None: nothing, its lines all have a price)."""
    if classification == "unsupported":
        return no_cost_model(logical_id, cfn_type)
    missing = [li for li in lines if li.status == "price-unknown"]
    if not missing:
        return None
    return UnpricedResource(
        logical_id=logical_id,
        type=cfn_type,
        missing="price",
        label=f"{_short_service(cfn_type)}: {missing[0].description}",
        lines=[f"{li.description}: {li.note or 'price unknown'}" for li in missing],
    )


def no_cost_model(logical_id: str, cfn_type: str) -> UnpricedResource:
    """A resource whose type has no cost model."""
    return UnpricedResource(
        logical_id=logical_id, type=cfn_type, missing="cost model", label=f"{cfn_type} (no cost model)"
    )


def kinds(unpriced: Sequence[UnpricedResource]) -> str:
    """``"2 × EC2: t2.small …, 1 × …"`` (at most three kinds named)."""
    counts = Counter(u.label for u in unpriced)
    parts = [f"{n} × {label}" for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    more = len(parts) - 3
    shown = parts[:3] + ([f"{more} more kind{'s' if more != 1 else ''}"] if more > 0 else [])
    return ", ".join(shown)


def partial_suffix(unpriced: Sequence[UnpricedResource]) -> str:
    """``" + 2 resources without a price (2 × EC2: t2.small …)"`` or ``""`` for a complete estimate."""
    if not unpriced:
        return ""
    noun = "resource" if len(unpriced) == 1 else "resources"
    return f" + {len(unpriced)} {noun} without a price ({kinds(unpriced)})"


def usage_suffix(usage_open: int) -> str:
    if not usage_open:
        return ""
    return f" + {usage_open} usage-dependent line{'s' if usage_open != 1 else ''} (unit price shown)"


def total_sentence(total: Decimal, unpriced: Sequence[UnpricedResource], usage_open: int = 0) -> str:
    """The total as every surface prints it: says when it is partial."""
    return f"{usd(total)}/month" + partial_suffix(unpriced) + usage_suffix(usage_open)


@dataclass(frozen=True)
class Judgement:
    """The budget verdict and the figures behind it (``cloudwright.result.Budget`` is built from it)."""

    verdict: Verdict
    monthly_usd: Decimal | None
    estimate_usd: Decimal
    over_budget: bool
    overrun_usd: Decimal
    headroom_usd: Decimal
    utilisation_percent: Decimal | None
    near_budget: bool
    complete: bool
    message: str


def judge(
    budget: float | Decimal | None,
    total: Decimal,
    unpriced: Sequence[UnpricedResource],
    *,
    usage_open: int = 0,
    environment: str = "prod",
) -> Judgement:
    """Compare the priced total with the budget. An overrun is shown in full, never clamped.

    A budget of ``None`` or 0 means no budget was given.
    """
    total = D(total)
    complete = not unpriced
    sentence = total_sentence(total, unpriced, usage_open)  # used by the no-budget message
    env_note = (
        ""
        if environment == "prod"
        else f"; the budget is for production and this is the {environment} estimate"
    )
    if not budget:
        return Judgement(
            verdict="no-budget",
            monthly_usd=None,
            estimate_usd=total,
            over_budget=False,
            overrun_usd=Decimal(0),
            headroom_usd=Decimal(0),
            utilisation_percent=None,
            near_budget=False,
            complete=complete,
            message=f"No budget given; the {environment} estimate is {sentence}.",
        )
    b = D(budget)
    over = total > b
    share = total / b
    overrun = total - b if over else Decimal(0)
    headroom = Decimal(0) if over else b - total
    verdict: Verdict
    near = False
    usage_note = (
        f"; {usage_open} usage-dependent line{'s' if usage_open != 1 else ''} (unit price shown) "
        f"{'are' if usage_open != 1 else 'is'} not in the total"
        if usage_open
        else ""
    )
    if over:
        verdict = "over-budget"
        msg = (
            f"Over budget: the {environment} estimate {usd(total)}/month exceeds the {usd(b)} budget "
            f"by {usd(overrun)} ({money(share * 100, 0)}% of budget)"
        )
        if not complete:
            msg += f"; that is the priced part alone, and{partial_suffix(unpriced)[2:]} can only add to it"
        msg += usage_note
    elif not complete:
        verdict = "incomplete"
        msg = (
            f"Incomplete: the priced part is {usd(total)} of the {usd(b)}/month budget, but "
            f"{len(unpriced)} resource{'s have' if len(unpriced) != 1 else ' has'} no price "
            f"({kinds(unpriced)}), so it cannot be called within budget{usage_note}"
        )
    else:
        verdict = "within-budget"
        near = share >= NEAR_BUDGET_SHARE
        lead = "Within budget but close" if near else "Within budget"
        msg = f"{lead}: {usd(total)} of {usd(b)}/month, {usd(headroom)} headroom{usage_note}"
    return Judgement(
        verdict=verdict,
        monthly_usd=b,
        estimate_usd=total,
        over_budget=over,
        overrun_usd=overrun,
        headroom_usd=headroom,
        utilisation_percent=share * 100,
        near_budget=near,
        complete=complete,
        message=msg + env_note + ".",
    )


def judge_estimate(
    budget: float | Decimal | None, estimate: Estimate, *, environment: str = "prod"
) -> Judgement:
    """:func:`judge` over a pricing :class:`~cloudwright.pricing.model.Estimate`."""
    return judge(
        budget,
        D(estimate.monthly_usd),
        list(estimate.unpriced),
        usage_open=int(estimate.usage_unknown_count),
        environment=environment,
    )
