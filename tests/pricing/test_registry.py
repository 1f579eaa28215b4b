"""Meta-tests: the registry, the catalogue and the docs stay complete and consistent."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from cloudwright.design.model import Design
from cloudwright.pricing.catalog import builtin_rows, load_catalog
from cloudwright.pricing.coverage import FREE_TYPES, classify
from cloudwright.pricing.docs import usage_keys_markdown
from cloudwright.pricing.model import PriceQuery
from cloudwright.pricing.registry import ModelContext, load_cost_models, service_of, services_of, topy
from cloudwright.pricing.template import load_template
from cloudwright.pricing.usage import load_usage_file, usage_for

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
CFN_TYPE = re.compile(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$")
USAGE_KEY = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def test_module_names_follow_the_topy_rule() -> None:
    for cfn_type, model in load_cost_models().items():
        assert CFN_TYPE.match(cfn_type), cfn_type
        assert model.module == f"cloudwright.pricing.resources.{topy(cfn_type)}", (cfn_type, model.module)


def test_every_model_has_a_golden_and_a_docstring() -> None:
    for cfn_type, model in load_cost_models().items():
        assert (GOLDEN / topy(cfn_type) / "expected.json").exists(), cfn_type
        assert model.doc, f"{cfn_type}: the cost model needs a docstring (it is the documentation)"


def test_every_model_declares_its_service() -> None:
    """The service a cost model prices is declared with it (never scanned from its source)."""
    rows, _ = builtin_rows()
    catalogued = {r.servicecode for r in rows}
    for cfn_type, model in load_cost_models().items():
        assert model.service, f"{cfn_type}: @cost_model(..., service=...) is missing"
        assert service_of(cfn_type) == model.service == services_of(cfn_type)[0]
        assert len(set(model.services)) == len(model.services), cfn_type
        for svc in model.services:
            assert svc in catalogued, f"{cfn_type}: {svc} is not a service code of the catalogue"
    with pytest.raises(KeyError):
        service_of("AWS::Made::Up")


def test_every_query_uses_a_declared_service() -> None:
    models = load_cost_models()
    problems = []
    for design in _golden_designs():
        for r in design.resources:
            if r.type not in models:
                continue
            ctx = ModelContext(design, r, usage_for(r, None), "us-east-1", Decimal(730))
            for c in models[r.type](r, ctx):
                if c.query.servicecode not in models[r.type].services:
                    problems.append(f"{r.type} {r.logical_id}: {c.query.servicecode}")
    assert problems == []


def test_usage_keys_are_named_and_described() -> None:
    for cfn_type, model in load_cost_models().items():
        keys = [u.key for u in model.usage]
        assert len(keys) == len(set(keys)), cfn_type
        for u in model.usage:
            assert USAGE_KEY.match(u.key), (cfn_type, u.key)
            assert u.unit and u.description, (cfn_type, u.key)


def test_usage_keys_doc_is_current() -> None:
    page = (ROOT / "docs" / "usage-keys.md").read_text(encoding="utf-8")
    assert page == usage_keys_markdown(), (
        "regenerate: python -m cloudwright.pricing.docs > docs/usage-keys.md"
    )
    for model in load_cost_models().values():
        for u in model.usage:
            assert f"`{u.key}`" in page


def test_free_types_are_cfn_names_and_not_priced() -> None:
    models = load_cost_models()
    for t in FREE_TYPES:
        assert CFN_TYPE.match(t), t
        assert t not in models, t
    assert classify("AWS::Made::Up") == "unsupported"


def test_every_catalogue_row_is_sourced_and_dated() -> None:
    rows, date = builtin_rows()
    assert re.match(r"^\d{4}-\d{2}-\d{2}$", date)
    skus = [r.sku for r in rows]
    assert len(skus) == len(set(skus))
    for r in rows:
        assert r.source and r.effective_date and r.unit, r.sku
        assert re.match(r"^\d{4}-\d{2}-\d{2}$", r.effective_date), r.sku
        # us-east-1 holds every service; other Regions only rows that have no us-east-1 source
        # (Classic Load Balancer, eu-west-1).
        assert r.region == "us-east-1" or (r.region, r.servicecode) == ("eu-west-1", "AWSELB"), r.sku
        assert r.price_unknown or r.tiers, r.sku
        for a, b in zip(r.tiers, r.tiers[1:], strict=False):
            assert a.end == b.begin, f"{r.sku}: tiers must be contiguous"
        if r.tiers:
            assert r.tiers[0].begin == 0 and r.tiers[-1].end is None, r.sku


def test_unverified_rows_are_only_third_party() -> None:
    rows, _ = builtin_rows()
    unverified = {r.sku for r in rows if not r.verified}
    assert unverified, "the third-party rows must be flagged"
    third_party = (
        "rds-",
        "ec2-",
        "elasticache-",
        "appsync-query",
        "r53-health",
        "cf-functions",
        "s3-",
        "apigw-cache-",
        "lambda-provisioned-",
        "firehose-",
        "kvs-webrtc-",
    )
    assert all(r.sku.startswith(third_party) for r in rows if r.sku in unverified)
    assert "rds-db.t3.micro-mysql-single-az" not in unverified  # confirmed by the AWS Price List (infracost)


def _queries(design: Design) -> list[tuple[str, PriceQuery]]:
    models = load_cost_models()
    out = []
    for r in design.resources:
        model = models.get(r.type)
        if model is None:
            continue
        ctx = ModelContext(design, r, usage_for(r, None), "us-east-1", Decimal(730))
        out += [(f"{r.type} {r.logical_id}", c.query) for c in model(r, ctx)]
    return out


def _golden_designs() -> list[Design]:
    designs = []
    for case in sorted(p for p in GOLDEN.iterdir() if p.is_dir()):
        design = load_template(case / "template.yaml")
        usage = load_usage_file(case / "usage.yml")
        for r in design.resources:
            r.usage = usage_for(r, usage)
        designs.append(design)
    return designs


def _pattern_designs() -> list[Design]:
    from cloudwright.design.build import build_design
    from cloudwright.patterns.catalog import load_patterns
    from cloudwright.requirements import requirements_from_mapping

    req = requirements_from_mapping(
        {
            "name": "meta",
            "application_type": "web_application",
            "expected_users": 10000,
            "requests_per_second": 50,
        }
    )
    return [build_design(req, pattern_id=pid) for pid in load_patterns()]


#: Queries deliberately outside the catalogue (shown as "price unknown"), with the reason.
KNOWN_GAPS = {
    "AWS::RDS::DBInstance Oracle": "commercial database engines are not in the sources",
    "AWS::ElasticLoadBalancing::LoadBalancer IdleElb": "Classic Load Balancer: sourced for eu-west-1 only",
    "AWS::ElasticLoadBalancing::LoadBalancer WebElb": "Classic Load Balancer: sourced for eu-west-1 only",
}


def test_every_query_resolves_to_exactly_one_row() -> None:
    catalog = load_catalog(include_imported=False)
    problems = []
    for design in _golden_designs():
        for who, q in _queries(design):
            if q.region != "us-east-1" or who in KNOWN_GAPS:
                continue
            found = catalog.candidates(q)
            if len(found) != 1:
                problems.append(f"{who}: {q.describe()} matched {[r.sku for r in found]}")
    assert problems == []


@pytest.mark.slow
def test_every_pattern_type_is_classified_and_its_queries_resolve() -> None:
    catalog = load_catalog(include_imported=False)
    designs = _pattern_designs()
    for design in designs:
        for r in design.resources:
            assert classify(r.type) != "unsupported", f"{design.name}: {r.type} ({r.logical_id})"
        for who, q in _queries(design):
            assert q.servicecode in services_of(who.split()[0]), f"{who}: {q.servicecode} not declared"
            if q.region == "us-east-1":
                assert len(catalog.candidates(q)) == 1, f"{who}: {q.describe()}"


def test_number_usage_fast_path_matches_the_checked_path() -> None:
    """Ints and floats are converted inline in ``ModelContext.num``: same bound, same Decimal (digits and
    exponent), and the same errors for out-of-range values as the checked path."""
    from cloudwright.design.model import Resource
    from cloudwright.errors import InputError
    from cloudwright.pricing import registry
    from cloudwright.pricing.input_schema import MAX_USAGE

    assert registry._MAX_USAGE == MAX_USAGE
    r = Resource(logical_id="A", type="AWS::SNS::Topic")
    good = [0, 1, 10**15, 0.5, 1e15, 1e-7, 123456.789, -0.0, 3.0]
    for value in good:
        ctx = registry.ModelContext(Design(resources=[r]), r, {"k": value}, "us-east-1", Decimal(730))
        got = ctx.num("k")
        want = ctx.number("k", value)
        assert got == want and str(got) == str(want)
    for bad in [-1, 10**15 + 1, -0.5, 1.5e15, float("inf"), float("nan"), True]:
        ctx = registry.ModelContext(Design(resources=[r]), r, {"k": bad}, "us-east-1", Decimal(730))
        with pytest.raises(InputError):
            ctx.num("k")
