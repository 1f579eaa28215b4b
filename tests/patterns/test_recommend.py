"""Recommendation: every pattern accounted for, deterministic, HIPAA is safe."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import examples
from cloudwright.eligibility import hipaa_allowed
from cloudwright.errors import InputError
from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.recommend import rank, recommend
from cloudwright.requirements import load_requirements, requirements_from_mapping

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _req(**kw: Any):
    return requirements_from_mapping(kw)


def test_every_pattern_is_scored_and_ranked_once():
    rec = recommend(load_requirements(EXAMPLES / "saas-startup.yaml"))
    ids = [rec.pattern.id] + [a.id for a in rec.alternatives]
    assert sorted(ids) == sorted(load_patterns())
    assert all(a.reasons for a in rec.alternatives)
    # candidates come first in the order the search ranks them; gated patterns after
    assert rec.search is not None
    ranked = [c.id for c in rec.search.candidates]
    assert ids[: len(ranked)] == ranked
    assert all(a.excluded for a in rec.alternatives[len(ranked) - 1 :])
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
    # Fargate is HIPAA eligible: the container patterns stay candidates
    candidates = {c.id for c in rec.search.candidates}
    assert {"three-tier-fargate", "well-architected-foundation"} <= candidates
    assert all(hipaa_allowed(s) for c in rec.search.candidates for s in c.pattern.services)


@settings(max_examples=examples(8), deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
    budget=st.one_of(st.just(0.0), st.floats(0.01, 1_000_000)),  # 0 = no budget; else at least a cent
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
    try:
        rec = recommend(req, flips=False)
    except InputError:
        return  # no eligible pattern serves it: refused, never answered with a non-eligible service
    assert all(hipaa_allowed(s) for s in rec.pattern.services), rec.pattern.id


def test_forcing_a_non_eligible_pattern_under_hipaa_is_refused(monkeypatch):
    from cloudwright import eligibility
    from cloudwright.design.build import build_design

    real = eligibility.hipaa_status
    monkeypatch.setattr(eligibility, "hipaa_status", lambda s: "not-eligible" if s == "fargate" else real(s))
    with pytest.raises(InputError, match="HIPAA"):
        build_design(_req(compliance=["HIPAA"]), "three-tier-fargate")


def test_pci_adds_a_warning():
    rec = recommend(_req(compliance=["PCI-DSS"]), flips=False)
    assert any("PCI" in w for w in rec.warnings)
