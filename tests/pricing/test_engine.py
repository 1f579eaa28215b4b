"""Engine behaviour: tiers, metering, unknowns, free tier, price books, determinism, JSON contract."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cloudwright.design.model import Design, Resource
from cloudwright.errors import InputError
from cloudwright.pricing.engine import DATA_TRANSFER_ID, PricingOptions, price_design
from cloudwright.pricing.pricebook import parse_price_book
from cloudwright.pricing.tiers import Tier, split_tiers, tier_cost, tier_label

TIERS = (
    Tier(Decimal(0), Decimal(100), Decimal("1")),
    Tier(Decimal(100), Decimal(300), Decimal("0.5")),
    Tier(Decimal(300), None, Decimal("0.25")),
)


def _one(r: Resource, **opts: object) -> list:
    est = price_design(Design(resources=[r]), PricingOptions(**opts))  # type: ignore[arg-type]
    return next(x for x in est.resources if x.logical_id == r.logical_id).line_items


@pytest.mark.parametrize(
    ("qty", "cost"),
    [(0, "0"), (50, "50"), (100, "100"), (150, "125"), (300, "200"), (500, "250")],
)
def test_tiers_applied_tier_by_tier(qty: int, cost: str) -> None:
    assert tier_cost(Decimal(qty), TIERS) == Decimal(cost)


@given(
    st.decimals(min_value=0, max_value=10**9, places=3), st.decimals(min_value=0, max_value=10**6, places=3)
)
def test_tier_cost_is_monotonic_and_additive(a: Decimal, b: Decimal) -> None:
    assert tier_cost(a + b, TIERS) >= tier_cost(a, TIERS)
    split = sum((u.quantity for u in split_tiers(a, TIERS)), Decimal(0))
    assert split == a


def test_tier_labels() -> None:
    assert [tier_label(t) for t in TIERS] == ["first 100", "next 200", "over 300"]


@pytest.mark.parametrize(
    ("resource", "description", "quantity"),
    [
        (
            Resource(
                logical_id="A",
                type="AWS::ApiGatewayV2::Api",
                usage={"monthly_requests": 1000, "request_size_kb": 513},
            ),
            "API requests (HTTP)",
            2000,
        ),
        (
            Resource(
                logical_id="A",
                type="AWS::ApiGatewayV2::Api",
                usage={"monthly_requests": 1000, "request_size_kb": 512},
            ),
            "API requests (HTTP)",
            1000,
        ),
        (
            Resource(
                logical_id="W",
                type="AWS::ApiGatewayV2::Api",
                properties={"ProtocolType": "WEBSOCKET"},
                usage={"monthly_messages": 1000, "message_size_kb": 33},
            ),
            "WebSocket messages",
            2000,
        ),
        (
            Resource(
                logical_id="Q",
                type="AWS::SQS::Queue",
                usage={"monthly_requests": 1000, "request_size_kb": 130},
            ),
            "Standard requests",
            3000,
        ),
        (
            Resource(
                logical_id="T",
                type="AWS::SNS::Topic",
                usage={"monthly_requests": 1000, "request_size_kb": 64},
            ),
            "Standard publish requests",
            1000,
        ),
        (
            Resource(
                logical_id="B",
                type="AWS::Events::EventBus",
                usage={"monthly_custom_events": 1000, "event_size_kb": 65},
            ),
            "Custom events",
            2000,
        ),
        (
            Resource(
                logical_id="K",
                type="AWS::Kinesis::Stream",
                usage={"monthly_put_records": 1000, "average_record_size_kb": 26},
            ),
            "PUT payload units",
            2000,
        ),
    ],
)
def test_metering_increments(resource: Resource, description: str, quantity: int) -> None:
    line = next(li for li in _one(resource) if li.description.startswith(description))
    assert line.quantity == quantity


def test_athena_minimum_and_express_rounding() -> None:
    athena = Resource(
        logical_id="A",
        type="AWS::Athena::WorkGroup",
        usage={"monthly_queries": 1024 * 1024, "monthly_data_scanned_tb": 1},
    )
    line = _one(athena)[0]
    assert line.quantity == 10 and "10 MB minimum" in line.note
    express = Resource(
        logical_id="S",
        type="AWS::StepFunctions::StateMachine",
        properties={"StateMachineType": "EXPRESS"},
        usage={"monthly_requests": 3600, "workflow_duration_ms": 101, "memory_mb": 65},
    )
    duration = next(li for li in _one(express) if li.description.startswith("Duration"))
    # 101 ms → 200 ms, 65 MB → 128 MB: 3600 x 0.2 s x 0.125 GB = 90 GB-s = 0.025 GB-h
    assert duration.quantity == Decimal("0.025")


def test_unknown_usage_is_not_zero() -> None:
    lines = _one(Resource(logical_id="F", type="AWS::Lambda::Function"))
    assert {li.status for li in lines} == {"usage-unknown"}
    assert all(li.monthly_usd is None and li.unit_price for li in lines)
    assert "depends on usage: $0.0000002 per request" in lines[0].note


def test_unknown_price_is_not_zero_and_unsupported_is_listed() -> None:
    vm = Resource(logical_id="G", type="AWS::EC2::Instance", properties={"InstanceType": "zz9.nano"})
    odd = Resource(logical_id="X", type="AWS::Made::Up")
    est = price_design(Design(resources=[vm, odd]))
    assert est.unsupported_types == ["AWS::Made::Up"]
    assert est.price_unknown_count == 1
    assert next(r for r in est.resources if r.logical_id == "X").classification == "unsupported"
    assert all(li.monthly_usd is None for r in est.resources for li in r.line_items if li.status != "priced")


def test_free_tier_modes() -> None:
    api = Resource(logical_id="Api", type="AWS::ApiGatewayV2::Api", usage={"monthly_requests": 3_000_000})
    fn = Resource(
        logical_id="Fn",
        type="AWS::Lambda::Function",
        usage={"monthly_requests": 500_000, "request_duration_ms": 100},
    )
    fn2 = Resource(
        logical_id="Fn2",
        type="AWS::Lambda::Function",
        usage={"monthly_requests": 800_000, "request_duration_ms": 100},
    )
    design = Design(resources=[api, fn, fn2])
    none = price_design(design, PricingOptions(free_tier="none"))
    always = price_design(design, PricingOptions(free_tier="always-free"))
    new = price_design(design, PricingOptions(free_tier="new-account"))
    assert none.monthly_usd > always.monthly_usd > new.monthly_usd
    # the 1M free Lambda requests are shared: 500K to Fn, the remaining 500K to Fn2
    free = [
        li
        for r in always.resources
        for li in r.line_items
        if li.description.startswith("Free tier: Lambda requests")
    ]
    assert sorted(li.quantity for li in free) == [-500_000, -500_000]
    # API Gateway's allowance only applies to new accounts (12 months)
    assert always.resource_cost("Api") == none.resource_cost("Api") == Decimal(3)
    assert new.resource_cost("Api") == Decimal(2)
    assert always.to_dict()["free_tier"] == "always-free"


def test_design_level_data_transfer_line() -> None:
    design = Design(resources=[], assumptions={"data_transfer_out_gb": 10340})
    est = price_design(design, PricingOptions(free_tier="always-free"))
    dt = next(r for r in est.resources if r.logical_id == DATA_TRANSFER_ID)
    # 10,240 GB x $0.09 + 100 GB x $0.085 - 100 GB free x $0.09
    assert dt.monthly_usd == Decimal("921.6") + Decimal("8.5") - Decimal("9")


def test_price_book_discount_and_override() -> None:
    book = parse_price_book(
        {
            "name": "negotiated",
            "discounts": {"AWSLambda": 10},
            "overrides": [
                {"sku": "nat-gateway-hours", "price": "0.03", "source": "reserved rate", "date": "2026-01-01"}
            ],
        }
    )
    fn = Resource(
        logical_id="Fn",
        type="AWS::Lambda::Function",
        usage={"monthly_requests": 10_000_000, "request_duration_ms": 0},
    )
    nat = Resource(logical_id="Nat", type="AWS::EC2::NatGateway", usage={"monthly_data_processed_gb": 0})
    est = price_design(Design(resources=[fn, nat]), PricingOptions(price_book=book))
    assert est.resource_cost("Fn") == Decimal("1.8")  # $2.00 less 10%
    assert est.resource_cost("Nat") == Decimal("21.9")  # 730 h x $0.03
    hours = next(r for r in est.resources if r.logical_id == "Nat").line_items[0]
    assert hours.price_source == "price book negotiated: reserved rate" and hours.price_date == "2026-01-01"
    assert est.price_book == "negotiated"


@pytest.mark.parametrize(
    "doc",
    [
        {"discounts": {"AWSLambda": 120}},
        {"overrides": [{"sku": "x", "price": "1"}]},
        {"overrides": [{"price": "1", "source": "s"}]},
        {"overrides": [{"sku": "x", "source": "s"}]},
        {"bogus": 1},
    ],
)
def test_bad_price_books_are_input_errors(doc: dict) -> None:
    with pytest.raises(InputError):
        parse_price_book(doc)


def test_hours_per_month_is_explicit() -> None:
    nat = Resource(logical_id="Nat", type="AWS::EC2::NatGateway", usage={"monthly_data_processed_gb": 0})
    assert price_design(Design(resources=[nat]), PricingOptions(hours_per_month=720)).resource_cost(
        "Nat"
    ) == Decimal("32.4")
    with pytest.raises(InputError):
        PricingOptions(hours_per_month=0)
    with pytest.raises(InputError):
        PricingOptions(free_tier="sometimes")  # type: ignore[arg-type]


def test_json_contract_and_determinism() -> None:
    resources = [
        Resource(logical_id="B", type="AWS::SQS::Queue", usage={"monthly_requests": 1_234_567}),
        Resource(logical_id="A", type="AWS::EC2::NatGateway", usage={"monthly_data_processed_gb": 12.5}),
        Resource(logical_id="C", type="AWS::EC2::VPC"),
    ]
    first = json.dumps(price_design(Design(resources=resources)).to_dict(), sort_keys=True)
    again = json.dumps(price_design(Design(resources=list(reversed(resources)))).to_dict(), sort_keys=True)
    assert first == again
    doc = json.loads(first)
    assert doc["monthly_usd"] == 33.91  # 32.85 + 0.5625 + 0.4938..., rounded once at the end
    assert [r["logical_id"] for r in doc["resources"]] == ["A", "B", "C", DATA_TRANSFER_ID]
    line = doc["resources"][0]["line_items"][0]
    assert set(line) >= {
        "description",
        "quantity",
        "unit",
        "unit_price",
        "monthly_usd",
        "price_source",
        "price_date",
        "status",
    }
    assert doc["resources"][2]["classification"] == "free"


def test_shared_resolve_cache_is_per_catalogue_and_skipped_with_a_price_book() -> None:
    """Resolutions are shared across estimates of one catalogue only: another catalogue, a price book
    or a region never reuses them, and a reindex (rows replaced) clears them."""
    from cloudwright.pricing.catalog import Catalog, PriceRow

    def nat_row(price: str) -> PriceRow:
        return PriceRow(
            sku="nat-gateway-hours",
            servicecode="AmazonEC2",
            region="us-east-1",
            product_family="NAT Gateway",
            attributes={"usagetype": "NatGateway-Hours", "operation": "NatGateway"},
            unit="Hrs",
            tiers=(Tier(Decimal(0), None, Decimal(price)),),
            source="test row",
            effective_date="2026-01-01",
        )

    nat = Resource(logical_id="Nat", type="AWS::EC2::NatGateway", usage={"monthly_data_processed_gb": 0})
    design = Design(resources=[nat])
    cheap, dear = Catalog(rows=[nat_row("0.01")]), Catalog(rows=[nat_row("0.10")])
    for _ in range(2):  # the second round is served from each catalogue's memo
        assert price_design(design, PricingOptions(catalog=cheap)).resource_cost("Nat") == Decimal("7.300")
        assert price_design(design, PricingOptions(catalog=dear)).resource_cost("Nat") == Decimal("73.00")
    assert cheap.resolved_memo and dear.resolved_memo
    # each memo holds its own catalogue's rows
    assert all(v[0] is None or v[0] in cheap.rows for v in cheap.resolved_memo.values())
    assert all(v[0] is None or v[0] in dear.rows for v in dear.resolved_memo.values())
    # A price book's resolutions are per estimate (it reports the entries it used), never shared.
    book = parse_price_book(
        {
            "name": "negotiated",
            "overrides": [
                {"sku": "nat-gateway-hours", "price": "0.02", "source": "reserved rate", "date": "2026-01-01"}
            ],
        }
    )
    before = dict(cheap.resolved_memo)
    booked = price_design(design, PricingOptions(catalog=cheap, price_book=book))
    assert booked.resource_cost("Nat") == Decimal("14.600") and booked.warnings == []
    assert price_design(design, PricingOptions(catalog=cheap)).resource_cost("Nat") == Decimal("7.300")
    assert cheap.resolved_memo == before
    # Another region is another query: no row there, never the us-east-1 price.
    other = price_design(design, PricingOptions(catalog=cheap, region="eu-west-1"))
    assert other.resource_cost("Nat") == Decimal(0) and not other.complete
    # Replacing the rows and reindexing drops the memo.
    cheap.rows = [nat_row("0.03")]
    cheap.reindex()
    assert not cheap.resolved_memo
    assert price_design(design, PricingOptions(catalog=cheap)).resource_cost("Nat") == Decimal("21.900")
