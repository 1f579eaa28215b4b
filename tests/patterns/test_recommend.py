"""Recommendation: every pattern scored, deterministic, every field matters, flips are real, HIPAA is safe."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudwright.eligibility import hipaa_allowed
from cloudwright.errors import InputError
from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.recommend import _winner, rank, recommend
from cloudwright.requirements import load_requirements, requirements_from_mapping

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _req(**kw: Any):
    return requirements_from_mapping(kw)


def test_every_pattern_is_scored_and_ranked_once():
    rec = recommend(load_requirements(EXAMPLES / "saas-startup.yaml"))
    ids = [rec.pattern.id] + [a.id for a in rec.alternatives]
    assert sorted(ids) == sorted(load_patterns())
    assert all(a.reasons for a in rec.alternatives)
    scores = [rec.score] + [a.score for a in rec.alternatives if not a.excluded]
    assert scores == sorted(scores, reverse=True)
    json.dumps(rec.to_dict())


def test_recommendation_is_deterministic():
    req = load_requirements(EXAMPLES / "web-shop.yaml")
    assert json.dumps(recommend(req).to_dict()) == json.dumps(recommend(req).to_dict())


def test_ties_are_broken_by_id():
    ranked = rank(_req())
    keys = [s.sort_key for s in ranked]
    assert keys == sorted(keys)
    # equal scores sort alphabetically
    for a, b in itertools.pairwise(ranked):
        if a.excluded == b.excluded and round(a.score, 6) == round(b.score, 6):
            assert a.id < b.id


# One base and one change per requirement field: the recommended pattern must change.
SAAS = {
    "application_type": "saas_platform",
    "expected_users": 5000,
    "requests_per_second": 20,
    "budget_monthly_usd": 500,
    "team_size": 3,
    "aws_experience": "beginner",
    "data_size_gb": 20,
}
REGULATED = {
    "application_type": "saas_platform",
    "expected_users": 30000,
    "requests_per_second": 50,
    "budget_monthly_usd": 3000,
    "team_size": 5,
    "aws_experience": "intermediate",
    "compliance": ["SOC2", "GDPR"],
    "environments": ["dev", "staging", "prod"],
    "region": "eu-west-1",
    "audience_regions": ["europe"],
    "data_size_gb": 100,
}
ORDERS = {
    "application_type": "microservices",
    "expected_users": 200000,
    "requests_per_second": 300,
    "budget_monthly_usd": 25000,
    "team_size": 8,
    "aws_experience": "intermediate",
    "read_percent": 50,
    "peak_to_average_ratio": 5,
    "data_size_gb": 100,
}
HA = {
    "application_type": "mobile_backend",
    "expected_users": 80000,
    "requests_per_second": 5000,
    "budget_monthly_usd": 100,
    "team_size": 15,
    "availability_target": 99.99,
    "read_percent": 85,
}
FIELD_CHANGES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "application_type": (SAAS, {"application_type": "iot_platform"}),
    "expected_users": (REGULATED, {"expected_users": 40}),
    "requests_per_second": (ORDERS, {"requests_per_second": 600}),
    "budget_monthly_usd": (ORDERS, {"budget_monthly_usd": 10000}),
    "team_size": (REGULATED, {"team_size": 3}),
    "aws_experience": (
        {
            "application_type": "saas_platform",
            "expected_users": 500,
            "requests_per_second": 200,
            "budget_monthly_usd": 100,
            "team_size": 15,
            "aws_experience": "intermediate",
            "availability_target": 99.99,
            "read_percent": 10,
        },
        {"aws_experience": "beginner"},
    ),
    "compliance": (ORDERS, {"compliance": ["SOC2"]}),
    "data_size_gb": (REGULATED, {"data_size_gb": 6000}),
    "region": (
        {
            "expected_users": 500,
            "requests_per_second": 50,
            "budget_monthly_usd": 100000,
            "team_size": 15,
            "availability_target": 99.99,
            "rpo_minutes": 0.5,
            "read_percent": 85,
        },
        {"region": "eu-west-1"},
    ),
    "availability_target": (REGULATED, {"availability_target": 99.95}),
    "latency_p95_ms": (REGULATED, {"latency_p95_ms": 100}),
    "rto_minutes": (REGULATED, {"rto_minutes": 30}),
    "rpo_minutes": (HA, {"rpo_minutes": 1}),
    "environments": (REGULATED, {"environments": ["staging", "prod"]}),
    "peak_to_average_ratio": (REGULATED, {"peak_to_average_ratio": 600}),
    "read_percent": (
        dict(
            HA,
            application_type="mobile_backend",
            read_percent=10,
            rpo_minutes=0.5,
            team_size=1,
            budget_monthly_usd=2000,
            expected_users=300000,
            aws_experience="intermediate",
        ),
        {"read_percent": 90},
    ),
    "avg_request_kb": (
        {
            "application_type": "iot_platform",
            "expected_users": 3000000,
            "requests_per_second": 1000,
            "budget_monthly_usd": 10000,
            "aws_experience": "intermediate",
            "availability_target": 99.99,
            "read_percent": 85,
        },
        {"avg_request_kb": 200},
    ),
    "avg_response_kb": (SAAS, {"avg_response_kb": 7000}),
    "data_growth_gb_per_month": (
        {
            "application_type": "microservices",
            "expected_users": 300000,
            "budget_monthly_usd": 100,
            "team_size": 6,
            "availability_target": 99.5,
            "rpo_minutes": 0.5,
            "read_percent": 10,
        },
        {"data_growth_gb_per_month": 50},
    ),
    "audience_regions": (
        {
            "application_type": "saas_platform",
            "expected_users": 500,
            "requests_per_second": 200,
            "budget_monthly_usd": 100,
            "team_size": 15,
            "aws_experience": "intermediate",
            "availability_target": 99.99,
            "read_percent": 10,
        },
        {"audience_regions": ["north-america", "south-america"]},
    ),
    "compute_preference": (SAAS, {"compute_preference": "containers"}),
}


def test_every_requirement_field_is_covered():
    from cloudwright.requirements import FIELD_NAMES

    # The workload-shape and residency fields are read by the gated candidate search, not by this scorer.
    gated = {
        "interaction",
        "concurrent_connections",
        "messages_per_connection_per_second",
        "batch",
        "accelerator",
        "media",
        "signed_in_share_percent",
        "allowed_regions",
    }
    assert set(FIELD_CHANGES) == set(FIELD_NAMES) - {"name"} - gated


@pytest.mark.parametrize("field", sorted(FIELD_CHANGES))
def test_each_requirement_field_can_change_the_recommendation(field):
    base, change = FIELD_CHANGES[field]
    before = _winner(requirements_from_mapping(base))
    after = _winner(requirements_from_mapping({**base, **change}))
    assert before != after, f"changing {field} to {change[field]!r} kept {before}"


@pytest.mark.parametrize("example", ["saas-startup", "regulated-saas", "order-microservices"])
def test_flips_are_real(example):
    req = load_requirements(EXAMPLES / f"{example}.yaml")
    rec = recommend(req)
    assert rec.flips, "expected at least one flip"
    for flip in rec.flips:
        data = req.model_dump(mode="json")
        value: Any = flip.value
        if flip.direction == "remove":
            value = [x for x in data[flip.field] if x != flip.value]
        elif flip.direction == "add":
            value = [*data[flip.field], flip.value]
        changed = requirements_from_mapping({**data, flip.field: value})
        assert _winner(changed) == flip.pattern, flip.describe()
        assert flip.pattern != rec.pattern.id


def test_hipaa_is_never_answered_with_a_non_eligible_service():
    rec = recommend(
        _req(
            application_type="web_application",
            expected_users=50000,
            compliance=["HIPAA"],
            requests_per_second=100,
            aws_experience="intermediate",
            team_size=5,
        )
    )
    assert all(hipaa_allowed(s) for s in rec.pattern.services)
    excluded = {a.id for a in rec.alternatives if a.excluded}
    assert {"three-tier-fargate", "well-architected-foundation"} <= excluded
    assert all("HIPAA" in a.reasons[0] for a in rec.alternatives if a.excluded)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    app=st.sampled_from(
        [
            "web_application",
            "saas_platform",
            "mobile_backend",
            "data_pipeline",
            "microservices",
            "iot_platform",
        ]
    ),
    users=st.integers(0, 50_000_000),
    rps=st.floats(0, 100_000),
    budget=st.floats(0, 1_000_000),
    team=st.integers(1, 200),
    exp=st.sampled_from(["beginner", "intermediate", "advanced"]),
    pref=st.sampled_from(["auto", "serverless", "containers", "kubernetes", "virtual_machines"]),
    avail=st.sampled_from([99.0, 99.9, 99.95, 99.99, 99.999]),
)
def test_hipaa_property(app, users, rps, budget, team, exp, pref, avail):
    req = _req(
        application_type=app,
        expected_users=users,
        requests_per_second=rps,
        budget_monthly_usd=budget,
        team_size=team,
        aws_experience=exp,
        compute_preference=pref,
        availability_target=avail,
        compliance=["HIPAA"],
    )
    rec = recommend(req, flips=False)
    assert all(hipaa_allowed(s) for s in rec.pattern.services), rec.pattern.id


def test_forcing_a_non_eligible_pattern_under_hipaa_is_refused():
    from cloudwright.design.build import build_design

    with pytest.raises(InputError, match="HIPAA"):
        build_design(_req(compliance=["HIPAA"]), "three-tier-fargate")


def test_pci_adds_a_warning():
    rec = recommend(_req(compliance=["PCI-DSS"]), flips=False)
    assert any("PCI" in w for w in rec.warnings)
