"""The candidate search: hard gates, choice by designing and pricing, fit, cost floor, residency."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import examples
from cloudwright import regions
from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.recommend import recommend
from cloudwright.patterns.search import gate_failures
from cloudwright.pipeline import run_design
from cloudwright.requirements import load_requirements, requirements_from_mapping

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FAST = settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEAM_GATED = {pid for pid, p in load_patterns().items() if p.team_gate is not None}


def _req(**kw: Any):
    return requirements_from_mapping(kw)


def test_team_gated_patterns_are_eks_and_active_active():
    assert {"eks-platform", "multi-region-active-active"} <= TEAM_GATED


@FAST
@given(
    users=st.integers(100, 5_000_000),
    rps=st.floats(1, 20_000),
    budget=st.one_of(st.just(0.0), st.floats(0.01, 500_000)),  # 0 (none) or at least $0.01
    team=st.integers(1, 50),
    exp=st.sampled_from(["beginner", "intermediate", "advanced"]),
)
def test_an_internal_web_tool_is_never_answered_with_an_unrelated_family(users, rps, budget, team, exp):
    req = _req(
        application_type="web_application",
        expected_users=users,
        requests_per_second=rps,
        budget_monthly_usd=budget,
        team_size=team,
        aws_experience=exp,
    )
    rec = recommend(req, flips=False)
    assert "web_application" in rec.pattern.serves.application_types
    assert rec.pattern.id not in {"iot-platform", "realtime-analytics-pipeline"}
    assert rec.search is not None and rec.search.fit.status != "none"


@pytest.mark.parametrize("app", ["iot_platform", "data_pipeline", "mobile_backend", "microservices"])
def test_every_candidate_serves_the_application_type(app):
    rec = recommend(_req(application_type=app, expected_users=150_000, requests_per_second=500), flips=False)
    assert rec.search is not None
    for c in rec.search.candidates:
        assert app in c.pattern.serves.application_types, c.id


@FAST
@given(
    team=st.integers(1, 3),
    exp=st.sampled_from(["beginner", "intermediate", "advanced"]),
    avail=st.sampled_from([99.9, 99.99, 99.999]),
    pref=st.sampled_from(["auto", "kubernetes", "serverless"]),
)
def test_small_teams_never_get_eks_or_active_active_without_pattern(team, exp, avail, pref):
    req = _req(
        application_type="saas_platform",
        expected_users=2_000_000,
        requests_per_second=3000,
        budget_monthly_usd=100_000,
        team_size=team,
        aws_experience=exp,
        availability_target=avail,
        compute_preference=pref,
        audience_regions=["north-america", "europe", "asia-pacific"],
    )
    rec = recommend(req, flips=False)
    assert rec.pattern.id not in TEAM_GATED
    assert rec.search is not None
    assert not TEAM_GATED & {c.id for c in rec.search.candidates}


def test_beginners_never_get_eks_or_active_active():
    req = _req(
        application_type="microservices", team_size=20, aws_experience="beginner", availability_target=99.999
    )
    rec = recommend(req, flips=False)
    assert rec.pattern.id not in TEAM_GATED
    ruled_out = {a.id: a.reasons for a in rec.alternatives if a.excluded}
    for pid in TEAM_GATED:
        assert any("team" in r for r in ruled_out[pid]), pid


def test_forcing_a_team_gated_pattern_designs_it_and_says_what_it_would_take():
    req = _req(application_type="saas_platform", team_size=2, aws_experience="beginner")
    assert any(g.gate == "team" for g in gate_failures(load_patterns()["eks-platform"], req))
    result = run_design(req, pattern_id="eks-platform")
    assert result.pattern.id == "eks-platform"
    gates = [g for g in result.pattern.gates if g.gate == "team"]
    assert gates and "--pattern eks-platform" in gates[0].would_take
    assert any("forced" in w for w in result.warnings)


def test_allowed_regions_eu_keeps_every_resource_and_replica_in_eu():
    eu = set(regions.expand(["eu"]))
    req = _req(
        application_type="saas_platform",
        expected_users=2_000_000,
        requests_per_second=2000,
        budget_monthly_usd=100_000,
        team_size=12,
        aws_experience="advanced",
        availability_target=99.99,
        audience_regions=["north-america", "europe", "asia-pacific"],
        allowed_regions=["eu"],
    )
    assert req.region in eu
    rec = recommend(req, flips=False)
    assert rec.search is not None
    assert "multi-region-active-active" in {c.id for c in rec.search.candidates}
    for c in rec.search.candidates:
        used = c.design.regions()
        assert used <= eu, (c.id, used - eu)
        assert all(t.met for t in c.targets if t.target == "allowed_regions")


def test_without_residency_the_active_active_design_replicates_outside_eu():
    # the check above is not vacuous: unrestricted, the replicas go to other continents
    req = _req(
        application_type="saas_platform",
        team_size=12,
        aws_experience="advanced",
        region="eu-west-1",
        audience_regions=["north-america", "europe", "asia-pacific"],
    )
    rec = recommend(req, flips=False, forced="multi-region-active-active")
    assert rec.search is not None
    forced = rec.search.candidate("multi-region-active-active")
    assert forced is not None
    assert forced.design.regions() - set(regions.expand(["eu"]))


def test_over_budget_the_choice_is_the_cheapest_candidate_meeting_the_targets():
    req = _req(
        application_type="web_application",
        expected_users=150_000,
        requests_per_second=500,
        budget_monthly_usd=200,
    )
    result = run_design(req)
    rec = recommend(req, flips=False)
    assert rec.search is not None
    meeting = [c for c in rec.search.candidates if c.meets_targets]
    assert meeting
    cheapest = min(c.monthly_usd for c in meeting)
    assert result.pattern.id == rec.pattern.id
    # the estimate is that candidate with its disaster-recovery strategy added (priced with it)
    assert result.dr is not None
    with_dr = next(o for o in result.dr.options if o.strategy == result.dr.strategy)
    assert Decimal(result.estimate.monthly_usd) >= cheapest
    assert round(Decimal(result.estimate.monthly_usd), 2) == round(Decimal(str(with_dr.monthly_usd)), 2)
    assert result.budget.verdict == "over-budget"
    assert result.budget.floor_usd == cheapest
    assert result.budget.floor_drivers
    # alternatives carry each candidate's cost and per-target results
    for a in result.alternatives:
        if a.candidate:
            assert a.monthly_usd is not None and a.targets and a.burden
            assert a.meets_targets == all(t.met for t in a.targets)
            assert [s.load_factor for s in a.sensitivity] == [0.5, 1.0, 2.0, 5.0, 10.0]
    assert any("floor" in f.description for f in result.flips)


@settings(max_examples=examples(5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    app=st.sampled_from(["web_application", "saas_platform", "mobile_backend", "microservices"]),
    users=st.integers(100, 3_000_000),
    rps=st.floats(1, 5000),
    team=st.integers(1, 30),
    exp=st.sampled_from(["beginner", "intermediate", "advanced"]),
    avail=st.sampled_from([99.0, 99.9, 99.95, 99.99, 99.999]),
    latency=st.sampled_from([50, 100, 200, 500]),
    rto=st.sampled_from([1.0, 15.0, 240.0]),
    rpo=st.sampled_from([0.0, 5.0, 60.0]),
)
def test_the_choice_meets_the_targets_whenever_any_candidate_does(
    app, users, rps, team, exp, avail, latency, rto, rpo
):
    req = _req(
        application_type=app,
        expected_users=users,
        requests_per_second=rps,
        team_size=team,
        aws_experience=exp,
        availability_target=avail,
        latency_p95_ms=latency,
        rto_minutes=rto,
        rpo_minutes=rpo,
    )
    rec = recommend(req, flips=False)
    s = rec.search
    assert s is not None
    if any(c.meets_targets for c in s.candidates):
        assert s.best.meets_targets
        if not any(c.mostly_unpriced for c in s.candidates):
            assert s.best.monthly_usd == min(c.monthly_usd for c in s.candidates if c.meets_targets)
    else:
        assert s.fit.status in ("partial", "none") and s.fit.gaps


def test_gpu_inference_is_reported_as_a_gap_not_a_confident_answer():
    result = run_design(_req(application_type="web_application", accelerator="gpu"))
    assert result.fit.status == "none"
    assert any("GPU" in g for g in result.fit.gaps)
    assert result.to_dict()["fit"]["status"] == "none"


def test_example_side_by_side_table_lists_every_candidate():
    from cloudwright.render.sections import candidate_table

    result = run_design(load_requirements(EXAMPLES / "web-shop.yaml"))
    headers, rows = candidate_table(result)
    assert headers[-4:] == ["at 0.5× load", "at 2× load", "at 5× load", "at 10× load"]
    candidates = [a.id for a in result.alternatives if a.candidate]
    assert len(rows) == 1 + len(candidates)
    assert rows[0][0].endswith("(chosen)")


def test_anonymous_readers_are_never_billed_as_identity_users():
    result = run_design(
        _req(application_type="web_application", expected_users=200_000, signed_in_share_percent=5),
        pattern_id="serverless-web",
    )
    pools = [r for r in result.resources if r.type == "AWS::Cognito::UserPool"]
    assert pools and pools[0].usage["monthly_active_users"] == 10_000


@pytest.mark.parametrize(
    "base",
    [
        # beginners: a cheaper candidate is held back by the team target
        {
            "application_type": "saas_platform",
            "expected_users": 5000,
            "requests_per_second": 20,
            "team_size": 3,
        },
        # an intermediate team of 5: EKS is cheaper but needs an advanced team of 6
        {
            "application_type": "web_application",
            "expected_users": 50_000,
            "requests_per_second": 150,
            "team_size": 5,
            "aws_experience": "intermediate",
            "latency_p95_ms": 80,
        },
    ],
)
def test_what_would_change_the_answer_really_changes_it(base):
    req = _req(**base)
    rec = recommend(req)
    checked = 0
    for flip in rec.flips:
        if flip.field in ("latency_p95_ms", "availability_target", "rto_minutes", "rpo_minutes"):
            update = {flip.field: flip.value}
        elif flip.field == "team" and isinstance(flip.value, dict):
            update = dict(flip.value)
        else:
            continue
        changed = recommend(_req(**{**base, **update}), flips=False)
        assert changed.pattern.id == flip.pattern, flip.describe()
        assert changed.pattern.id != rec.pattern.id
        checked += 1
    assert checked


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_candidate_figures_are_the_whole_design_with_its_dr_strategy(path):
    """Every candidate is priced with the DR strategy it would get: the chosen one's total is the final
    estimate, and the cost floor is the cheapest target-meeting candidate's whole-design total."""
    result = run_design(load_requirements(path))
    assert result.pattern.monthly_usd == result.estimate.monthly_usd
    assert result.dr is not None
    # the chosen candidate's sensitivity at 1x is its total (the same DR strategy at every load)
    one = [p.monthly_usd for p in result.pattern.sensitivity if p.load_factor == 1.0]
    assert one == [result.estimate.monthly_usd]
    rows = [
        (
            result.pattern.id,
            result.pattern.meets_targets,
            result.pattern.monthly_usd,
            result.estimate.complete,
        )
    ]
    rows += [
        (a.id, a.meets_targets, a.monthly_usd, a.estimate_complete)
        for a in result.alternatives
        if a.candidate
    ]
    meeting = [r for r in rows if r[1]]
    if not meeting:
        assert result.budget.floor_usd is None
        return
    # a complete total ranks before a partial one (a lower bound); then the cheapest
    cheapest = min(meeting, key=lambda r: (not r[3], r[2], r[0]))
    assert result.budget.floor_pattern == cheapest[0]
    assert result.budget.floor_usd == cheapest[2]
    if result.budget.over_budget:
        assert result.budget.floor_usd <= result.estimate.monthly_usd


def test_a_partial_total_never_wins_cheapest_over_a_complete_one():
    from types import SimpleNamespace

    from cloudwright.patterns.search import Candidate, _ranking_basis

    pats = load_patterns()

    def cand(pid: str, usd: str, complete: bool) -> Candidate:
        line = SimpleNamespace(status="priced" if complete else "price-unknown", description="x", quantity=1)
        res = SimpleNamespace(
            logical_id="R", type="AWS::S3::Bucket", classification="usage", line_items=[line]
        )
        est = SimpleNamespace(monthly_usd=Decimal(usd), complete=complete, resources=[res])
        return Candidate(pats[pid], None, est, [])

    full = cand("three-tier-fargate", "500", True)
    partial = cand("serverless-web", "100", False)
    ranked = sorted([partial, full], key=lambda c: c.sort_key)
    assert ranked[0] is full
    assert _ranking_basis(ranked) == "complete-first"
    assert _ranking_basis([full, cand("ha-ec2-web", "700", True)]) == "totals"
    assert (
        _ranking_basis([partial, cand("ha-ec2-web", "700", False)]) == "totals"
    )  # the same line lacks a price
