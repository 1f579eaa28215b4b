"""All patterns × environments: the template renders, round-trips, and cfn-lint / checkov accept it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import validator_cache
from cfn.pattern_designs import OTHER_REGION_CASES, case_params, cases, design, parsed, templates
from cloudwright.cfn.writer import SUPPRESSIONS, render_templates, tag_style
from cloudwright.design.cfn_import import import_template

CASES = cases()
#: Every case plus designs outside us-east-1: (pattern, environment[, region]).
ALL_CASES: list[tuple[str, ...]] = [*CASES, *OTHER_REGION_CASES]


def _files(case: tuple[str, str]) -> dict[str, dict[str, Any]]:
    return parsed(*case)


@pytest.mark.parametrize("case", case_params(ALL_CASES))
def test_round_trip_render_import_render(case):
    for name, text in templates(*case).items():
        again = render_templates(import_template(text))["template.yaml"]
        assert again == text, f"{name} changed on re-render"


@pytest.mark.slow
@pytest.mark.parametrize("case", case_params(ALL_CASES))
def test_cfn_lint_has_no_error_and_no_warning(case):
    for name, text in templates(*case).items():
        region = parsed(*case)[name]["Metadata"]["cloudwright"]["region"]
        findings = [f for f in validator_cache.lint(text, region=region) if f.level in ("error", "warning")]
        assert findings == [], f"{name}: " + "; ".join(
            f"{f.rule_id} {f.resource}: {f.message}" for f in findings
        )


@pytest.mark.parametrize("case", case_params(CASES))
def test_every_taggable_resource_is_tagged(case):
    for name, t in _files(case).items():
        for lid, body in t["Resources"].items():
            style = tag_style(body["Type"])
            if style is None:
                continue
            tags = body["Properties"]["Tags"]
            keys = set(tags) if style == "map" else {x["Key"] for x in tags}
            assert {"project", "environment", "cost-centre"} <= keys, f"{name} {lid}"


@pytest.mark.parametrize("case", case_params(CASES))
def test_secure_by_default(case):
    env = case[1]
    for name, t in _files(case).items():
        for lid, body in t["Resources"].items():
            rtype, props = body["Type"], body.get("Properties", {})
            where = f"{name} {lid}"
            assert "MasterUserPassword" not in props, f"{where}: plaintext database password"
            if rtype == "AWS::S3::Bucket":
                block = props.get("PublicAccessBlockConfiguration", {})
                assert all(
                    block.get(k) is True
                    for k in (
                        "BlockPublicAcls",
                        "BlockPublicPolicy",
                        "IgnorePublicAcls",
                        "RestrictPublicBuckets",
                    )
                ), where
                assert props.get("BucketEncryption"), where
            if rtype == "AWS::Logs::LogGroup":
                assert props.get("RetentionInDays"), f"{where}: log retention"
            if rtype in ("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
                docs = [p.get("PolicyDocument", {}) for p in props.get("Policies", [])]
                docs.append(props.get("PolicyDocument", {}))
                for doc in docs:
                    for st in doc.get("Statement", []) if isinstance(doc, dict) else []:
                        actions = st.get("Action")
                        actions = [actions] if isinstance(actions, str) else actions or []
                        resources = st.get("Resource")
                        resources = [resources] if isinstance(resources, str) else resources or []
                        assert not ("*" in actions and "*" in resources), f"{where}: * on *"
            standalone = rtype == "AWS::RDS::DBCluster" or (
                rtype == "AWS::RDS::DBInstance"
                and "DBClusterIdentifier" not in props
                and "SourceDBInstanceIdentifier" not in props
            )
            if standalone:
                assert props.get("StorageEncrypted") is True, f"{where}: encryption at rest"
                if env == "prod":
                    assert props.get("DeletionProtection") is True, f"{where}: deletion protection in prod"
                    assert (props.get("BackupRetentionPeriod") or 0) >= 7, f"{where}: backups in prod"
        types = {b["Type"] for b in t["Resources"].values()}
        if "AWS::EC2::VPC" in types:
            assert "AWS::EC2::FlowLog" in types, f"{name}: VPC flow logs"


@pytest.mark.slow
def test_checkov_has_no_unexplained_failure():
    """checkov once over every template of every pattern × environment (it costs seconds to start)."""
    files = {
        f"{'--'.join(case)}--{name}": text for case in ALL_CASES for name, text in templates(*case).items()
    }
    assert len(files) >= len(CASES)
    results = validator_cache.checkov(files)
    failed = [
        f"{f.file}: {f.rule_id} {f.resource}: {f.message}"
        for fs in results.values()
        for f in fs
        if f.level == "error"
    ]
    assert failed == [], "\n".join(failed)
    suppressed = [f for fs in results.values() for f in fs if f.level == "suppressed"]
    assert suppressed, "the suppressions written by the renderer should be seen by checkov"
    for f in suppressed:
        reason = f.message.split("suppressed:", 1)[1].strip()
        assert len(reason) >= 20 and reason != "no reason given", f"{f.file}: {f.rule_id} on {f.resource}"


def test_suppression_table_is_short_and_reasoned():
    assert len(SUPPRESSIONS) <= 12
    assert len({(s.check_id, s.resource_type) for s in SUPPRESSIONS}) == len(SUPPRESSIONS)
    assert all(s.check_id.startswith("CKV") and len(s.reason) > 40 for s in SUPPRESSIONS)


@pytest.mark.parametrize("case", case_params([c for c in CASES if c[1] == "prod"]))
def test_template_holds_exactly_the_priced_graph(case):
    d = design(*case)
    ids = set()
    for t in _files(case).values():
        ids |= set(t["Resources"])
    assert ids == {r.logical_id for r in d.resources}


@pytest.mark.slow
def test_every_suppression_in_use_is_documented():
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "cloudformation.md").read_text(encoding="utf-8")
    documented = {(m[0], m[1]) for m in re.findall(r"^\| (CKV\w+) [^|]*\| `(AWS::[\w:]+)`", doc, re.M)}
    documented |= {(s.check_id, s.resource_type) for s in SUPPRESSIONS}
    missing = set()
    for case in CASES:
        for t in _files(case).values():
            for body in t["Resources"].values():
                for skip in (body.get("Metadata", {}).get("checkov") or {}).get("skip", []):
                    if (skip["id"], body["Type"]) not in documented:
                        missing.add((skip["id"], body["Type"]))
    assert not missing, f"document these checkov suppressions in docs/cloudformation.md: {sorted(missing)}"
