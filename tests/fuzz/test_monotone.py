"""More load never prices lower for the same design choices (pattern and environment held fixed).

Each load dimension (requests/s, users, stored data, growth) is raised on its own or together, for every
application type, so a figure sized from a ratio of two loads (stored data from a request ratio) shows up.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cloudwright.design.build import build_design
from cloudwright.patterns.catalog import load_patterns
from cloudwright.pricing.engine import price_design
from cloudwright.requirements import ApplicationType, requirements_from_mapping
from fuzz.harness import budget

PATTERNS = sorted(load_patterns())
LOAD_FIELDS = ("requests_per_second", "expected_users", "data_size_gb", "data_growth_gb_per_month")


def _total(base: dict[str, object], pattern: str, env: str):  # type: ignore[no-untyped-def]
    req = requirements_from_mapping(base)
    return price_design(build_design(req, pattern_id=pattern, environment=env))


def _assert_not_lower(low: dict[str, object], high: dict[str, object], pattern: str, env: str) -> None:
    low_est, high_est = _total(low, pattern, env), _total(high, pattern, env)
    if high_est.monthly_usd < low_est.monthly_usd:
        unknown = [li for r in high_est.resources for li in r.line_items if li.status == "price-unknown"]
        assert unknown, (
            f"{pattern}/{env}: {high_est.monthly_usd} < {low_est.monthly_usd} with every line priced "
            f"({low} → {high})"
        )


def test_analytics_pipeline_with_5000_gb_does_not_price_lower_at_more_requests() -> None:
    base = {"application_type": "data_pipeline", "data_size_gb": 5000, "expected_users": 1000}
    for env in ("prod", "dev"):
        _assert_not_lower(
            {**base, "requests_per_second": 10},
            {**base, "requests_per_second": 100},
            "realtime-analytics-pipeline",
            env,
        )


@budget(30, "monotone")
@given(
    pattern=st.sampled_from(PATTERNS),
    app=st.sampled_from([a.value for a in ApplicationType]),
    env=st.sampled_from(["dev", "staging", "prod"]),
    rps=st.floats(0, 2000),
    users=st.integers(0, 5_000_000),
    data=st.floats(0, 20_000),
    growth=st.floats(0, 500),
    raised=st.lists(st.sampled_from(LOAD_FIELDS), min_size=1, max_size=4, unique=True),
    factor=st.floats(1, 20),
)
def test_more_load_never_prices_lower(pattern, app, env, rps, users, data, growth, raised, factor) -> None:  # type: ignore[no-untyped-def]
    low = {
        "application_type": app,
        "requests_per_second": rps,
        "expected_users": users,
        "data_size_gb": data,
        "data_growth_gb_per_month": growth,
    }
    high = dict(low)
    for name in raised:
        value = low[name] * factor
        high[name] = int(value) if name == "expected_users" else value
    _assert_not_lower(low, high, pattern, env)
