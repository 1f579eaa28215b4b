"""Lifecycle checks are judged at a fixed, stated date unless the user asks for another one."""

from __future__ import annotations

from datetime import date

from typer.testing import CliRunner

from cloudwright.cli import app
from cloudwright.design.cfn_import import import_template
from cloudwright.review.context import LIFECYCLE_AS_OF
from cloudwright.review.engine import review_design

TEMPLATE = """
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.9
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/x
      Code: {ZipFile: "def handler(e, c): return 1"}
"""


def _ids(review):
    return {f.check_id for f in review.findings if f.resource == "Fn"}


def test_default_date_is_the_data_review_date_and_is_reported():
    review = review_design(import_template(TEMPLATE))
    assert review.as_of == LIFECYCLE_AS_OF.isoformat()
    assert "OPS-LAMBDA-001" in _ids(review)  # python3.9 was deprecated on 2025-12-15


def test_an_earlier_date_changes_the_verdict():
    review = review_design(import_template(TEMPLATE), today=date(2025, 1, 1))
    assert "OPS-LAMBDA-001" not in _ids(review)
    assert review.as_of == "2025-01-01"


def test_cli_as_of_option(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(TEMPLATE)
    runner = CliRunner()
    early = runner.invoke(app, ["review", str(path), "--format", "json", "--as-of", "2025-01-01"])
    assert early.exit_code == 0, early.output
    assert '"as_of": "2025-01-01"' in early.output
    bad = runner.invoke(app, ["review", str(path), "--as-of", "yesterday-ish"])
    assert bad.exit_code == 2
    assert "--as-of" in bad.output and "YYYY-MM-DD" in bad.output
