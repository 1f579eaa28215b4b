"""Properties of build_design: deterministic; more load never means fewer resources or a lower estimate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import examples
from cloudwright.design.build import build_design
from cloudwright.patterns.catalog import load_patterns
from cloudwright.requirements import load_requirements, requirements_from_mapping
from recommended import recommended

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PATTERNS = sorted(load_patterns())


@pytest.mark.parametrize("name", ["saas-startup", "web-shop", "patient-portal", "enterprise-platform"])
def test_build_design_is_deterministic(name):
    req = load_requirements(EXAMPLES / f"{name}.yaml")
    pattern = recommended(req).pattern.id
    first = json.dumps(build_design(req, pattern).model_dump(mode="json"), sort_keys=True)
    second = json.dumps(build_design(req, pattern).model_dump(mode="json"), sort_keys=True)
    assert first == second


def _pair(pattern: str, rps: float, users: int, data: float, factor: float, env: str):
    base = {"application_type": "web_application", "name": "prop"}
    low = requirements_from_mapping(
        {**base, "requests_per_second": rps, "expected_users": users, "data_size_gb": data}
    )
    high = requirements_from_mapping(
        {
            **base,
            "requests_per_second": rps * factor,
            "expected_users": int(users * factor),
            "data_size_gb": data * factor,
        }
    )
    return build_design(low, pattern, env), build_design(high, pattern, env)


LOAD = {
    "pattern": st.sampled_from(PATTERNS),
    "rps": st.floats(0, 3000),
    "users": st.integers(0, 2_000_000),
    "data": st.floats(0, 5000),
    "factor": st.floats(1, 30),
    "env": st.sampled_from(["dev", "staging", "prod"]),
}


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**LOAD)
def test_more_load_never_yields_fewer_resources(pattern, rps, users, data, factor, env):
    low, high = _pair(pattern, rps, users, data, factor, env)
    assert len(high.resources) >= len(low.resources)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**LOAD)
def test_more_load_never_yields_a_lower_estimate(pattern, rps, users, data, factor, env):
    from cloudwright.pricing import engine

    low, high = _pair(pattern, rps, users, data, factor, env)
    low_usd, estimate = engine.price_design(low).monthly_usd, engine.price_design(high)
    if estimate.monthly_usd < low_usd:
        # only acceptable when a bigger size has no price in the catalogue ("price unknown", not $0 savings)
        unknown = [li for r in estimate.resources for li in r.line_items if li.status == "price-unknown"]
        assert unknown, f"{pattern}/{env}: {estimate.monthly_usd} < {low_usd} with every line priced"
