"""A lazy DR plan (only the strategies that decide the choice built and priced) gives exactly the plan of
the full comparison: the same choice, design, estimate and ranking basis, and once completed the same
table of options, reason and notes. The full plan is the reference, computed the slow way."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import examples
from cloudwright.design.build import build_design
from cloudwright.dr import STRATEGIES, DrPlan, plan_dr
from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.search import gate_failures
from cloudwright.pricing.catalog import load_catalog
from cloudwright.pricing.engine import PricingOptions
from cloudwright.requirements import Requirements, load_requirements, requirements_from_mapping

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _candidates(req: Requirements, limit: int) -> list[str]:
    """The first ``limit`` patterns passing every gate (the search designs them all)."""
    return [pid for pid, p in sorted(load_patterns().items()) if not gate_failures(p, req)][:limit]


def _json(plan: DrPlan) -> str:
    return json.dumps(plan.to_dict(), sort_keys=True, default=str)


def _assert_same(req: Requirements, pattern: str, *, rebuild: bool = False) -> int:
    """Lazy and full plans agree; returns how many strategies the lazy plan built before completing.
    ``rebuild``: the lazy plan may build its last strategy into the design it was given, and rebuilds that
    design (the same ``build_design`` call) when it completes its table."""
    opts = PricingOptions(catalog=load_catalog())
    full = plan_dr(build_design(req, pattern_id=pattern), req, pricing=opts)
    again = partial(build_design, req, pattern_id=pattern)
    lazy = plan_dr(again(), req, pricing=opts, lazy=True, rebuild=again if rebuild else None)
    assert full is not None and lazy is not None
    built = len(lazy.options)
    assert (lazy.strategy, lazy.ranking_basis) == (full.strategy, full.ranking_basis), pattern
    assert (lazy.rto_minutes, lazy.rpo_minutes, lazy.regions) == (
        full.rto_minutes,
        full.rpo_minutes,
        full.regions,
    )
    assert lazy.design.model_dump() == full.design.model_dump()
    assert lazy.estimate.model_dump_json() == full.estimate.model_dump_json()
    for o in lazy.options:  # the options it built are the full plan's
        assert o == full.option(o.strategy)
    assert _json(lazy) == _json(full)  # to_dict completes the table
    assert not lazy.partial and [o.strategy for o in lazy.options] == list(STRATEGIES)
    assert lazy.options == full.options and (lazy.reason, lazy.notes) == (full.reason, full.notes)
    return built


@pytest.mark.parametrize("example", sorted(p.stem for p in EXAMPLES.glob("*.yaml")))
def test_a_lazy_plan_is_the_full_plan_for_every_example(example: str) -> None:
    req = load_requirements(EXAMPLES / f"{example}.yaml")
    for pattern in _candidates(req, 2):
        _assert_same(req, pattern)
        _assert_same(req, pattern, rebuild=True)


def test_a_lazy_plan_builds_fewer_strategies_when_the_cost_order_decides() -> None:
    req = load_requirements(EXAMPLES / "dr-pilot-light.yaml")
    assert _assert_same(req, "serverless-web") < len(STRATEGIES)


def _req(**kw: Any) -> Requirements:
    return requirements_from_mapping({"name": "lazy-dr", "application_type": "saas_platform", **kw})


@settings(max_examples=examples(4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    region=st.sampled_from(["us-east-1", "eu-central-1", "ap-southeast-2", "sa-east-1"]),
    allowed=st.sampled_from([[], ["eu"], ["us-east-1"]]),
    rto=st.sampled_from([1.0, 10.0, 15.0, 30.0, 240.0]),
    rpo=st.sampled_from([0.0, 1.0, 5.0, 60.0, 120.0]),
    users=st.integers(1_000, 2_000_000),
    pattern=st.sampled_from(["serverless-web", "three-tier-fargate", "ha-ec2-web"]),
)
def test_a_lazy_plan_is_the_full_plan_for_generated_requirements(
    region: str, allowed: list[str], rto: float, rpo: float, users: int, pattern: str
) -> None:
    if allowed == ["eu"] and not region.startswith("eu-"):
        allowed = []
    if allowed == ["us-east-1"]:
        region = "us-east-1"  # one allowed Region: no second Region, nothing meets a Region outage
    req = _req(region=region, allowed_regions=allowed, rto_minutes=rto, rpo_minutes=rpo, expected_users=users)
    _assert_same(req, pattern)


@pytest.mark.parametrize("example", ["dr-pilot-light", "global-saas", "web-shop"])
def test_copying_properties_in_one_pass_equals_rewriting_then_swapping_the_region(example: str) -> None:
    from cloudwright.cfn.writer import references
    from cloudwright.dr.stacks import _GlobalParams, _rewrite, _rewrite_swapped, _swap_region, _Unresolvable

    req = load_requirements(EXAMPLES / f"{example}.yaml")
    for pattern in _candidates(req, 3):
        design = build_design(req, pattern_id=pattern)
        ids = [r.logical_id for r in design.resources]
        rename = {i: f"{i}EuWest3" for i in ids[::2]}
        replace: dict[str, Any] = {i: {"ref": f"name-{i}", "Arn": f"arn-{i}"} for i in ids[1::4]}
        replace.update({i: _GlobalParams(i, []) for i in ids[3::4]})
        for r in design.resources:
            try:
                slow = _swap_region(_rewrite(r.properties, rename, replace), design.region, "eu-west-3")
            except _Unresolvable:
                slow = "unresolvable"
            found: set[str] = set()
            try:
                fast = _rewrite_swapped(r.properties, rename, replace, design.region, "eu-west-3", found)
            except _Unresolvable:
                fast = "unresolvable"
            assert fast == slow and repr(fast) == repr(slow), r.logical_id
            if fast != "unresolvable":  # what the copy refers to is found on the way: no second walk
                assert found == references(fast), r.logical_id


def test_a_lazy_plan_with_rebuild_builds_into_its_design_and_rebuilds_it_only_to_complete() -> None:
    req = load_requirements(EXAMPLES / "dr-pilot-light.yaml")
    opts = PricingOptions(catalog=load_catalog())
    calls: list[int] = []

    def again() -> Any:
        calls.append(1)
        return build_design(req, pattern_id="serverless-web")

    full = plan_dr(build_design(req, pattern_id="serverless-web"), req, pricing=opts, strategy="pilot-light")
    given_design = build_design(req, pattern_id="serverless-web")
    # one strategy asked for: it is the last one built, into the design given
    lazy = plan_dr(given_design, req, pricing=opts, strategy="pilot-light", lazy=True, rebuild=again)
    assert full is not None and lazy is not None and lazy.partial and not calls
    assert lazy.design is given_design
    assert _json(lazy) == _json(full)  # completing it rebuilds the design once for the other options
    assert len(calls) == 1 and not lazy.partial
    assert lazy.design.model_dump() == full.design.model_dump()
    assert _assert_same(req, "serverless-web", rebuild=True) < len(STRATEGIES)
