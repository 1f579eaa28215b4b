"""`estimate --commitment`: eligible lines at committed rates from a price book, side by side; unknown
rates said unknown (never derived from on-demand prices)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cloudwright.cli import app
from cloudwright.design.model import Design, Resource
from cloudwright.errors import InputError
from cloudwright.pricing.commitments import TERMS, eligible
from cloudwright.pricing.engine import PricingOptions, price_design
from cloudwright.pricing.pricebook import parse_price_book


def _design() -> Design:
    return Design(
        resources=[
            Resource(logical_id="Web", type="AWS::EC2::Instance", properties={"InstanceType": "m5.large"}),
            Resource(logical_id="Api", type="AWS::EC2::Instance", properties={"InstanceType": "c5.large"}),
        ]
    )


BOOK = {
    "name": "sp",
    "overrides": [
        {
            "attributes": {"instanceType": "m5.large", "operatingSystem": "Linux", "tenancy": "Shared"},
            "price": "0.068",
            "source": "Compute Savings Plan rate, 1 year, no upfront (example)",
            "date": "2026-11-01",
            "commitment": "compute-sp-1y-no-upfront",
        }
    ],
}


def test_committed_rates_side_by_side_and_unknown_said_unknown() -> None:
    book = parse_price_book(BOOK, "sp.yml")
    est = price_design(_design(), PricingOptions(price_book=book, commitment="compute-sp-1y-no-upfront"))
    web = {li.description: li for r in est.resources if r.logical_id == "Web" for li in r.line_items}
    hours = next(li for d, li in web.items() if "m5.large" in d)
    assert hours.monthly_usd == Decimal("0.096") * 730  # on demand unchanged
    assert hours.committed_unit_price == Decimal("0.068")
    assert hours.committed_monthly_usd == Decimal("0.068") * 730
    api = next(
        li
        for r in est.resources
        if r.logical_id == "Api"
        for li in r.line_items
        if "c5.large" in li.description
    )
    assert api.committed_monthly_usd is None and "rate unknown" in api.committed_note
    assert est.commitment_unknown_count == 1
    # EBS volumes are not eligible: no committed note, on demand in both totals
    ebs = [li for r in est.resources for li in r.line_items if li.description.startswith("EBS")]
    assert ebs and all(not li.committed_note for li in ebs)
    saving = (Decimal("0.096") - Decimal("0.068")) * 730
    assert est.committed_monthly_usd == est.monthly_usd - saving
    data = est.to_dict()
    assert data["commitment"] == "compute-sp-1y-no-upfront" and data["commitment_unknown_lines"] == 1


def test_without_a_commitment_committed_overrides_do_not_apply() -> None:
    book = parse_price_book(BOOK, "sp.yml")
    est = price_design(_design(), PricingOptions(price_book=book))
    assert est.commitment is None and est.committed_monthly_usd is None
    hours = est.resources[1].line_items[0]
    assert hours.unit_price == Decimal("0.096") and not hours.committed_note
    assert est.warnings == []  # a committed rate for another what-if is not "unmatched"


def test_eligibility() -> None:
    ec2 = ("AmazonEC2", "Compute Instance", {})
    rds = ("AmazonRDS", "Database Instance", {})
    fargate = ("AmazonECS", "Compute", {"usagetype": "Fargate-vCPU-Hours:perCPU"})
    assert eligible("compute-sp-3y-all-upfront", *ec2) and eligible("compute-sp-1y-no-upfront", *fargate)
    assert not eligible("compute-sp-1y-no-upfront", *rds) and eligible("ri-1y-partial-upfront", *rds)
    assert not eligible("ec2-instance-sp-1y-no-upfront", *fargate)
    assert len(TERMS) == 18


def test_cli_commitment(tmp_path: Path) -> None:
    template = Path(__file__).parents[2] / "examples" / "templates" / "serverless-web.yaml"
    book = tmp_path / "sp.yml"
    book.write_text(yaml.safe_dump(BOOK))
    runner = CliRunner()
    md = runner.invoke(
        app,
        [
            "estimate",
            str(template),
            "--price-book",
            str(book),
            "--commitment",
            "compute-sp-1y-no-upfront",
            "--format",
            "markdown",
        ],
    )
    assert md.exit_code == 0, md.output
    assert (
        "| Committed |" in md.stdout
        and "Commitment what-if (Compute Savings Plan, 1 year, no upfront)" in md.stdout
    )
    js = runner.invoke(
        app, ["estimate", str(template), "--commitment", "ri-1y-no-upfront", "--format", "json"]
    )
    assert js.exit_code == 0 and json.loads(js.stdout)["commitment"] == "ri-1y-no-upfront"
    bad = runner.invoke(app, ["estimate", str(template), "--commitment", "sp-forever"])
    assert bad.exit_code == 2 and "unknown commitment term" in bad.output


def test_unknown_term_in_a_price_book_is_refused() -> None:
    with pytest.raises(InputError, match="a commitment term"):
        parse_price_book(
            {"overrides": [{"sku": "x", "price": 1, "source": "s", "commitment": "nope"}]}, "b.yml"
        )
