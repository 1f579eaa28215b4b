"""Every check against its pass and fail fixture: the exact set of failing logical ids (checkov style)."""

from __future__ import annotations

import re

import pytest

from cloudwright.review.context import ReviewContext
from cloudwright.review.costs import CostDeltas
from cloudwright.review.engine import run_checks
from cloudwright.review.model import Status
from cloudwright.review.registry import load_checks

from .conftest import FIXTURES, TODAY, load_fixture

CHECKS = load_checks()
WA_ID = re.compile(r"^(OPS|SEC|REL|PERF|COST|SUS)\d{2}-BP\d{2}$")


def _run(check_id: str, kind: str):
    fx = load_fixture(FIXTURES / check_id / f"{kind}.yaml")
    ctx = ReviewContext(
        design=fx.design,
        requirements=fx.requirements,
        environment=fx.design.environment,
        today=TODAY,
        compliance=tuple(c.value for c in fx.requirements.compliance) if fx.requirements else (),
        monthly_cost=CostDeltas(fx.design).base() if fx.requirements is not None else None,
    )
    outcomes = [o for _, o in run_checks(ctx, [CHECKS[check_id]])]
    return fx, outcomes


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_fail_fixture_fails_exactly(check_id: str) -> None:
    fx, outcomes = _run(check_id, "fail")
    failing = {o.resource for o in outcomes if o.status is Status.FAIL}
    assert fx.expected_failures, "a fail fixture must name the resources it expects to fail"
    assert failing == fx.expected_failures
    for o in outcomes:
        if o.status is Status.FAIL:
            assert o.message, "a failure says what is wrong"


@pytest.mark.parametrize("check_id", sorted(CHECKS))
def test_pass_fixture_passes(check_id: str) -> None:
    fx, outcomes = _run(check_id, "pass")
    assert fx.expected_failures == set()
    assert not [o for o in outcomes if o.status is Status.FAIL]
    assert any(o.status is Status.PASS for o in outcomes), "the pass fixture must exercise the check"


def test_every_check_has_metadata_and_both_fixtures() -> None:
    assert len(CHECKS) >= 60
    pillars = {c.meta.pillar for c in CHECKS.values()}
    assert len(pillars) == 6
    for cid, chk in CHECKS.items():
        m = chk.meta
        assert m.id == cid
        assert m.title and m.rationale and m.remediation and m.severity and m.pillar, cid
        assert any(WA_ID.match(ref) for ref in m.references), f"{cid}: no Well-Architected best-practice id"
        assert (FIXTURES / cid / "pass.yaml").is_file(), f"{cid}: pass fixture missing"
        assert (FIXTURES / cid / "fail.yaml").is_file(), f"{cid}: fail fixture missing"
    orphans = {p.name for p in FIXTURES.iterdir() if p.is_dir()} - set(CHECKS)
    assert not orphans, f"fixtures for unknown checks: {sorted(orphans)}"


def test_logic_checks_live_one_per_module_named_after_their_id() -> None:
    for cid, chk in CHECKS.items():
        if chk.meta.kind == "logic":
            module = chk.origin.rsplit(".", 1)[-1]
            assert module.startswith(cid.lower().replace("-", "_") + "_"), (cid, chk.origin)
            pillar_pkg = chk.origin.rsplit(".", 2)[-2]
            assert cid.lower().startswith(pillar_pkg), (cid, chk.origin)
