"""The per-search memo of resource pricings: memoised estimates equal unmemoised ones, a changed input is
never answered from the memo, and nothing is kept outside a search."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import cloudwright.pricing.engine as engine
import cloudwright.pricing.memo as memo_mod
from cloudwright.design.model import Design, Placement, Resource
from cloudwright.pricing.engine import PricingOptions, price_design
from cloudwright.pricing.memo import PricingMemo, active_memo, pricing_memo
from cloudwright.pricing.pricebook import parse_price_book
from cloudwright.pricing.usage import parse_usage

if TYPE_CHECKING:
    from cloudwright.pricing.memo import ChargeLines

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DR_EXAMPLES = ["dr-pilot-light", "dr-backup-restore", "dr-warm-standby"]
OTHER_EXAMPLES = sorted(
    p.stem for p in EXAMPLES.glob("*.yaml") if p.stem not in DR_EXAMPLES and p.stem != "seed-keys"
)


@contextmanager
def _unmemoised() -> Iterator[None]:
    token = memo_mod._ACTIVE.set(None)
    try:
        yield
    finally:
        memo_mod._ACTIVE.reset(token)


def _checked_search(name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, PricingMemo]:
    """Run the search of an example (every pattern, DR strategy and sensitivity load), checking each
    estimate priced inside it against the same design priced without the memo."""
    from cloudwright.patterns.search import search
    from cloudwright.requirements import load_requirements

    original: Callable[..., engine.Estimate] = engine.price_design
    checked = 0

    def compare(design: Design, options: PricingOptions | None = None) -> engine.Estimate:
        nonlocal checked
        est = original(design, options)
        with _unmemoised():
            plain = original(design, options)
        assert est.to_dict() == plain.to_dict(), design.name
        checked += 1
        return est

    monkeypatch.setattr(engine, "price_design", compare)
    req = load_requirements(EXAMPLES / f"{name}.yaml")
    with pricing_memo() as memo:
        search(req, dr_pricing=PricingOptions(), environment="prod")
    return checked, memo


@pytest.mark.parametrize("name", DR_EXAMPLES)
def test_memoised_search_prices_equal_unmemoised(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    checked, memo = _checked_search(name, monkeypatch)
    assert checked > 10
    assert memo.hits > memo.stores > 0  # most resources are reused, and the check above covers them


@pytest.mark.slow
@pytest.mark.parametrize("name", OTHER_EXAMPLES)
def test_memoised_search_prices_equal_unmemoised_all(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    checked, memo = _checked_search(name, monkeypatch)
    assert checked > 0
    assert memo.stores > 0


def _design(**changes: object) -> Design:
    values: dict[str, object] = {
        "logical_id": "Fn",
        "type": "AWS::Lambda::Function",
        "properties": {"MemorySize": 1024, "Architectures": ["arm64"]},
        "usage": {"monthly_requests": 1_000_000, "request_duration_ms": 200},
    }
    values.update(changes)
    return Design(name="d", region="us-east-1", resources=[Resource.model_validate(values)])


def _twice(first: Design, second: Design, opts1: PricingOptions | None = None, **kw: object) -> PricingMemo:
    """Price ``first`` then ``second`` in one memo; each result must equal its unmemoised estimate."""
    opts2 = kw.get("opts2", opts1)
    with pricing_memo() as memo:
        a = price_design(first, opts1).to_dict()
        b = price_design(second, opts2).to_dict()  # type: ignore[arg-type]
    assert a == price_design(first, opts1).to_dict()
    assert b == price_design(second, opts2).to_dict()  # type: ignore[arg-type]
    return memo


def test_equal_resource_is_reused() -> None:
    memo = _twice(_design(), _design())
    assert (memo.hits, memo.stores) == (1, 1)


@pytest.mark.parametrize(
    "changed",
    [
        {"properties": {"MemorySize": 2048, "Architectures": ["arm64"]}},
        {"properties": {"MemorySize": 1024, "Architectures": ["x86_64"]}},
        {"properties": {"MemorySize": 1024.0, "Architectures": ["arm64"]}},  # equal by ==, not the same
        {"usage": {"monthly_requests": 2_000_000, "request_duration_ms": 200}},
        {"usage": {"monthly_requests": 1_000_000, "request_duration_ms": 200.0}},
        {"placement": Placement(region="eu-west-1")},
        {"condition": "IsProd"},
    ],
)
def test_changed_resource_is_not_reused(changed: dict[str, object]) -> None:
    memo = _twice(_design(), _design(**changed))
    assert memo.hits == 0


def test_resource_changed_in_place_after_pricing_is_not_reused() -> None:
    design = _design()
    with pricing_memo() as memo:
        before = price_design(design).to_dict()
        design.resources[0].properties["MemorySize"] = 4096
        after = price_design(design).to_dict()
    assert memo.hits == 0
    assert before != after
    assert after == price_design(design).to_dict()


def test_changed_parameter_is_not_reused() -> None:
    def design(default: int) -> Design:
        d = _design(properties={"MemorySize": {"Ref": "Memory"}})
        d.parameters = {"Memory": {"Type": "Number", "Default": default}}
        return d

    memo = _twice(design(512), design(3008))
    assert memo.hits == 0
    # the same parameters: reused
    assert _twice(design(512), design(512)).hits == 1


def test_parameter_read_only_when_used() -> None:
    """A resource whose cost model evaluated no intrinsic function is reused across parameter changes."""
    a, b = _design(), _design()
    b.parameters = {"Other": {"Type": "String", "Default": "x"}}
    assert _twice(a, b).hits == 1


def test_changed_referenced_resource_is_not_reused() -> None:
    def design(instance: str) -> Design:
        td = Resource(
            logical_id="Task",
            type="AWS::ECS::TaskDefinition",
            properties={"Cpu": instance, "Memory": "2048", "RequiresCompatibilities": ["FARGATE"]},
        )
        svc = Resource(
            logical_id="Svc",
            type="AWS::ECS::Service",
            properties={"LaunchType": "FARGATE", "DesiredCount": 2, "TaskDefinition": {"Ref": "Task"}},
        )
        return Design(name="d", region="us-east-1", resources=[td, svc])

    memo = _twice(design("1024"), design("512"))
    assert memo.hits == 0
    assert _twice(design("1024"), design("1024")).hits == 1


@pytest.mark.parametrize(
    ("opts1", "opts2"),
    [
        (PricingOptions(), PricingOptions(hours_per_month=100)),
        (PricingOptions(), PricingOptions(region="eu-west-1")),
        (PricingOptions(), PricingOptions(commitment="compute-sp-1y-no-upfront")),
        (PricingOptions(), PricingOptions(usage={"resource_usage": {"Fn": {"monthly_requests": 5}}})),
    ],
)
def test_changed_options_are_not_reused(opts1: PricingOptions, opts2: PricingOptions) -> None:
    memo = _twice(_design(), _design(), opts1, opts2=opts2)
    assert memo.hits == 0


def test_free_tier_is_drawn_anew_for_each_estimate() -> None:
    """Free-tier draws of a reused resource are recorded again: each estimate gets its own allowance."""
    for mode in ("always-free", "new-account"):
        opts = PricingOptions(free_tier=mode)
        with pricing_memo() as memo:
            a = price_design(_design(), opts)
            b = price_design(_design(), opts)
        assert memo.hits == 1
        assert a.to_dict() == b.to_dict() == price_design(_design(), opts).to_dict()
        assert any(li.monthly_usd is not None and li.monthly_usd < 0 for _, li in b.line_items())
    # free tier off, then on, in one memo: the reused lines get the draws of the second estimate only
    with pricing_memo():
        off = price_design(_design())
        on = price_design(_design(), PricingOptions(free_tier="always-free"))
    assert off.to_dict() == price_design(_design()).to_dict()
    assert on.to_dict() == price_design(_design(), PricingOptions(free_tier="always-free")).to_dict()


def test_price_book_bypasses_the_memo() -> None:
    book = parse_price_book(
        {"name": "deal", "discounts": {"AWSLambda": 10}, "overrides": []},
        source="book",
    )
    opts = PricingOptions(price_book=book)
    with pricing_memo() as memo:
        a = price_design(_design(), opts)
        b = price_design(_design(), opts)
    assert (memo.hits, memo.stores) == (0, 0)
    assert a.to_dict() == b.to_dict() == price_design(_design(), opts).to_dict()
    assert a.warnings == []  # the discount matched a line in each estimate


def test_estimates_share_nothing_mutable() -> None:
    """Two estimates of one resource share its (frozen) line items, never a list or a total."""
    from pydantic import ValidationError

    with pricing_memo():
        a = price_design(_design())
        b = price_design(_design())
    assert a.line_items() and [li for _, li in a.line_items()] == [li for _, li in b.line_items()]
    line = a.resources[0].line_items[0]
    with pytest.raises(ValidationError):
        line.monthly_usd = Decimal(999)
    assert a.resources[0].line_items is not b.resources[0].line_items
    assert a.resources[0].notes is not b.resources[0].notes
    a.resources[0].line_items.clear()
    a.resources[0].notes.append("changed")
    a.resources[0].monthly_usd = Decimal(999)
    assert b.to_dict() == price_design(_design()).to_dict()


def test_unpriced_entries_are_not_shared() -> None:
    """The entry of a resource without a price is kept once per memoised pricing; each estimate gets
    its own copy (its list of lines is its own)."""
    unpriced = _design(placement=Placement(region="ap-nowhere-1"))
    unpriced.region = "ap-nowhere-1"
    with pricing_memo() as memo:
        a = price_design(unpriced)
        b = price_design(unpriced)
    assert memo.hits == 1 and a.unpriced and a.unpriced == b.unpriced
    assert a.unpriced[0] is not b.unpriced[0] and a.unpriced[0].lines is not b.unpriced[0].lines
    a.unpriced[0].lines.append("changed")
    assert b.to_dict() == price_design(unpriced).to_dict()


def test_no_memo_outside_a_search() -> None:
    assert active_memo() is None
    calls = 0
    original = engine._price_resource

    def counting(*args: object, **kw: object) -> object:
        nonlocal calls
        calls += 1
        return original(*args, **kw)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine, "_price_resource", counting)
        price_design(_design())
        price_design(_design())
        assert calls == 2
        with pricing_memo() as outer, pricing_memo() as inner:
            assert outer is inner is active_memo()
            price_design(_design())
            price_design(_design())
        assert calls == 3
    assert active_memo() is None


def test_usage_file_resolved_usage_is_compared() -> None:
    usage = parse_usage({"resource_usage": {"Fn": {"monthly_requests": 7}}}, source="usage")
    memo = _twice(_design(), _design(), PricingOptions(usage=usage))
    assert memo.hits == 1


def test_cost_models_read_the_design_only_through_the_context() -> None:
    """The memo compares what ``ModelContext.ref`` and ``ModelContext.resolver`` recorded: a cost model
    reading the design another way (``ctx.design``, its own resolver) would escape the comparison."""
    resources = Path(engine.__file__).resolve().parent / "resources"
    offenders = [
        p.name
        for p in sorted(resources.glob("*.py"))
        if ".design" in (text := p.read_text(encoding="utf-8")).replace("cloudwright.design", "")
        or "Resolver" in text
    ]
    assert offenders == []


def test_charge_lines_are_shared_and_told_apart_by_quantity_text() -> None:
    """A charge's lines are made once per search and handed out in new lists; ``1`` and ``1.0`` are
    different quantities (the lines show the quantity as given); a price book's lines are made anew."""
    from cloudwright.pricing.catalog import load_catalog
    from cloudwright.pricing.model import Charge, PriceQuery

    query = PriceQuery("AWSDataTransfer", "us-east-1").where(transferType="AWS Outbound")
    one = Charge("Data out", Decimal("1"), "GB", query)
    shared: ChargeLines = {}
    pricer = engine._Pricer(load_catalog(), None, shared)
    row, tiers, a = pricer.charge_lines(one)
    _, _, b = pricer.charge_lines(one)
    assert row is not None and tiers and a == b and a is not b
    assert all(x is y for x, y in zip(a, b, strict=True)) and len(shared) == 1
    _, _, c = pricer.charge_lines(one._replace(quantity=Decimal("1.0")))
    assert len(shared) == 2 and str(c[0].quantity) == "1.0" and str(a[0].quantity) == "1"

    book = parse_price_book({"name": "deal", "discounts": {"AWSDataTransfer": 10}}, source="book")
    booked = engine._Pricer(load_catalog(), book, shared)
    _, _, d = booked.charge_lines(one)
    assert len(shared) == 2 and d != a and booked.used_discounts == {"AWSDataTransfer"}
