"""COST-BUDGET-001: the estimate exceeds the budget (the same verdict the report shows)."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


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
    from cloudwright.pricing.verdict import judge, unpriced_resources

    if ctx.requirements is None or ctx.monthly_cost is None:
        return
    unpriced = unpriced_resources(ctx.estimate.resources) if ctx.estimate is not None else []
    usage_open = int(getattr(ctx.estimate, "usage_unknown_count", 0) or 0)
    j = judge(ctx.requirements.budget_monthly_usd, ctx.monthly_cost, unpriced, usage_open=usage_open)
    if j.verdict == "no-budget":
        return
    if j.verdict == "over-budget":
        yield ctx.fail("design", j.message)
    elif j.verdict == "incomplete":
        yield ctx.unknown("design", j.message)
    else:
        yield ctx.ok("design")
