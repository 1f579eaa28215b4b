"""Acceptance: every pattern's prod design has no high/critical finding of our own, and every dev finding is
expected and explained (review/data/expected.yaml)."""

from __future__ import annotations

import pytest

from cloudwright.design.build import build_design
from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.recommend import recommend
from cloudwright.requirements import Requirements
from cloudwright.review.allowlist import expected_findings
from cloudwright.review.engine import high_findings, review_design
from recommended import recommended

PATTERNS = sorted(load_patterns())
PROFILES = {
    "default": {"name": "demo"},
    "regulated": {"name": "clinic", "compliance": ["HIPAA"], "availability_target": 99.95},
    "large": {
        "name": "shop",
        "compliance": ["PCI-DSS", "SOC2"],
        "requests_per_second": 2000,
        "availability_target": 99.99,
        "expected_users": 2_000_000,
        "budget_monthly_usd": 50_000,
    },
    "tight-recovery": {"name": "bank", "rto_minutes": 5, "rpo_minutes": 1},
}


def _describe(findings) -> str:
    return "\n".join(f"{f.severity.value} {f.check_id} {f.resource}: {f.message}" for f in findings)


@pytest.mark.parametrize("pattern_id", PATTERNS)
def test_prod_design_has_no_high_finding(pattern_id: str) -> None:
    req = Requirements(name="demo")
    review = review_design(build_design(req, pattern_id=pattern_id, environment="prod"), req)
    assert not high_findings(review), _describe(high_findings(review))


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_recommended_prod_design_has_no_high_finding(profile: str) -> None:
    req = Requirements(**PROFILES[profile])
    chosen = recommend(req).pattern.id
    design = build_design(req, chosen, environment="prod")
    assert design.origin == f"pattern:{chosen}"
    review = review_design(design, req)
    assert not high_findings(review), _describe(high_findings(review))


@pytest.mark.parametrize("pattern_id", PATTERNS)
def test_every_dev_finding_is_expected_and_explained(pattern_id: str) -> None:
    req = Requirements(name="demo")
    review = review_design(build_design(req, pattern_id=pattern_id, environment="dev"), req)
    allowed = expected_findings("dev")
    unexplained = [f for f in review.own_findings() if f.check_id not in allowed]
    assert not unexplained, _describe(unexplained)
    for f in review.own_findings():
        assert f.expected_reason == allowed[f.check_id]


def test_the_dev_allow_list_explains_itself_and_holds_nothing_severe() -> None:
    from cloudwright.review.registry import load_checks

    checks = load_checks()
    allowed = expected_findings("dev")
    assert allowed
    for cid, reason in allowed.items():
        assert cid in checks
        assert len(reason) > 30
        assert checks[cid].meta.severity.value not in ("critical", "high"), cid


def _example_requirements():
    from pathlib import Path

    from cloudwright.requirements import looks_like_requirements, parse_document, requirements_from_mapping

    root = Path(__file__).resolve().parents[2] / "examples"
    for path in sorted(root.glob("*.yaml")):
        data = parse_document(path.read_text(encoding="utf-8"), source=str(path))
        if looks_like_requirements(data):
            yield pytest.param(requirements_from_mapping(data), id=path.stem)


@pytest.mark.parametrize("req", list(_example_requirements()))
def test_example_requirements_prod_has_no_high_and_dev_is_explained(req: Requirements) -> None:
    chosen = recommended(req).pattern.id
    prod = review_design(build_design(req, chosen, environment="prod"), req)
    assert not high_findings(prod), _describe(high_findings(prod))
    dev = review_design(build_design(req, chosen, environment="dev"), req)
    allowed = expected_findings("dev")
    unexplained = [f for f in dev.own_findings() if f.check_id not in allowed]
    assert not unexplained, _describe(unexplained)
