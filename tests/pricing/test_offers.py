"""`prices import`: AWS Price List bulk offer files → local catalogue; other regions priced only from them."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from cloudwright.design.model import Design, Placement, Resource
from cloudwright.errors import InputError
from cloudwright.pricing.catalog import load_catalog
from cloudwright.pricing.engine import price_design
from cloudwright.pricing.offers import import_offer_file

FIXTURES = Path(__file__).parent / "fixtures"
OFFERS = FIXTURES / "offers"


def _lambda_design(region: str) -> Design:
    fn = Resource(
        logical_id="Fn",
        type="AWS::Lambda::Function",
        properties={"MemorySize": 1024},
        usage={"monthly_requests": 1_000_000, "request_duration_ms": 2000},
        placement=Placement(region=region),
    )
    return Design(resources=[fn], region=region)


def test_import_keeps_publication_date_and_tiers(_isolated_home: Path) -> None:
    result = import_offer_file(OFFERS / "AWSLambda-eu-west-1.json", _isolated_home)
    assert result.offer_code == "AWSLambda"
    assert result.publication_date == "2025-03-01T00:00:00Z"
    assert result.rows_by_region == {"eu-west-1": 2}
    assert result.skipped == 1  # the product without on-demand terms
    stored = json.loads(result.files[0].read_text())
    assert stored["publicationDate"] == "2025-03-01T00:00:00Z"
    rows = [r for r in load_catalog().rows if r.region == "eu-west-1"]
    gbs = next(r for r in rows if r.sku == "FIXTURELAMBDAGBS")
    assert [(t.begin, t.end, t.usd) for t in gbs.tiers] == [
        (Decimal(0), Decimal(1_000_000), Decimal("0.0000200000")),
        (Decimal(1_000_000), None, Decimal("0.0000100000")),
    ]
    assert gbs.effective_date == "2025-03-01"
    assert "FIXTURELAMBDAGBS" in gbs.source


def test_other_region_is_price_unknown_until_imported() -> None:
    est = price_design(_lambda_design("mx-central-1"))  # no built-in Lambda prices for this Region
    statuses = {li.status for r in est.resources if r.logical_id == "Fn" for li in r.line_items}
    assert statuses == {"price-unknown"}
    assert est.resource_cost("Fn") == 0


def test_other_region_priced_from_imported_offer(_isolated_home: Path) -> None:
    import_offer_file(OFFERS / "AWSLambda-eu-west-1.json", _isolated_home)
    est = price_design(_lambda_design("eu-west-1"))
    # 1M requests x $0.0000003 + 2M GB-s: 1M x $0.00002 + 1M x $0.00001 (tier by tier)
    assert est.resource_cost("Fn") == Decimal("0.3") + Decimal("20") + Decimal("10")
    dates = {li.price_date for r in est.resources if r.logical_id == "Fn" for li in r.line_items}
    assert dates == {"2025-03-01"}


def test_imported_rows_replace_builtin_rows_for_that_service_and_region(_isolated_home: Path) -> None:
    import_offer_file(OFFERS / "AmazonDynamoDB-us-east-1.json", _isolated_home)
    table = Resource(
        logical_id="T",
        type="AWS::DynamoDB::Table",
        properties={"BillingMode": "PAY_PER_REQUEST"},
        usage={"monthly_write_request_units": 2_000_000, "monthly_read_request_units": 1, "storage_gb": 1},
    )
    est = price_design(Design(resources=[table]))
    lines = {li.description: li for li in est.resources[0].line_items}
    assert lines["Write request units (on-demand)"].monthly_usd == Decimal("1.0")
    # the import only held writes: reads are now unknown rather than silently taken from another source
    assert lines["Read request units (on-demand)"].status == "price-unknown"


def test_invalid_offer_file_is_an_input_error(_isolated_home: Path) -> None:
    with pytest.raises(InputError, match="not an AWS Price List offer file"):
        import_offer_file(FIXTURES / "not-an-offer.json", _isolated_home)
    with pytest.raises(InputError, match="not found"):
        import_offer_file(FIXTURES / "missing.json", _isolated_home)


def test_corrupt_imported_file_is_a_clear_catalog_error(_isolated_home: Path) -> None:
    from cloudwright.errors import CatalogError

    bad = _isolated_home / "prices" / "aws" / "eu-west-1" / "AWSLambda.json"
    bad.parent.mkdir(parents=True)
    bad.write_text("{not json")
    with pytest.raises(CatalogError, match="re-run `cloudwright prices import`"):
        load_catalog()
