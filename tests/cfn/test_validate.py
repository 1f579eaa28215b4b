from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cfn.sample import sample_design
from cloudwright.cfn.writer import render_template
from cloudwright.cli import app
from cloudwright.review.registry import checkov_severities
from cloudwright.validate import checkov_directory, external_findings, lint_template, validate_files

BAD = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: Not_A_Valid_Name
      NoSuchProperty: 1
"""


def test_cfn_lint_is_clean_on_the_sample():
    assert lint_template(render_template(sample_design())) == []


def test_cfn_lint_findings_are_mapped():
    findings = lint_template(BAD)
    assert findings, "cfn-lint should reject an unknown property"
    f = next(f for f in findings if f.rule_id == "E3002")
    assert (f.tool, f.level, f.severity, f.resource) == ("cfn-lint", "error", "high", "Bucket")
    assert f.path[:2] == ("Resources", "Bucket")
    assert f.line == 7


@pytest.mark.slow
def test_checkov_once_over_a_directory(tmp_path: Path):
    (tmp_path / "good.yaml").write_text(render_template(sample_design()))
    (tmp_path / "bad.yaml").write_text(BAD)
    results = checkov_directory(tmp_path, severities=checkov_severities())
    good = results.get("good.yaml", [])
    assert [f for f in good if f.level == "error"] == []
    assert {f.rule_id for f in good if f.level == "suppressed"} >= {"CKV_AWS_116", "CKV_AWS_117"}
    assert all("suppressed:" in f.message for f in good)
    bad_ids = {f.rule_id for f in results["bad.yaml"] if f.level == "error"}
    assert {"CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"} <= bad_ids
    assert all(f.resource == "Bucket" for f in results["bad.yaml"])


@pytest.mark.slow
def test_external_findings_and_cli_summary(tmp_path: Path):
    good = tmp_path / "template.yaml"
    good.write_text(render_template(sample_design()))
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    findings = external_findings(BAD, severities=checkov_severities())
    assert {f.tool for f in findings} == {"cfn-lint", "checkov"}
    report = validate_files([good, bad], severities=checkov_severities())
    assert {f.file for f in report.errors} == {str(bad)}
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "0 error(s), 0 warning(s)" in ok.output
    failed = runner.invoke(app, ["validate", str(bad), "--no-checkov"])
    assert failed.exit_code == 1
    assert "E3002" in failed.output


def test_validate_missing_file_is_one_line(tmp_path: Path):
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "nope.yaml"), "--no-checkov"])
    assert result.exit_code == 2
    assert "no such template file" in result.output


def _item(check_id: str, severity: str | None = None) -> dict:
    return {
        "check_id": check_id,
        "check_name": f"{check_id} name",
        "resource": "AWS::S3::Bucket.Bucket",
        "file_path": "/t.yaml",
        "file_line_range": [3, 8],
        "severity": severity,
        "check_result": {"evaluated_keys": ["Properties/BucketName"]},
    }


def test_checkov_failures_split_into_errors_and_hygiene():
    from cloudwright.validate import _checkov_finding

    where, rated = Path("/"), checkov_severities()
    public = _checkov_finding(_item("CKV_AWS_53"), "error", where, rated)  # cloudwright's SEC-S3-001 is high
    assert (public.level, public.severity) == ("error", "high")
    logging = _checkov_finding(_item("CKV_AWS_18"), "error", where, rated)  # access logging: low
    assert (logging.level, logging.severity) == ("warning", "low")
    unknown = _checkov_finding(_item("CKV_AWS_999"), "error", where, rated)
    assert (unknown.level, unknown.severity) == ("warning", "low")
    reported = _checkov_finding(_item("CKV_AWS_999", "CRITICAL"), "error", where)
    assert (reported.level, reported.severity) == ("error", "critical")
    skipped = _checkov_finding(_item("CKV_AWS_53"), "suppressed", where)
    assert skipped.level == "suppressed"


def test_validate_exits_non_zero_only_for_errors_unless_strict(tmp_path: Path, monkeypatch):
    import cloudwright.validate as validate

    good = tmp_path / "template.yaml"
    good.write_text(render_template(sample_design()))

    def hygiene_only(directory, severities=None):
        finding = validate._checkov_finding(_item("CKV_AWS_18"), "error", Path(directory), severities)
        return {"t000.yaml": [finding]}

    monkeypatch.setattr(validate, "checkov_available", lambda: True)
    monkeypatch.setattr(validate, "checkov_directory", hygiene_only)
    runner = CliRunner()
    relaxed = runner.invoke(app, ["validate", str(good)])
    assert relaxed.exit_code == 0, relaxed.output
    assert "0 error(s), 1 warning(s)" in relaxed.output
    strict = runner.invoke(app, ["validate", str(good), "--strict"])
    assert strict.exit_code == 1
