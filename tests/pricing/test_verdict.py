"""Honest totals and the one budget verdict (pricing/verdict.py), and COST-BUDGET-001 agreeing with it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgets import examples
from cloudwright.design.model import Design, Resource
from cloudwright.pipeline import budget_verdict, estimate_view
from cloudwright.pricing.engine import price_design
from cloudwright.pricing.model import Estimate, LineItem, ResourceEstimate
from cloudwright.pricing.verdict import VERDICTS, judge, unpriced_resources
from cloudwright.requirements import requirements_from_mapping
from cloudwright.review.engine import review_design


def _ec2(logical_id: str, itype: str) -> Resource:
    return Resource(logical_id=logical_id, type="AWS::EC2::Instance", properties={"InstanceType": itype})


def _unknown_type_design() -> Design:
    return Design(
        resources=[
            _ec2("Priced", "m5.large"),
            _ec2("NoPriceA", "zz9.nano"),
            _ec2("NoPriceB", "zz9.nano"),
            Resource(logical_id="Odd", type="AWS::Made::Up", properties={}),
        ]
    )


def test_partial_total_names_each_resource_and_what_is_missing() -> None:
    est = price_design(_unknown_type_design())
    assert est.complete is False
    ids = [u.logical_id for u in est.unpriced]
    assert ids == ["NoPriceA", "NoPriceB", "Odd"]
    by_id = {u.logical_id: u for u in est.unpriced}
    assert by_id["Odd"].missing == "cost model"
    assert by_id["NoPriceA"].missing == "price" and "zz9.nano" in by_id["NoPriceA"].label
    assert by_id["NoPriceA"].lines and "price unknown" in by_id["NoPriceA"].lines[0]
    sentence = est.total_sentence
    assert sentence.startswith(
        f"${est.monthly_usd.quantize(Decimal('0.01'))}/month + 3 resources without a price"
    )
    assert "2 × EC2: zz9.nano" in sentence
    data = est.to_dict()
    assert data["complete"] is False and [u["logical_id"] for u in data["unpriced"]] == ids
    assert data["total"] == sentence


def test_complete_estimate_has_no_suffix() -> None:
    est = price_design(Design(resources=[_ec2("Web", "m5.large")]))
    assert est.complete and est.unpriced == []
    assert "without a price" not in est.total_sentence


def test_usage_unknown_lines_do_not_make_an_estimate_incomplete() -> None:
    fn = Resource(logical_id="Fn", type="AWS::Lambda::Function", properties={"MemorySize": 128})
    est = price_design(Design(resources=[fn]))
    assert est.usage_unknown_count > 0 and est.complete


@pytest.mark.parametrize(
    ("budget", "total", "partial", "verdict"),
    [
        (None, "10", False, "no-budget"),
        (0, "10", True, "no-budget"),
        (100, "120", False, "over-budget"),
        (100, "120", True, "over-budget"),  # the priced part alone is over
        (100, "40", True, "incomplete"),
        (100, "100", True, "incomplete"),
        (100, "40", False, "within-budget"),
        (100, "100", False, "within-budget"),
    ],
)
def test_verdict_table(budget, total, partial, verdict) -> None:
    est = price_design(_unknown_type_design() if partial else Design(resources=[_ec2("Web", "m5.large")]))
    j = judge(budget, Decimal(total), est.unpriced)
    assert j.verdict == verdict
    assert j.complete is (not partial)
    if verdict == "incomplete":
        assert "cannot be called within budget" in j.message and "no price" in j.message


_unpriced_item = st.builds(
    lambda i, status: ResourceEstimate(
        logical_id=f"R{i}",
        type="AWS::EC2::Instance",
        classification="priced",
        line_items=[LineItem(description="x", status=status)],
    ),
    st.integers(0, 50),
    st.sampled_from(["priced", "usage-unknown", "price-unknown"]),
)


@settings(max_examples=examples(200), deadline=None)
@given(
    budget=st.one_of(st.none(), st.decimals(min_value=0, max_value=10**9, places=2)),
    total=st.decimals(min_value=0, max_value=10**9, places=2),
    resources=st.lists(_unpriced_item, max_size=5, unique_by=lambda r: r.logical_id),
    unsupported=st.booleans(),
)
def test_property_never_within_budget_when_incomplete(budget, total, resources, unsupported) -> None:
    if unsupported:
        resources = [
            *resources,
            ResourceEstimate(logical_id="U", type="AWS::X::Y", classification="unsupported"),
        ]
    unpriced = unpriced_resources(resources)
    est = Estimate(monthly_usd=total, resources=resources, complete=not unpriced, unpriced=unpriced)
    view = estimate_view(est)
    assert view.complete is est.complete
    b = budget_verdict(budget, view)
    assert b.verdict in VERDICTS
    if not est.complete:
        assert b.verdict != "within-budget"
    if budget and total > budget:
        assert b.verdict == "over-budget"
    if budget and total <= budget and est.complete:
        assert b.verdict == "within-budget"


def _review_verdict(budget: float, design: Design) -> tuple[str, str]:
    req = requirements_from_mapping({"name": "t", "budget_monthly_usd": budget})
    est = price_design(design)
    review = review_design(design, req, estimate=est, environment="prod", cost_deltas=False)
    statuses = [r.status.value for r in review.results if r.check_id == "COST-BUDGET-001"]
    view = estimate_view(est)
    return budget_verdict(budget, view).verdict, statuses[0] if statuses else "not run"


@pytest.mark.parametrize(
    ("budget", "partial", "verdict", "status"),
    [
        (0, False, "no-budget", "not run"),
        (0.01, False, "over-budget", "fail"),
        (10**6, False, "within-budget", "pass"),
        (10**6, True, "incomplete", "unknown"),
        (0.01, True, "over-budget", "fail"),
    ],
)
def test_cost_budget_check_uses_the_same_verdict(budget, partial, verdict, status) -> None:
    design = _unknown_type_design() if partial else Design(resources=[_ec2("Web", "m5.large")])
    assert _review_verdict(budget, design) == (verdict, status)
