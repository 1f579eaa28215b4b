"""CLI shell: help lists every command, errors are one line with exit status 2 and no traceback."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from cloudwright.cli import app

runner = CliRunner()

PUBLIC_COMMANDS = [
    "design",
    "patterns",
    "estimate",
    "usage",
    "prices",
    "review",
    "checks",
    "validate",
    "deploy",
    "destroy",
    "import",
    "serve",
]


def test_help_lists_every_public_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in PUBLIC_COMMANDS:
        assert name in result.output, name


def test_every_command_has_help_text():
    for name in PUBLIC_COMMANDS:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert len(result.output.strip()) > 40, name


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys; from cloudwright.cli import app; "
        "heavy = [m for m in ('boto3', 'moto', 'cfnlint', 'checkov', 'fastapi', 'jinja2', 'sqlalchemy') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_missing_file_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["design", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "file not found" in result.output
    assert "Traceback" not in result.output


def test_malformed_yaml_points_at_the_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("application_type: web_application\nexpected_users: [1, 2\n")
    result = runner.invoke(app, ["design", str(bad)])
    assert result.exit_code == 2
    assert "malformed YAML" in result.output
    assert "bad.yaml:" in result.output
