"""Usage files: native and infracost formats, validation, and the usage-file template."""

from __future__ import annotations

import pytest
import yaml

from cloudwright.design.model import Design, Resource
from cloudwright.errors import InputError
from cloudwright.pricing.usage import check_usage_keys, parse_usage, usage_for, usage_template

DESIGN = Design(
    resources=[
        Resource(logical_id="ApiFunction", type="AWS::Lambda::Function", usage={"request_duration_ms": 50}),
        Resource(logical_id="Orders", type="AWS::SQS::Queue"),
        Resource(logical_id="Vpc", type="AWS::EC2::VPC"),
    ]
)


def test_precedence_design_then_type_default_then_resource() -> None:
    uf = parse_usage(
        {
            "resource_type_default_usage": {
                "AWS::Lambda::Function": {"monthly_requests": 1, "request_duration_ms": 9}
            },
            "resource_usage": {"ApiFunction": {"monthly_requests": 5}},
        }
    )
    assert usage_for(DESIGN["ApiFunction"], uf) == {"monthly_requests": 5, "request_duration_ms": 9}
    assert usage_for(DESIGN["ApiFunction"], None) == {"request_duration_ms": 50}


def test_infracost_addresses_are_mapped_to_logical_ids() -> None:
    uf = parse_usage(
        {
            "version": 0.1,
            "resource_type_default_usage": {"aws_sqs_queue": {"request_size_kb": 8}},
            "resource_usage": {
                "module.app.aws_lambda_function.api_function[0]": {"monthly_requests": 7, "unknown_key": 1},
                "aws_sqs_queue.orders": {"monthly_requests": 3},
                "aws_instance.web": {"operating_system": "linux"},
                "google_compute_instance.x": {"a": 1},
            },
        }
    )
    assert uf.is_infracost
    assert usage_for(DESIGN["ApiFunction"], uf)["monthly_requests"] == 7
    assert usage_for(DESIGN["Orders"], uf) == {"request_size_kb": 8, "monthly_requests": 3}
    warnings = check_usage_keys(DESIGN, uf)
    assert any("unknown_key" in w for w in warnings)
    assert any("web: no matching logical id" in w for w in warnings)


def test_unknown_native_key_is_an_error_naming_the_allowed_keys() -> None:
    uf = parse_usage({"resource_usage": {"Orders": {"monthly_request": 3}}})
    with pytest.raises(InputError) as err:
        check_usage_keys(DESIGN, uf)
    assert "monthly_requests" in str(err.value)


@pytest.mark.parametrize("doc", [["a"], {"resources": {}}, {"resource_usage": {"A": 3}}])
def test_malformed_usage_files(doc: object) -> None:
    with pytest.raises(InputError):
        parse_usage(doc)


def test_usage_template_documents_every_key_and_round_trips() -> None:
    text = usage_template(DESIGN)
    assert "ApiFunction:  # AWS::Lambda::Function" in text
    assert "# Invocations per month (requests/month)" in text
    assert "Vpc" not in text
    doc = yaml.safe_load(text)
    uf = parse_usage(doc)
    assert check_usage_keys(DESIGN, uf) == []
    assert uf.resource_usage["Orders"] == {"monthly_requests": None, "request_size_kb": None}
    assert uf.resource_usage["ApiFunction"]["request_duration_ms"] == 50


@pytest.mark.parametrize(
    ("loader", "field", "what"),
    [("usage", "--usage-file", "usage file"), ("book", "--price-book", "price book")],
)
def test_usage_files_and_price_books_fail_clearly(tmp_path, loader, field, what) -> None:
    from cloudwright.pricing.pricebook import load_price_book
    from cloudwright.pricing.usage import load_usage_file

    load = load_usage_file if loader == "usage" else load_price_book
    bad = tmp_path / "bad.yml"
    bad.write_text("resource_usage:\n  Fn: {monthly_requests: [1, 2\n")
    with pytest.raises(InputError, match=r"bad\.yml:\d+:\d+: malformed YAML") as err:
        load(bad)
    assert err.value.field == field
    with pytest.raises(InputError, match=f"{what} not found"):
        load(tmp_path / "missing.yml")
    with pytest.raises(InputError, match=f"{what} is a directory"):
        load(tmp_path)
