"""``cloudwright design`` and ``cloudwright patterns``: exit codes, messages, files written."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cloudwright.cli import app

sys.path.insert(0, str(Path(__file__).parent / "render"))
from render_samples import (
    sample_design,
    sample_estimate,
    sample_pattern,
    sample_recommendation,
)

runner = CliRunner()
PATTERN_IDS = [
    "serverless-web",
    "three-tier-fargate",
    "multi-region-active-active",
    "serverless-mobile-appsync",
    "event-driven-microservices",
    "realtime-analytics-pipeline",
    "iot-platform",
    "ha-ec2-web",
    "eks-platform",
    "well-architected-foundation",
]


@pytest.fixture
def fake_pipeline(monkeypatch):
    """Replace the stages with the hand-made design so these tests exercise only the command."""
    import cloudwright.pipeline as pipeline

    calls = []

    def fake(req, environment="prod", pattern_id=None, *, free_tier="none"):
        calls.append(
            {"req": req, "environment": environment, "pattern_id": pattern_id, "free_tier": free_tier}
        )
        return pipeline.assemble(
            req,
            sample_design(),
            sample_estimate(),
            pattern=sample_pattern(),
            recommendation=sample_recommendation(),
        )

    monkeypatch.setattr(pipeline, "run_design", fake)
    return calls


def _req_file(
    tmp_path: Path, text: str = "name: shop\nexpected_users: 20000\nbudget_monthly_usd: 50\n"
) -> Path:
    p = tmp_path / "req.yaml"
    p.write_text(text)
    return p


def test_no_file_and_no_flags_is_a_clear_error():
    result = runner.invoke(app, ["design"])
    assert result.exit_code == 2
    assert "no requirements given" in result.output
    assert "Traceback" not in result.output


def test_missing_file_exit_2(tmp_path):
    result = runner.invoke(app, ["design", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "file not found" in result.output


def test_bad_field_value_names_field_and_allowed(tmp_path):
    result = runner.invoke(app, ["design", str(_req_file(tmp_path, "application_type: blog\n"))])
    assert result.exit_code == 2
    assert "application_type" in result.output and "web_application" in result.output


def test_bad_flag_value(tmp_path):
    result = runner.invoke(app, ["design", "--expected-users", "-5"])
    assert result.exit_code == 2
    assert "expected_users" in result.output


def test_unknown_format(tmp_path):
    result = runner.invoke(app, ["design", str(_req_file(tmp_path)), "--format", "pdf"])
    assert result.exit_code == 2
    assert "allowed" in result.output and "markdown" in result.output


def test_unknown_pattern_lists_the_catalogue(tmp_path):
    result = runner.invoke(app, ["design", str(_req_file(tmp_path)), "--pattern", "mainframe"])
    assert result.exit_code == 2
    assert "serverless-web" in result.output


def test_json_on_stdout(tmp_path, fake_pipeline):
    result = runner.invoke(app, ["design", str(_req_file(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["pattern"]["id"] == "three-tier-fargate"
    assert data["budget"]["over_budget"] is True


def test_flags_override_the_file_and_reach_the_pipeline(tmp_path, fake_pipeline):
    args = [
        "design",
        str(_req_file(tmp_path)),
        "--expected-users",
        "777",
        "--compliance",
        "hipaa,soc2",
        "--env",
        "dev",
    ]
    result = runner.invoke(
        app, [*args, "--pattern", "serverless-web", "--free-tier", "always-free", "-f", "markdown"]
    )
    assert result.exit_code == 0, result.output
    call = fake_pipeline[0]
    assert call["req"].expected_users == 777
    assert [c.value for c in call["req"].compliance] == ["HIPAA", "SOC2"]
    assert (call["environment"], call["pattern_id"], call["free_tier"]) == (
        "dev",
        "serverless-web",
        "always-free",
    )
    assert result.output.startswith("# shop:")


def test_design_with_flags_only(fake_pipeline):
    result = runner.invoke(
        app,
        [
            "design",
            "--expected-users",
            "5000",
            "--requests-per-second",
            "20",
            "--budget-monthly-usd",
            "300",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert fake_pipeline[0]["req"].budget_monthly_usd == 300


def test_output_dir_gets_every_file(tmp_path, fake_pipeline):
    out = tmp_path / "out"
    result = runner.invoke(app, ["design", str(_req_file(tmp_path)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {"report.md", "report.html", "design.json", "diagram.dot", "diagram.mmd", "template.yaml"} <= names
    from cloudwright.render.diagram import dot_available

    if dot_available():
        assert {"diagram.svg", "diagram.png"} <= names
    assert "Wrote" in result.output and "Over budget" in result.output


def test_table_report_in_the_terminal(tmp_path, fake_pipeline):
    result = runner.invoke(app, ["design", str(_req_file(tmp_path))])
    assert result.exit_code == 0, result.output
    for text in ("Summary", "Why not the others", "Cost estimate", "Over budget", "Implementation checklist"):
        assert text in result.output


def test_patterns_lists_the_whole_catalogue():
    from cloudwright.patterns.catalog import load_patterns

    result = runner.invoke(app, ["patterns"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip() and "patterns show" not in line]
    assert len(lines) == len(load_patterns())
    for pid in load_patterns():
        assert any(line.startswith(pid) for line in lines), pid


def test_patterns_show_one_in_full():
    result = runner.invoke(app, ["patterns", "show", "three-tier-fargate"])
    assert result.exit_code == 0, result.output
    for text in ("Components", "alternative considered:", "Pros", "Cons", "Scaling limits"):
        assert text in result.output
    as_json = runner.invoke(app, ["patterns", "show", "serverless-web", "--json"])
    assert json.loads(as_json.output)["id"] == "serverless-web"


def test_patterns_show_unknown_is_exit_2():
    result = runner.invoke(app, ["patterns", "show", "nope"])
    assert result.exit_code == 2
    assert "unknown pattern" in result.output and "eks-platform" in result.output


def test_unknown_environment_is_exit_2(tmp_path):
    result = runner.invoke(app, ["design", str(_req_file(tmp_path)), "--env", "qa"])
    assert result.exit_code == 2
    assert "environment" in result.output and "staging" in result.output


def test_output_path_that_is_a_file_is_exit_2(tmp_path, fake_pipeline):
    target = tmp_path / "taken"
    target.write_text("x")
    result = runner.invoke(app, ["design", str(_req_file(tmp_path)), "-o", str(target)])
    assert result.exit_code == 2
    assert "not a directory" in result.output


def test_every_command_is_in_the_usage_overview():
    import typer.main

    group = typer.main.get_command(app)
    usage = (Path(__file__).parents[1] / "docs" / "usage.md").read_text()
    missing = [
        name for name in group.commands if f"cloudwright {name}" not in usage and f"`{name}`" not in usage
    ]
    assert not missing, missing
