"""The built-in regional price tables: golden prices, dated prices, honest gaps, lazy loading, coverage."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from cloudwright.design.model import Design, Resource
from cloudwright.pricing.catalog import (
    Catalog,
    builtin_region_rows,
    load_catalog,
    regional_regions,
    regional_rows,
)
from cloudwright.pricing.engine import PricingOptions, price_design
from cloudwright.pricing.model import PriceQuery
from cloudwright.pricing.regional_docs import BEGIN, END, TEST_REGIONS, coverage_markdown

DOCS = Path(__file__).parents[2] / "docs" / "pricing.md"


def _placed(resource: Resource, region: str) -> Resource:
    resource.placement.region = region
    return resource


def _one(region: str, service: str, **attrs: str):
    found = load_catalog(include_imported=False).candidates(PriceQuery(service, region).where(**attrs))
    assert len(found) == 1, [r.sku for r in found]
    return found[0]


def _ec2(region: str, itype: str) -> Decimal:
    row = _one(region, "AmazonEC2", instanceType=itype, operatingSystem="Linux", tenancy="Shared")
    assert row.first_price is not None
    return row.first_price


@pytest.mark.parametrize(
    ("region", "itype", "usd"),
    [
        ("eu-west-1", "m5.large", "0.107"),
        ("us-east-1", "m5.large", "0.096"),
        ("eu-central-1", "m5.large", "0.115"),
        ("us-east-1", "t3.micro", "0.0104"),
        ("eu-west-1", "t3.micro", "0.0114"),
    ],
)
def test_golden_ec2_prices(region: str, itype: str, usd: str) -> None:
    assert _ec2(region, itype) == Decimal(usd)


def test_us_east_1_has_the_full_2026_instance_list() -> None:
    rows = [r for r in builtin_region_rows("us-east-1") if r.product_family == "Compute Instance"]
    assert len(rows) > 1300
    for itype in ("t2.small", "c4.large", "m7i.large"):
        assert _ec2("us-east-1", itype) > 0
    assert _one("us-east-1", "AmazonEC2", instanceType="m7i.large").effective_date == "2026-07-20"


def test_golden_data_transfer_out_first_tier() -> None:
    dt = _one("ap-southeast-1", "AWSDataTransfer", transferType="AWS Outbound")
    assert dt.tiers[0].usd == Decimal("0.12") and dt.tiers[0].end == Decimal(10240)
    assert _one("sa-east-1", "AWSDataTransfer", transferType="AWS Outbound").tiers[0].usd == Decimal("0.15")
    assert _one("us-east-1", "AWSDataTransfer", transferType="AWS Outbound").tiers[0].usd == Decimal("0.09")


def test_golden_elasticache_lambda_and_rds() -> None:
    redis = _one(
        "us-east-1", "AmazonElastiCache", instanceType="cache.r6g.large", cacheEngine="Redis/Memcached"
    )
    assert redis.first_price == Decimal("0.206")
    valkey = _one("eu-west-1", "AmazonElastiCache", instanceType="cache.r6g.large", cacheEngine="Valkey")
    assert valkey.first_price is not None and valkey.first_price < redis.first_price * 2
    gbs = _one("eu-west-1", "AWSLambda", group="AWS-Lambda-Duration")
    assert gbs.tiers[0].usd == Decimal("0.0000166667")
    assert gbs.tiers[1].usd is None  # later tiers are not in the source: unknown, not extrapolated
    pg = _one("eu-west-1", "AmazonRDS", instanceType="db.m5.large", databaseEngine="PostgreSQL")
    my = _one("eu-west-1", "AmazonRDS", instanceType="db.m5.large", databaseEngine="MySQL")
    assert (pg.first_price, my.first_price) == (Decimal("0.197"), Decimal("0.189"))


def test_design_in_eu_west_1_prices_m5_large_at_its_regional_price_marked_dated() -> None:
    vm = Resource(logical_id="Web", type="AWS::EC2::Instance", properties={"InstanceType": "m5.large"})
    est = price_design(Design(resources=[_placed(vm, "eu-west-1")], region="eu-west-1"))
    line = est.resources[0].line_items[0]
    assert line.unit_price == Decimal("0.107") and line.monthly_usd == Decimal("0.107") * 730
    assert line.price_date == "2020-07-02" and "dated (2020-07-02)" in line.note
    assert "kube-resource-report" in line.price_source


def test_a_region_without_a_source_says_so_and_never_borrows_a_price() -> None:
    nat = Resource(logical_id="Nat", type="AWS::EC2::NatGateway", properties={})
    est = price_design(Design(resources=[_placed(nat, "eu-central-1")], region="eu-central-1"))
    lines = est.resources[0].line_items
    assert lines and all(li.status == "price-unknown" and li.monthly_usd is None for li in lines)
    assert (
        "no price for eu-central-1 in the built-in catalogue — run "
        "`cloudwright prices fetch --region eu-central-1 --service AmazonEC2`"
    ) in lines[0].note
    assert est.complete is False and est.unpriced[0].logical_id == "Nat"


def test_placement_region_picks_the_prices() -> None:
    a = Resource(logical_id="A", type="AWS::EC2::Instance", properties={"InstanceType": "m5.large"})
    b = a.model_copy(update={"logical_id": "B"}, deep=True)
    b.placement.region = "eu-west-1"
    est = price_design(Design(resources=[a, b], region="us-east-1"), PricingOptions())
    hours = {r.logical_id: r.line_items[0] for r in est.resources if r.logical_id in "AB"}
    assert hours["A"].monthly_usd == Decimal("0.096") * 730
    assert hours["B"].monthly_usd == Decimal("0.107") * 730


def test_every_regional_row_is_sourced_dated_and_contiguous() -> None:
    for region in regional_regions():
        skus = set()
        for r in regional_rows(region):
            assert (r.servicecode, r.sku) not in skus, (region, r.sku)
            skus.add((r.servicecode, r.sku))
            assert r.source and re.match(r"^\d{4}-\d{2}-\d{2}$", r.effective_date), (region, r.sku)
            assert r.tiers and r.tiers[0].begin == 0 and r.tiers[-1].end is None, (region, r.sku)
            assert r.tiers[0].usd is not None and r.tiers[0].usd >= 0, (region, r.sku)
            for x, y in zip(r.tiers, r.tiers[1:], strict=False):
                assert x.end == y.begin, (region, r.sku)


def test_regional_tables_load_lazily_one_region_at_a_time() -> None:
    regional_rows.cache_clear()
    builtin_region_rows.cache_clear()
    catalog = load_catalog(include_imported=False)
    assert isinstance(catalog, Catalog) and regional_rows.cache_info().currsize == 0
    catalog.candidates(PriceQuery("AmazonEC2", "eu-west-1").where(instanceType="m5.large"))
    assert regional_rows.cache_info().currsize == 1


def test_help_does_not_load_price_data() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from cloudwright.cli import app\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "mods = ('cloudwright.pricing.catalog', 'cloudwright.pricing.engine')\n"
        "loaded = [m for m in mods if m in sys.modules]\n"
        "print(loaded)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _covered(base, table) -> bool:
    """Whether a regional table has the product of a us-east-1 row (same service, its attributes)."""
    return any(
        reg.servicecode == base.servicecode
        and reg.product_family == base.product_family
        and all(base.attributes.get(k) == v for k, v in reg.attributes.items() if k != "productFamily")
        for reg in table
    )


@pytest.mark.slow
def test_every_pattern_prod_design_prices_covered_services_in_every_test_region() -> None:
    """For the products the regional tables cover, every query of every pattern resolves to one row.

    Products without a regional source (e.g. EC2 families newer than the dated sources) stay "price
    unknown" with the fetch command and are listed in docs/pricing.md.
    """
    from cloudwright.design.build import build_design
    from cloudwright.patterns.catalog import load_patterns
    from cloudwright.pricing.engine import _billing_region
    from cloudwright.pricing.registry import ModelContext, load_cost_models
    from cloudwright.pricing.usage import usage_for
    from cloudwright.requirements import requirements_from_mapping

    models = load_cost_models()
    catalog = load_catalog(include_imported=False)
    tables = {region: regional_rows(region) for region in TEST_REGIONS}
    problems = []
    for region in TEST_REGIONS:
        req = requirements_from_mapping(
            {
                "name": "cov",
                "application_type": "web_application",
                "expected_users": 10000,
                "requests_per_second": 50,
                "region": region,
            }
        )
        for pid in load_patterns():
            design = build_design(req, pattern_id=pid, environment="prod")
            for r in design.resources:
                model = models.get(r.type)
                if model is None:
                    continue
                where = _billing_region(r.placement.region, design.region)
                ctx = ModelContext(design, r, usage_for(r, None), where, Decimal(730))
                for c in model(r, ctx):
                    q = c.query
                    base = catalog.candidates(PriceQuery(q.servicecode, "us-east-1", q.attributes))
                    if len(base) != 1 or not _covered(base[0], tables[region]):
                        continue
                    found = catalog.candidates(q)
                    if len(found) != 1 or found[0].first_price is None:
                        problems.append(f"{pid} {r.logical_id}: {q.describe()} → {len(found)} rows")
    assert problems == []


def test_docs_coverage_matrix_is_current() -> None:
    text = DOCS.read_text(encoding="utf-8")
    block = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert block == "\n" + coverage_markdown(), "regenerate: python -m cloudwright.pricing.regional_docs"


def test_single_region_datapoints_and_cloudfront_tiers() -> None:
    logs = _one("eu-west-1", "AmazonCloudWatch", usagetype="re:(^|-)DataProcessing-Bytes$")
    assert logs.first_price == Decimal("0.57")
    aurora = _one("sa-east-1", "AmazonRDS", databaseEngine="Aurora MySQL", productFamily="Database Storage")
    assert aurora.first_price == Decimal("0.19")
    cf = _one("us-east-1", "AmazonCloudFront", usagetype="US-DataTransfer-Out-Bytes")
    assert [t.usd for t in cf.tiers[:3]] == [Decimal("0.085"), Decimal("0.08"), Decimal("0.06")]
    assert cf.tiers[-1].usd == Decimal("0.02") and cf.tiers[-1].begin == Decimal(5242880)
