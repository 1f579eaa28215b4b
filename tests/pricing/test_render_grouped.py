"""The terminal estimate of a large template: one row per resource type (counts and subtotals) above
``TERMINAL_ROWS`` line items, every line in the other formats; small estimates keep one row per line."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import yaml
from typer.testing import CliRunner

from cloudwright.cli import app
from cloudwright.pricing.engine import PricingOptions, price_design
from cloudwright.pricing.model import Estimate, LineItem, ResourceEstimate
from cloudwright.pricing.render import TERMINAL_ROWS, render_table
from cloudwright.pricing.template import load_template
from cloudwright.pricing.verdict import unpriced_resources
from cloudwright.units import usd

runner = CliRunner()


def _estimate(lines: int, *, free: int = 0, unsupported: int = 0) -> Estimate:
    """``lines`` resources of one priced line each ($1.25 a month), alternating two types."""
    resources = [
        ResourceEstimate(
            logical_id=f"Queue{i}" if i % 2 else f"Topic{i}",
            type="AWS::SQS::Queue" if i % 2 else "AWS::SNS::Topic",
            classification="priced",
            monthly_usd=Decimal("1.25"),
            line_items=[
                LineItem(description="Requests", monthly_usd=Decimal("1.25"), price_date="2024-07-01")
            ],
        )
        for i in range(lines)
    ]
    resources += [
        ResourceEstimate(logical_id=f"Role{i}", type="AWS::IAM::Role", classification="free")
        for i in range(free)
    ]
    resources += [
        ResourceEstimate(logical_id=f"Thing{i}", type="AWS::Foo::Bar", classification="unsupported")
        for i in range(unsupported)
    ]
    unpriced = unpriced_resources(resources)
    return Estimate(
        name="big",
        monthly_usd=Decimal("1.25") * lines,
        resources=resources,
        unsupported_types=["AWS::Foo::Bar"] if unsupported else [],
        complete=not unpriced,
        unpriced=unpriced,
    )


def test_up_to_the_threshold_every_line_has_a_row() -> None:
    text = render_table(_estimate(TERMINAL_ROWS))
    assert "grouped by resource type" not in text
    assert all(f"Queue{i}" in text for i in range(1, TERMINAL_ROWS, 2))


def test_above_the_threshold_one_row_per_type_with_counts_and_subtotals() -> None:
    est = _estimate(TERMINAL_ROWS + 1)
    text = render_table(est)
    assert f"{TERMINAL_ROWS + 1} line items grouped by resource type;" in text
    assert "--format csv, json or markdown lists every line." in text
    assert not re.search(r"\b(Queue|Topic)\d+\b", text)  # no row per resource
    rows = {m[0]: m[1:] for m in re.findall(r"│ (AWS::\S+) +│ +(\S+) │ +(\S+) │ +(\S+) │", text)}
    topics, queues = (TERMINAL_ROWS + 2) // 2, (TERMINAL_ROWS + 1) // 2
    assert rows == {
        "AWS::SNS::Topic": (str(topics), str(topics), usd(Decimal("1.25") * topics)),
        "AWS::SQS::Queue": (str(queues), str(queues), usd(Decimal("1.25") * queues)),
    }
    # largest subtotal first; the subtotals add up to the total printed below the table
    assert text.index("AWS::SNS::Topic") < text.index("AWS::SQS::Queue")
    assert f"Total: {usd(est.monthly_usd)}/month" in text


def test_long_lists_of_free_and_unpriced_resources_are_grouped_by_type() -> None:
    n = TERMINAL_ROWS + 5
    text = render_table(_estimate(3, free=n, unsupported=n))
    assert f"No charge: {n} resources ({n} × AWS::IAM::Role)" in text
    assert f"Partial total — {n} resources without a price (not in the total):" in text
    assert f"- {n} × AWS::Foo::Bar (Thing0, Thing1, Thing10 … +{n - 3}): no cost model for this type" in text
    assert "Role17" not in text and "Thing17" not in text
    small = render_table(_estimate(3, free=2, unsupported=2))  # short lists name every resource
    assert "No charge: Role0, Role1" in small and "- Thing1 (AWS::Foo::Bar): no cost model" in small


def _template(instances: int, queues: int) -> str:
    resources = {
        f"Web{i}": {
            "Type": "AWS::EC2::Instance",
            "Properties": {"InstanceType": "t3.micro", "ImageId": "ami-0123456789abcdef0"},
        }
        for i in range(instances)
    }
    resources |= {f"Jobs{i}": {"Type": "AWS::SQS::Queue"} for i in range(queues)}
    return yaml.safe_dump({"Resources": resources})


def test_cli_groups_a_large_estimate_and_the_other_formats_list_every_line(tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    path.write_text(_template(100, 30))
    doc = json.loads(runner.invoke(app, ["estimate", str(path), "--format", "json"]).stdout)
    lines = [(r["type"], li) for r in doc["resources"] for li in r["line_items"]]
    assert len(lines) > TERMINAL_ROWS
    table = runner.invoke(app, ["estimate", str(path)])
    assert table.exit_code == 0, table.output
    assert f"{len(lines)} line items grouped by resource type" in table.stdout
    row = re.search(r"│ AWS::EC2::Instance +│ +(\d+) │ +(\d+) │ +(\S+) │", table.stdout)
    assert row is not None
    est = price_design(load_template(path), PricingOptions())
    ec2 = [r for r in est.resources if r.type == "AWS::EC2::Instance"]
    subtotal = sum((r.monthly_usd for r in ec2), Decimal(0))
    assert row.groups() == ("100", str(sum(len(r.line_items) for r in ec2)), usd(subtotal))
    assert "Web7" not in table.stdout
    rows = list(csv.reader(io.StringIO(runner.invoke(app, ["estimate", str(path), "-f", "csv"]).stdout)))
    assert len(rows) == 1 + len(lines) + 1  # header, every line, total
    markdown = runner.invoke(app, ["estimate", str(path), "-f", "markdown"]).stdout
    assert "| Web7 (AWS::EC2::Instance) |" in markdown
