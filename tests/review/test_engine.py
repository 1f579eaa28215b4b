"""The review engine: value semantics, suppressions, cost deltas, scores, availability, quotas, compliance."""

from __future__ import annotations

import pytest

from cloudwright.design.model import Design, Placement, Resource
from cloudwright.requirements import Requirements
from cloudwright.review.availability import composite_availability, recovery_summary
from cloudwright.review.context import MISSING, UNKNOWN, ReviewContext
from cloudwright.review.engine import review_design
from cloudwright.review.model import CheckResult, Status
from cloudwright.review.registry import load_checks
from cloudwright.review.scoring import pillar_scores

from .conftest import TODAY


def _design(*resources: Resource, env: str = "prod", params: dict | None = None) -> Design:
    return Design(name="t", environment=env, resources=list(resources), parameters=params or {})


def _db(logical_id: str = "Db", **props) -> Resource:
    base = {"Engine": "postgres", "DBInstanceClass": "db.t3.micro", "AllocatedStorage": "20"}
    return Resource(logical_id=logical_id, type="AWS::RDS::DBInstance", properties={**base, **props})


# --- value semantics (checkov-like) ------------------------------------------------------------------
def test_values_follow_cloudformation_semantics() -> None:
    r = Resource(
        logical_id="X",
        type="AWS::Test::Thing",
        properties={
            "Flag": "TRUE",
            "Count": "7",
            "FromParam": {"Ref": "P"},
            "FromResource": {"Ref": "Other"},
            "Conditional": {"Fn::If": ["C", 1, 2]},
            "Attrs": [{"Key": "a.b", "Value": "false"}],
        },
    )
    ctx = ReviewContext(design=_design(r, params={"P": {"Type": "String", "Default": "false"}}))
    assert ctx.value(r, "Flag") is True
    assert ctx.value(r, "Count") == 7
    assert ctx.value(r, "FromParam") is False
    assert ctx.value(r, "FromResource") is UNKNOWN
    assert ctx.value(r, "Conditional") is UNKNOWN
    assert ctx.value(r, "Attrs[Key=a.b].Value") is False
    assert ctx.value(r, "Attrs[Key=nope].Value") is MISSING
    assert ctx.value(r, "Missing.Deeper") is MISSING


def test_unresolvable_value_gives_unknown_not_pass_or_fail() -> None:
    db = _db(MultiAZ={"Fn::If": ["IsProd", True, False]})
    review = review_design(_design(db), cost_deltas=False, today=TODAY)
    (res,) = [r for r in review.results if r.check_id == "REL-RDS-001"]
    assert res.status is Status.UNKNOWN
    assert not [f for f in review.findings if f.check_id == "REL-RDS-001"]


def test_environment_scoped_checks_skip_other_environments() -> None:
    review = review_design(_design(_db(), env="dev"), cost_deltas=False, today=TODAY)
    assert not [r for r in review.results if r.check_id == "REL-RDS-001"]
    review = review_design(_design(_db(), env="prod"), cost_deltas=False, today=TODAY)
    assert [f for f in review.findings if f.check_id == "REL-RDS-001"]


# --- suppressions -------------------------------------------------------------------------------------
def test_suppressed_findings_keep_their_reason_and_leave_the_findings() -> None:
    db = _db()
    db.attributes["Metadata"] = {
        "cloudwright-review": {
            "skip": [{"id": "REL-RDS-001", "reason": "batch reporting copy, rebuilt nightly"}]
        }
    }
    review = review_design(_design(db), cost_deltas=False, today=TODAY)
    (res,) = [r for r in review.results if r.check_id == "REL-RDS-001"]
    assert res.status is Status.SUPPRESSED
    assert res.reason == "batch reporting copy, rebuilt nightly"
    assert not [f for f in review.findings if f.check_id == "REL-RDS-001"]
    assert review.scores["reliability"].suppressed >= 1


# --- cost delta -----------------------------------------------------------------------------------------
def test_cost_delta_is_the_priced_difference_of_the_fixed_design() -> None:
    from cloudwright.pricing.engine import price_design

    design = _design(_db())
    review = review_design(design, today=TODAY)
    (finding,) = [f for f in review.findings if f.check_id == "REL-RDS-001"]
    fixed = design.model_copy(deep=True)
    fixed["Db"].properties["MultiAZ"] = True
    expected = price_design(fixed).monthly_usd - price_design(design).monthly_usd
    assert expected > 0
    assert finding.cost_delta_usd == expected


def test_review_survives_a_pricing_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    import cloudwright.pricing.engine as engine
    from cloudwright.errors import CatalogError

    def broken(*args, **kwargs):
        raise CatalogError("catalogue missing")

    monkeypatch.setattr(engine, "price_design", broken)
    review = review_design(_design(_db()), today=TODAY)
    (finding,) = [f for f in review.findings if f.check_id == "REL-RDS-001"]
    assert finding.cost_delta_usd is None
    assert finding.cost_note.startswith("cost delta unknown")
    assert finding.resource in finding.cost_note and "CatalogError: catalogue missing" in finding.cost_note
    assert any("could not be priced" in n for n in review.notes)


def test_a_bug_in_pricing_is_not_hidden_as_an_unknown_delta(monkeypatch: pytest.MonkeyPatch) -> None:
    import cloudwright.pricing.engine as engine

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(engine, "price_design", broken)
    with pytest.raises(RuntimeError):
        review_design(_design(_db()), today=TODAY)


# --- scores ---------------------------------------------------------------------------------------------
def test_pillar_score_formula() -> None:
    checks = load_checks()
    results = [
        CheckResult(check_id="REL-RDS-001", resource="a", status=Status.FAIL),  # high: 5
        CheckResult(check_id="REL-RDS-002", resource="a", status=Status.PASS),  # medium: 3
        CheckResult(check_id="REL-S3-001", resource="b", status=Status.PASS),  # medium: 3
        CheckResult(check_id="REL-DDB-001", resource="c", status=Status.UNKNOWN),  # no weight
    ]
    scores = pillar_scores(results, checks)
    assert scores["reliability"].score == round(100 * (1 - 5 / 11))
    assert scores["reliability"].unknown == 1
    assert scores["security"].score is None


# --- availability and recovery ------------------------------------------------------------------------
def _serverless(region: str = "us-east-1") -> list[Resource]:
    place = Placement(region=region)
    return [
        Resource(logical_id=f"Fn{region[-1]}", type="AWS::Lambda::Function", placement=place),
        Resource(logical_id=f"Table{region[-1]}", type="AWS::DynamoDB::Table", placement=place),
    ]


def test_serial_composition_multiplies_published_slas() -> None:
    ctx = ReviewContext(design=_design(*_serverless()), requirements=Requirements(availability_target=99.9))
    a = composite_availability(ctx)
    assert a.composite_percent == pytest.approx(99.95 * 99.99 / 100, abs=1e-4)
    assert a.verdict == "meets target"


def test_regional_stacks_compose_in_parallel() -> None:
    design = _design(*_serverless("us-east-1"), *_serverless("us-west-2"))
    a = composite_availability(
        ReviewContext(design=design, requirements=Requirements(availability_target=99.99))
    )
    one = 0.9995 * 0.9999
    assert a.composite_percent == pytest.approx((1 - (1 - one) ** 2) * 100, abs=1e-4)
    assert a.verdict == "meets target"


def test_single_az_database_lowers_the_commitment_and_recovery() -> None:
    req = Requirements(availability_target=99.9, rpo_minutes=1)
    ctx = ReviewContext(design=_design(_db()), requirements=req)
    a = composite_availability(ctx)
    assert a.composite_percent == pytest.approx(99.5)
    assert a.verdict == "below target: single-AZ components"
    rec = recovery_summary(ctx)
    assert rec.rpo_minutes == 5
    assert rec.rto_minutes is None  # a restore's duration depends on the data size: unknown, not guessed


def test_services_without_a_published_sla_are_reported_not_guessed() -> None:
    q = Resource(logical_id="Queue", type="AWS::SQS::Queue")
    a = composite_availability(ReviewContext(design=_design(q, *_serverless()), requirements=Requirements()))
    assert a.is_upper_bound is True
    assert "Amazon SQS" in a.unknown_services


def test_recovery_json_keeps_the_shape_of_the_recovery_table() -> None:
    # a row citing its own source lists it before the row name, a row using the table's source after it,
    # and only a row with a note has the key
    asg = Resource(logical_id="Asg", type="AWS::AutoScaling::AutoScalingGroup")  # AZs unknown: a note
    queue = Resource(logical_id="Queue", type="AWS::SQS::Queue")
    review = review_design(_design(asg, queue), Requirements(), cost_deltas=False, today=TODAY)
    recovery = review.to_dict()["recovery"]
    assert isinstance(recovery, dict) and isinstance(recovery["components"], list)
    keys = {c["resource"]: list(c) for c in recovery["components"] if isinstance(c, dict)}
    assert keys["Asg"][-3:] == ["model", "source", "note"]
    assert keys["Queue"][-2:] == ["source", "model"] and "note" not in keys["Queue"]


# --- quotas ---------------------------------------------------------------------------------------------
def test_quota_breach_names_the_quota_and_how_to_raise_it() -> None:
    fn = Resource(
        logical_id="Fn",
        type="AWS::Lambda::Function",
        usage={"monthly_requests": 2_628_000_000, "request_duration_ms": 2000},  # 1,000 rps × 2 s = 2,000
    )
    req = Requirements(peak_to_average_ratio=1)
    review = review_design(_design(fn), req, cost_deltas=False, today=TODAY)
    (q,) = [q for q in review.quotas if q.quota == "lambda.concurrent_executions"]
    assert q.breach and q.needed == pytest.approx(2000)
    assert "L-B99A9384" in q.how_to_raise
    assert [f for f in review.findings if f.check_id == "REL-QUOTA-001"]


# --- compliance -----------------------------------------------------------------------------------------
def test_compliance_evidence_lists_met_not_met_and_process_controls() -> None:
    design = _design(_db(StorageEncrypted=True, MultiAZ=True, BackupRetentionPeriod=7))
    review = review_design(design, Requirements(compliance=["HIPAA"]), cost_deltas=False, today=TODAY)
    (hipaa,) = review.compliance
    by_id = {c.id: c for c in hipaa.controls}
    assert by_id["164.312(a)(2)(iv)"].status == "met"
    assert by_id["164.308(a)(5)"].status == "process"
    assert by_id["164.312(e)(1)"].status == "not assessed"
    review = review_design(_design(_db()), Requirements(compliance=["HIPAA"]), cost_deltas=False, today=TODAY)
    enc = {c.id: c for c in review.compliance[0].controls}["164.312(a)(2)(iv)"]
    assert enc.status == "not met" and "SEC-RDS-001 on Db" in enc.evidence


def test_compliance_maps_only_to_existing_checks() -> None:
    from cloudwright.review.compliance import frameworks, load_framework

    checks = load_checks()
    assert frameworks() == ["GDPR", "HIPAA", "ISO27001", "PCI-DSS", "SOC2"]
    for name in frameworks():
        fw = load_framework(name)
        assert fw["source"] and fw["date"]
        for c in fw["controls"]:
            assert c["requirement"] and c["control"] and c["references"], c["id"]
            if c.get("kind") != "process":
                assert c["checks"], c["id"]
            for cid in c.get("checks", []):
                assert cid in checks, f"{name} {c['id']}: unknown check {cid}"


# --- external validators ---------------------------------------------------------------------------------
def test_external_findings_are_mapped_into_the_finding_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    import cloudwright.validate as validate
    from cloudwright.validate import ExternalFinding

    fake = [
        ExternalFinding(
            tool="checkov",
            rule_id="CKV_AWS_16",
            severity="high",
            level="error",
            resource="Db",
            path=("Resources", "Db", "Properties"),
            message="Ensure all data stored in RDS is securely encrypted",
        ),
        ExternalFinding(
            tool="checkov",
            rule_id="CKV_AWS_157",
            severity="info",
            level="suppressed",
            resource="Db",
            path=("Resources", "Db"),
            message="accepted for this test",
        ),
    ]
    monkeypatch.setattr(validate, "external_findings", lambda *a, **k: list(fake))
    review = review_design(_design(_db()), external=True, cost_deltas=False, today=TODAY)
    ext = [f for f in review.findings if f.source == "checkov"]
    assert [(f.check_id, f.resource, f.severity.value) for f in ext] == [("checkov:CKV_AWS_16", "Db", "high")]
    assert review.external is not None and review.external.ran is True
    assert review.external.suppressed[0].rule_id == "CKV_AWS_157"
    assert not [f for f in review.own_findings() if f.source != "cloudwright"]


@pytest.mark.slow
def test_external_validators_run_for_real_on_a_rendered_design() -> None:
    from cloudwright.design.build import build_design

    req = Requirements(name="demo")
    review = review_design(
        build_design(req, pattern_id="serverless-web"), req, external=True, cost_deltas=False
    )
    assert review.external is not None and review.external.ran is True, review.external
    assert "cfn-lint" in review.external.tools


def test_instances_in_several_azs_compose_in_parallel() -> None:
    subnets = [
        Resource(
            logical_id=f"Sub{az}", type="AWS::EC2::Subnet", properties={"AvailabilityZone": f"us-east-1{az}"}
        )
        for az in "ab"
    ]
    instances = [
        Resource(
            logical_id=f"Web{az}", type="AWS::EC2::Instance", properties={"SubnetId": {"Ref": f"Sub{az}"}}
        )
        for az in "ab"
    ]
    a = composite_availability(
        ReviewContext(design=_design(*subnets, *instances), requirements=Requirements())
    )
    assert a.composite_percent == pytest.approx((1 - 0.005**2) * 100, abs=1e-4)


def test_rendered_template_reviews_like_the_design() -> None:
    from cloudwright.cfn.writer import render_template
    from cloudwright.design.build import build_design
    from cloudwright.design.cfn_import import import_template

    req = Requirements(name="demo")
    design = build_design(req, pattern_id="three-tier-fargate")
    direct = review_design(design, req, cost_deltas=False, today=TODAY)
    imported = review_design(import_template(render_template(design)), req, cost_deltas=False, today=TODAY)
    assert [(f.check_id, f.resource) for f in direct.findings] == [
        (f.check_id, f.resource) for f in imported.findings
    ]
    assert direct.availability is not None and imported.availability is not None
    assert direct.availability.composite_percent == imported.availability.composite_percent


def test_cost_delta_reuses_the_estimates_pricing_options() -> None:
    from cloudwright.pricing.engine import PricingOptions, price_design

    design = _design(_db())
    options = PricingOptions(free_tier="always-free")
    estimate = price_design(design, options)
    review = review_design(design, Requirements(), estimate=estimate, today=TODAY)
    (finding,) = [f for f in review.findings if f.check_id == "REL-RDS-001"]
    fixed = design.model_copy(deep=True)
    fixed["Db"].properties["MultiAZ"] = True
    assert finding.cost_delta_usd == price_design(fixed, options).monthly_usd - estimate.monthly_usd


def test_a_quadratic_check_is_skipped_on_a_large_design_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    from cloudwright.review import engine

    checks = load_checks()
    assert checks["PERF-CHAIN-001"].meta.complexity == "quadratic"
    assert sum(1 for c in checks.values() if c.meta.complexity == "quadratic") == 1
    design = _design(_db())
    chain = [checks["PERF-CHAIN-001"]]
    monkeypatch.setattr(engine, "QUADRATIC_MAX_RESOURCES", len(design.resources))
    ctx = engine.ReviewContext(design=design)
    engine.run_checks(ctx, chain)
    assert ctx.notes == []
    monkeypatch.setattr(engine, "QUADRATIC_MAX_RESOURCES", len(design.resources) - 1)
    review = review_design(design, checks=chain, today=TODAY)
    assert review.results == []
    assert any(n.startswith("PERF-CHAIN-001 not run") for n in review.notes)
