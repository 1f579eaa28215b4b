"""COST-BUDGET-001: the estimate exceeds the budget."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check
from cloudwright.units import round_money


@check(
    id="COST-BUDGET-001",
    title="Production estimate fits the monthly budget",
    severity="medium",
    environments=["prod"],
    rationale="A design that costs more than the budget will be cut later in a hurry, usually at the "
    "expense of "
    "reliability; the trade-off should be made now, visibly.",
    remediation="Apply the cost findings (Graviton, right-sizing, endpoints), choose a cheaper pattern, or "
    "agree "
    "a higher budget. The estimate is never clamped to the budget.",
    references=["COST01-BP06", "COST02-BP05"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    if ctx.requirements is None or ctx.monthly_cost is None:
        return
    budget = Decimal(str(ctx.requirements.budget_monthly_usd))
    if ctx.monthly_cost > budget:
        yield ctx.fail(
            "design",
            f"estimated ${round_money(ctx.monthly_cost)}/month is over the ${round_money(budget)} budget "
            f"by ${round_money(ctx.monthly_cost - budget)}",
        )
    else:
        yield ctx.ok("design")
