"""Renderers (terminal, Markdown, HTML, JSON, SARIF) and the ``review`` / ``checks`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cloudwright.cli import app
from cloudwright.design.build import build_design
from cloudwright.requirements import Requirements
from cloudwright.review.engine import review_design
from cloudwright.review.render import review_html, review_json, review_markdown, review_sarif

FLAWED = Path(__file__).parent / "planted" / "flawed.yaml"
runner = CliRunner()


def _review():
    req = Requirements(name="demo", compliance=["PCI-DSS"])
    return review_design(build_design(req, pattern_id="three-tier-fargate"), req)


def test_outputs_are_deterministic() -> None:
    a, b = _review(), _review()
    assert review_json(a) == review_json(b)
    assert review_markdown(a) == review_markdown(b)
    assert review_sarif(a) == review_sarif(b)
    assert review_html(a) == review_html(b)


def test_json_carries_findings_scores_compliance_availability_and_quotas() -> None:
    data = json.loads(review_json(_review()))
    for key in (
        "findings",
        "scores",
        "compliance",
        "availability",
        "recovery",
        "quotas",
        "counts",
        "results",
    ):
        assert key in data
    assert set(data["scores"]) == {
        "operational-excellence",
        "security",
        "reliability",
        "performance-efficiency",
        "cost-optimisation",
        "sustainability",
    }
    assert data["compliance"][0]["framework"] == "PCI-DSS"
    for f in data["findings"]:
        assert {
            "check_id",
            "severity",
            "pillar",
            "resource",
            "path",
            "message",
            "remediation",
            "cost_delta_usd",
        } <= set(f)


def test_json_follows_the_documented_review_schema() -> None:
    import jsonschema

    from cloudwright.review.model import Review

    schema = json.loads((Path(__file__).parents[2] / "docs" / "design-result.schema.json").read_text())
    review_schema = {"$ref": "#/$defs/review", "$defs": schema["$defs"]}
    data = json.loads(review_json(_review()))
    jsonschema.validate(data, review_schema)
    # sections the review has not computed are written as {}
    jsonschema.validate(Review(design_name="x", environment="dev").to_dict(), review_schema)
    data["availability"]["verdict"] = "fine"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, review_schema)


def test_markdown_and_html_sections() -> None:
    r = _review()
    md = review_markdown(r)
    for heading in (
        "## Review",
        "### Scores by pillar",
        "### Findings",
        "### Availability and recovery",
        "### Service quotas",
        "### Compliance evidence: PCI-DSS",
    ):
        assert heading in md
    html = review_html(r)
    assert html.startswith('<section class="review">') and html.rstrip().endswith("</section>")
    assert "<script" not in html


def test_review_command_on_a_requirements_file(tmp_path: Path) -> None:
    req = tmp_path / "req.yaml"
    req.write_text(yaml.safe_dump({"name": "shop", "requests_per_second": 20}))
    result = runner.invoke(app, ["review", str(req), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["origin"].startswith("pattern:") and data["environment"] == "prod"


def test_review_command_on_a_template_with_compliance_and_env() -> None:
    result = runner.invoke(
        app, ["review", str(FLAWED), "--compliance", "hipaa,pci", "--env", "dev", "-f", "markdown"]
    )
    assert result.exit_code == 0, result.output
    assert "Compliance evidence: HIPAA" in result.output and "Compliance evidence: PCI-DSS" in result.output
    assert "| REL-RDS-001 | Database |" not in result.output  # a prod-only check does not run on dev
    assert "| SEC-RDS-001 | Database |" in result.output


def test_review_command_table_output_groups_by_pillar() -> None:
    result = runner.invoke(app, ["review", str(FLAWED)])
    assert result.exit_code == 0, result.output
    assert "Security" in result.output and "Reliability" in result.output


def test_review_command_reports_bad_input_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["review", str(FLAWED), "--format", "pdf"])
    assert result.exit_code == 2 and "allowed" in result.output
    result = runner.invoke(app, ["review", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    result = runner.invoke(app, ["review", str(FLAWED), "--compliance", "FEDRAMP"])
    assert result.exit_code == 2


def test_checks_list_and_show() -> None:
    result = runner.invoke(app, ["checks", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert len(rows) >= 60 and {r["pillar"] for r in rows} >= {"security", "sustainability"}
    result = runner.invoke(app, ["checks", "show", "rel-rds-001"])
    assert result.exit_code == 0 and "MultiAZ" in result.output and "REL10-BP01" in result.output
    result = runner.invoke(app, ["checks", "show", "NOPE-001"])
    assert result.exit_code == 2
    assert runner.invoke(app, ["checks"]).exit_code == 0


def test_fail_on_sets_the_exit_status_for_ci(tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    result = runner.invoke(
        app, ["review", str(FLAWED), "-f", "html", "-o", str(out), "--fail-on", "critical"]
    )
    assert result.exit_code == 1  # the flawed template has critical findings
    assert out.read_text().startswith('<section class="review">')
    result = runner.invoke(app, ["review", str(FLAWED), "-f", "json", "--fail-on", "severe"])
    assert result.exit_code == 2 and "allowed" in result.output
    req = tmp_path / "req.yaml"
    req.write_text(yaml.safe_dump({"name": "shop"}))
    assert runner.invoke(app, ["review", str(req), "-f", "json", "--fail-on", "high"]).exit_code == 0


def test_the_terminal_groups_a_pillar_with_many_findings_by_check() -> None:
    from decimal import Decimal

    from rich.console import Console

    from cloudwright.commands import review_terminal as render
    from cloudwright.review.model import Finding, Pillar, Review, Severity

    many = [
        Finding(
            check_id="SUS-COMPUTE-001",
            title="Graviton",
            pillar=Pillar.SUSTAINABILITY,
            severity=Severity.LOW,
            resource=f"Instance{i:03d}",
            message="use Arm",
            remediation="switch to Graviton",
            cost_delta_usd=Decimal("-1.50"),
        )
        for i in range(render.TERMINAL_ROWS + 1)
    ]
    console = Console(record=True, width=200)
    render.print_review(Review(design_name="big", environment="prod", findings=many), console=console)
    text = console.export_text()
    assert f"{len(many)} findings grouped by check" in text
    assert f"{len(many)}: Instance000, Instance001, Instance002 … +{len(many) - 3}" in text
    assert f"-${len(many) * 1.5:,.2f}/mo" in text
    assert "Instance100" not in text
