"""Usage files (cloudwright's and infracost's) and price books: strict schemas, infracost compatibility,
and fuzzing through the CLI entry point (exit 0 or 2, never a traceback)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from budgets import examples
from cloudwright.cli import app
from cloudwright.design.model import Design, Resource
from cloudwright.errors import InputError
from cloudwright.pricing.engine import PricingOptions, price_design
from cloudwright.pricing.pricebook import load_price_book, parse_price_book
from cloudwright.pricing.registry import load_cost_models
from cloudwright.pricing.usage import (
    INFRACOST_NOT_APPLIED,
    TERRAFORM_TO_CFN,
    check_usage_keys,
    load_usage_file,
    parse_usage,
)

FIXTURES = Path(__file__).parent / "fixtures"
INFRACOST = FIXTURES / "infracost-usage-aws.yml"
TEMPLATE = Path(__file__).parents[2] / "examples" / "templates" / "serverless-web.yaml"


def _camel(name: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[_-]", name))


def _design_for(usage_doc: dict) -> Design:
    """One resource per infracost address, with the logical id the address maps to."""
    resources = []
    for addr in usage_doc["resource_usage"]:
        tf, name = addr.split(".")[0], addr.split(".")[1]
        resources.append(
            Resource(logical_id=_camel(name) + tf.replace("_", "")[:6], type=TERRAFORM_TO_CFN[tf])
        )
    return Design(resources=resources)


def test_every_infracost_key_for_modelled_types_is_accepted() -> None:
    doc = yaml.safe_load(INFRACOST.read_text(encoding="utf-8"))
    models = load_cost_models()
    usage = load_usage_file(INFRACOST)
    assert usage.is_infracost and not usage.ignored
    for addr, keys in doc["resource_usage"].items():
        cfn = TERRAFORM_TO_CFN[addr.split(".")[0]]
        known = {u.key for u in models[cfn].usage} | INFRACOST_NOT_APPLIED.get(cfn, frozenset())
        from cloudwright.pricing.usage import INFRACOST_KEY_ALIASES

        aliases = INFRACOST_KEY_ALIASES.get(cfn, {})
        assert {aliases.get(k, k) for k in keys} <= known, (addr, sorted(set(keys) - known))


def test_s3_storage_class_blocks_keep_their_meaning() -> None:
    doc = {
        "resource_usage": {
            "aws_s3_bucket.my_bucket": {
                "standard": {"storage_gb": 10000, "monthly_tier_1_requests": 1000000},
                "intelligent_tiering": {"frequent_access_storage_gb": 20000, "monitored_objects": 2000},
                "standard_infrequent_access": {"storage_gb": 30000},
                "glacier_deep_archive": {"storage_gb": 60000},
            }
        }
    }
    bucket = Resource(logical_id="MyBucket", type="AWS::S3::Bucket")
    est = price_design(Design(resources=[bucket]), PricingOptions(usage=doc))
    lines = {li.description.split(" (first")[0]: li for li in est.resources[0].line_items}
    assert lines["Storage (standard)"].monthly_usd == Decimal("10000") * Decimal("0.023")
    assert lines["PUT, COPY, POST, LIST requests (standard)"].monthly_usd == Decimal("5.000000")
    assert lines["Storage, frequent access tier (intelligent_tiering)"].unit_price == Decimal("0.023")
    assert lines["Storage (standard_ia)"].monthly_usd == Decimal("30000") * Decimal("0.0125")
    assert lines["Storage (deep_archive)"].monthly_usd == Decimal("60000") * Decimal("0.00099")
    monitored = lines["monitored objects (intelligent_tiering)"]
    assert monitored.status == "price-unknown" and "does not price" in monitored.note
    assert est.complete is False  # monitoring is not priced: never a silent $0


def test_not_applied_infracost_keys_make_the_estimate_incomplete(monkeypatch: pytest.MonkeyPatch) -> None:
    from cloudwright.pricing import usage as usage_mod

    # Every infracost key of the modelled types is applied today; the mechanism stays for new ones.
    monkeypatch.setitem(usage_mod.INFRACOST_NOT_APPLIED, "AWS::Glue::Database", frozenset({"future_key"}))
    doc = {"resource_usage": {"aws_glue_catalog_database.web": {"future_key": 5}}}
    database = Resource(logical_id="Web", type="AWS::Glue::Database")
    est = price_design(Design(resources=[database]), PricingOptions(usage=doc))
    assert est.complete is False
    assert any("future_key" in li.note for li in est.resources[0].line_items)


@pytest.mark.parametrize(
    ("doc", "needle"),
    [
        ({"resource_usage": [1]}, "resource_usage must be a mapping"),
        ({"resource_type_default_usage": True}, "resource_type_default_usage must be a mapping"),
        ({"resource_usage": {"Fn": [1]}}, "usage of a resource must be a mapping"),
        ({"resource_usage": {"Fn": {"monthly_requests": float("nan")}}}, "finite"),
        ({"resource_usage": {"Fn": {"monthly_requests": float("inf")}}}, "finite"),
        ({"resource_usage": {"Fn": {"monthly_requests": -5}}}, "out of range"),
        ({"resource_usage": {"Fn": {"monthly_requests": True}}}, "not a boolean"),
        ({"resource_usage": {"Fn": {"monthly_requests": 1e30}}}, "out of range"),
        ({"nope": 1}, "unknown top-level key"),
        ("text", "must be a mapping"),
    ],
)
def test_bad_usage_files_are_one_clear_error(doc, needle: str) -> None:
    with pytest.raises(InputError, match=re.escape(needle)):
        parse_usage(doc, source="u.yml")


@pytest.mark.parametrize(
    ("doc", "needle"),
    [
        ({"discounts": 1.5}, "discounts map service codes"),
        ({"discounts": {"AmazonDynamoDB": {}}}, "discounts.AmazonDynamoDB: a discount is a percentage"),
        ({"discounts": {"AWSLambda": 150}}, "discounts.AWSLambda: a discount (percent) out of range"),
        ({"discounts": {"AWSLambda": float("nan")}}, "finite"),
        ({"overrides": -1}, "overrides are a list"),
        ({"overrides": [{"attributes": "-5", "price": "1", "source": "x"}]}, "attributes"),
        ({"overrides": [{"sku": "a", "price": "-1", "source": "x"}]}, "greater than or equal to 0"),
        ({"overrides": [{"sku": "a", "price": "NaN", "source": "x"}]}, "finite"),
        ({"overrides": [{"sku": "a", "source": "x"}]}, "either `price` or `tiers`"),
        ({"overrides": [{"sku": "a", "price": 1}]}, "source"),
        ({"overrides": [{"sku": "a", "price": 1, "source": "x", "region": "zz-fake-9"}]}, "AWS Region code"),
        ({"overrides": [{"sku": "a", "tiers": [[0, 10, 1], [5, None, 1]], "source": "x"}]}, "contiguous"),
        ({"overrides": [{"sku": "a", "tiers": [[0, 10, 1]], "source": "x"}]}, "open-ended"),
        ({"bogus": 1}, "Extra inputs are not permitted"),
    ],
)
def test_bad_price_books_are_one_clear_error(doc, needle: str) -> None:
    with pytest.raises(InputError, match=re.escape(needle)):
        parse_price_book(doc, source="book.yml")


def test_errors_name_file_line_and_column(tmp_path: Path) -> None:
    book = tmp_path / "book.yml"
    book.write_text("name: b\ndiscounts:\n  AWSLambda: 150\n")
    with pytest.raises(InputError) as exc:
        load_price_book(book)
    assert str(exc.value).startswith(f"{book}:3:14: discounts.AWSLambda: ")
    usage = tmp_path / "u.yml"
    usage.write_text("resource_usage:\n  Fn:\n    monthly_requests: -3\n")
    with pytest.raises(InputError) as exc2:
        load_usage_file(usage)
    assert str(exc2.value).startswith(f"{usage}:3:23: resource_usage.Fn.monthly_requests: ")
    assert "(got -3)" in str(exc2.value)


# --- fuzzing through the CLI: exit 0 or 2, never a traceback ---------------------------------------------

_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
)
_value = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
_usage_doc = st.one_of(
    _value,
    st.fixed_dictionaries(
        {},
        optional={
            "version": _value,
            "resource_usage": st.one_of(
                _value,
                st.dictionaries(
                    st.sampled_from(["ApiFunction", "aws_lambda_function.api_function", "Nope", "Table"]),
                    st.one_of(
                        _value,
                        st.dictionaries(st.sampled_from(["monthly_requests", "storage_gb", "x"]), _value),
                    ),
                    max_size=3,
                ),
            ),
            "resource_type_default_usage": _value,
        },
    ),
)
_book_doc = st.one_of(
    _value,
    st.fixed_dictionaries(
        {},
        optional={
            "name": _value,
            "discounts": st.one_of(
                _value, st.dictionaries(st.sampled_from(["AWSLambda", "AmazonDynamoDB"]), _value)
            ),
            "overrides": st.one_of(
                _value,
                st.lists(
                    st.fixed_dictionaries(
                        {"source": _value},
                        optional={"sku": _value, "attributes": _value, "price": _value, "tiers": _value},
                    ),
                    max_size=2,
                ),
            ),
        },
    ),
)


def test_the_fuzz_target_template_exists() -> None:
    assert TEMPLATE.is_file()
    ok = CliRunner().invoke(app, ["estimate", str(TEMPLATE), "--format", "json"])
    assert ok.exit_code == 0, ok.output


def _run(tmp_path: Path, usage: object, book: object) -> None:
    u = tmp_path / "u.yml"
    b = tmp_path / "b.yml"
    u.write_text(yaml.safe_dump(usage, allow_unicode=True))
    b.write_text(yaml.safe_dump(book, allow_unicode=True))
    result = CliRunner().invoke(
        app, ["estimate", str(TEMPLATE), "--usage-file", str(u), "--price-book", str(b), "--format", "json"]
    )
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)


@settings(
    max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(usage=_usage_doc, book=_book_doc)
def test_fuzz_usage_files_and_price_books(tmp_path: Path, usage: object, book: object) -> None:
    _run(tmp_path, usage, book)


def test_price_book_entries_that_match_nothing_are_named(tmp_path: Path) -> None:
    book = tmp_path / "book.yml"
    book.write_text(
        yaml.safe_dump(
            {
                "name": "mine",
                "discounts": {"AWSLambda": 10, "AmazonRedshift": 20},
                "overrides": [
                    {"sku": "lambda-requests-x86", "price": "0.0000001", "source": "negotiated"},
                    {"sku": "no-such-row", "price": "1", "source": "typo"},
                ],
            }
        )
    )
    result = CliRunner().invoke(
        app, ["estimate", str(TEMPLATE), "--price-book", str(book), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert "price book mine: overrides[1] (sku no-such-row) matched no line of this estimate" in result.stderr
    assert "price book mine: discount for AmazonRedshift matched no line of this estimate" in result.stderr
    assert "overrides[0]" not in result.stderr and "discount for AWSLambda" not in result.stderr


def test_negative_usage_on_a_resource_is_refused_not_priced_as_zero() -> None:
    fn = Resource(logical_id="Fn", type="AWS::Lambda::Function", usage={"monthly_requests": -1000})
    with pytest.raises(InputError, match="out of range"):
        price_design(Design(resources=[fn]))


def test_the_whole_infracost_file_prices_without_error() -> None:
    """Every modelled address of infracost's reference file, priced with its usage (no key crashes)."""
    doc = yaml.safe_load(INFRACOST.read_text(encoding="utf-8"))
    resources = []
    for addr in doc["resource_usage"]:
        tf, name = addr.split(".")[0], addr.split(".")[1]
        resources.append(Resource(logical_id=_camel(name), type=TERRAFORM_TO_CFN[tf]))
    seen: set[str] = set()
    unique = [r for r in resources if not (r.logical_id in seen or seen.add(r.logical_id))]
    design = Design(resources=unique)
    usage = load_usage_file(INFRACOST)
    assert not [w for w in check_usage_keys(design, usage) if "not used by cloudwright" in w]
    est = price_design(design, PricingOptions(usage=usage))
    cf = next(r for r in est.resources if r.type == "AWS::CloudFront::Distribution")
    lines = {li.description.split(" (first")[0].split(" (next")[0]: li for li in cf.line_items}
    europe = [
        li for li in cf.line_items if li.description.startswith("Data transfer out to the internet (Europe")
    ]
    assert sum(li.quantity for li in europe) == 220000
    assert europe[0].unit_price == Decimal("0.085") and europe[1].unit_price == Decimal("0.08")
    assert lines["HTTPS requests"].quantity == 180000
    assert lines["HTTPS requests (Japan)"].unit_price == Decimal("0.0000012")  # $0.012 per 10,000
    assert est.complete is False
