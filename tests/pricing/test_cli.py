"""CLI: estimate (all formats), usage, prices import/show, and error handling."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from cloudwright.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "templates"
OFFERS = Path(__file__).parent / "fixtures" / "offers"
runner = CliRunner()


def _estimate(*args: str) -> str:
    result = runner.invoke(
        app,
        [
            "estimate",
            str(EXAMPLES / "serverless-web.yaml"),
            "--usage-file",
            str(EXAMPLES / "serverless-web.usage.yml"),
            *args,
        ],
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_estimate_json_contract() -> None:
    doc = json.loads(_estimate("--format", "json", "--free-tier", "always-free"))
    # 1569.45 less the always-free allowances: Lambda 1M requests ($0.20) and all 375K GB-s ($6.25),
    # Cognito 10K MAU ($150), CloudFront 200 GB of the 1 TB ($17) and 3M of the 10M requests ($3)
    assert doc["monthly_usd"] == 1393
    assert doc["free_tier"] == "always-free" and doc["catalog_date"]
    fn = next(r for r in doc["resources"] if r["logical_id"] == "ApiFunction")
    assert fn["line_items"][0]["price_source"].startswith("AWS Lambda pricing page")


def test_estimate_markdown_csv_and_table() -> None:
    md = _estimate("--format", "markdown")
    total = "**Total: $1,569.45/month + 1 usage-dependent line (unit price shown)**"
    assert total in md and "Free tier: none" in md
    rows = list(csv.DictReader(io.StringIO(_estimate("--format", "csv"))))
    assert rows[-1]["logical_id"] == "TOTAL" and rows[-1]["monthly_usd"] == "1569.45"
    table = _estimate()
    assert "Total: $1,569.45/month" in table and "UserPool" in table


def test_estimate_with_price_book_and_region(tmp_path: Path) -> None:
    out = tmp_path / "est.json"
    result = runner.invoke(
        app,
        [
            "estimate",
            str(EXAMPLES / "serverless-web.yaml"),
            "--price-book",
            str(EXAMPLES / "my-discounts.pricebook.yml"),
            "--region",
            "eu-west-1",
            "-f",
            "json",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["price_book"] == "my-discounts" and doc["region"] == "eu-west-1"
    assert doc["summary"]["price_unknown_lines"] > 0  # eu-west-1 has no built-in prices


def test_errors_are_one_line_with_exit_code_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["estimate", str(EXAMPLES / "serverless-web.yaml"), "--free-tier", "maybe"])
    assert result.exit_code == 2 and "allowed: none, always-free, new-account" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("Resources: [1, 2]\n")
    result = runner.invoke(app, ["estimate", str(bad)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_usage_command_prints_a_template() -> None:
    result = runner.invoke(app, ["usage", str(EXAMPLES / "realtime-analytics.yaml")])
    assert result.exit_code == 0, result.output
    assert "EventStream:  # AWS::Kinesis::Stream" in result.stdout
    assert "monthly_put_records:" in result.stdout


def test_prices_import_and_show(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = runner.invoke(
        app, ["prices", "import", str(OFFERS / "AWSLambda-eu-west-1.json"), "--home", str(home)]
    )
    assert result.exit_code == 0, result.output
    assert "AWSLambda eu-west-1: 2 price rows (published 2025-03-01T00:00:00Z)" in result.stdout
    shown = runner.invoke(
        app, ["prices", "show", "AWS::Lambda::Function", "--region", "eu-west-1", "--home", str(home)]
    )
    assert shown.exit_code == 0 and "FIXTURELAMBDAGBS" in shown.stdout and "2025-03-01" in shown.stdout
    builtin = runner.invoke(app, ["prices", "show", "AWS::RDS::DBInstance"])
    assert "unverified price" in builtin.stdout and "db.t3.micro" in builtin.stdout
    missing = runner.invoke(app, ["prices", "show", "AWS::EC2::VPC"])
    assert missing.exit_code == 2 and "free" in missing.output


def test_prices_show_lists_the_rows_of_every_declared_service() -> None:
    from cloudwright.pricing.catalog import load_catalog
    from cloudwright.pricing.services import rows_for

    catalog = load_catalog(include_imported=False)
    # CloudFront and the Glue crawler name their service through helpers: the declared service finds them.
    assert {r.servicecode for r in rows_for("AWS::CloudFront::Distribution", "us-east-1", catalog)} == {
        "AmazonCloudFront"
    }
    assert any(
        "Crawler" in r.sku or "crawler" in r.sku for r in rows_for("AWS::Glue::Crawler", "us-east-1", catalog)
    )
    # EC2 instances also query CloudWatch (detailed monitoring): both services' rows are listed.
    assert {"AmazonEC2", "AmazonCloudWatch"} <= {
        r.servicecode for r in rows_for("AWS::EC2::Instance", "us-east-1", catalog)
    }


#: Lines allowed to be "price unknown" in the example templates (not found in the sources).
EXAMPLE_PRICE_UNKNOWN: set[str] = set()


def test_every_example_template_is_priced() -> None:
    from cloudwright.pricing.engine import PricingOptions, price_design
    from cloudwright.pricing.template import load_template
    from cloudwright.pricing.usage import check_usage_keys, load_usage_file

    templates = sorted(EXAMPLES.glob("*.yaml"))
    assert len(templates) >= 4
    for template in templates:
        design = load_template(template)
        usage_path = template.with_suffix(".usage.yml")
        usage = load_usage_file(usage_path) if usage_path.exists() else None
        assert check_usage_keys(design, usage) == []
        est = price_design(design, PricingOptions(usage=usage))
        assert est.unsupported_types == [], template.name
        unknown = {r.logical_id for r in est.resources for li in r.line_items if li.status == "price-unknown"}
        if template.name != "global-serverless.yaml":  # replicas outside us-east-1 need imported prices
            assert unknown <= EXAMPLE_PRICE_UNKNOWN, (template.name, unknown)
        assert est.monthly_usd > 0


def test_infracost_usage_file_gives_the_same_estimate() -> None:
    native = json.loads(_estimate("--format", "json"))
    result = runner.invoke(
        app,
        [
            "estimate",
            str(EXAMPLES / "serverless-web.yaml"),
            "--usage-file",
            str(EXAMPLES / "serverless-web.infracost-usage.yml"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["monthly_usd"] == native["monthly_usd"] == 1569.45
