"""Cost-of-fix figures: the incremental pricer reproduces the recorded whole-design figures exactly, and a
review never deep-copies or re-prices the whole design per finding."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .cost_of_fix_cases import GOLDEN, pattern_cases, record


def _exact(cases: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Deltas as Decimal values: equal amounts compare equal whatever their trailing zeros (the old
    figures carried the exponent of the whole design's sum; every output rounds to cents)."""
    return {
        name: [{**f, "delta": None if f["delta"] is None else Decimal(f["delta"])} for f in findings]
        for name, findings in cases.items()
    }


def test_cost_of_fix_figures_match_the_recorded_values() -> None:
    expected = _exact(json.loads(GOLDEN.read_text(encoding="utf-8")))
    actual = _exact(record())
    assert sorted(actual) == sorted(expected)
    differ = [name for name in sorted(expected) if actual[name] != expected[name]]
    assert not differ, f"{len(differ)} case(s) differ, first {differ[0]}: {actual[differ[0]]}"
    assert sum(1 for v in expected.values() for f in v if f["delta"] is not None) >= 100


def test_the_cases_cover_every_pattern_and_environment() -> None:
    from cloudwright.patterns.catalog import load_patterns

    names = {name for name, *_ in pattern_cases()}
    for pattern_id in load_patterns():
        for env in ("dev", "staging", "prod"):
            assert any(f"/{pattern_id}/{env}/" in n for n in names)


def _synthetic(n: int):
    import importlib.util
    from pathlib import Path

    import yaml

    from cloudwright.design.cfn_import import import_template

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "gen_templates.py"
    spec = importlib.util.spec_from_file_location("gen_templates", path)
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return import_template, yaml.safe_dump(gen.template(n), sort_keys=False)


def test_a_review_never_copies_or_reprices_the_whole_design_per_finding(monkeypatch, tmp_path) -> None:
    import cloudwright.pricing.engine as engine
    from cloudwright.design.model import Design
    from cloudwright.review import costs
    from cloudwright.review.engine import review_design

    import_template, text = _synthetic(300)
    src = tmp_path / "t.yaml"
    src.write_text(text, encoding="utf-8")
    design = import_template(src)
    n = len(design.resources)

    copies: list[bool] = []
    real_copy = Design.model_copy

    def spy_copy(self, *args, **kwargs):
        copies.append(bool(kwargs.get("deep")))
        return real_copy(self, *args, **kwargs)

    sizes: list[int] = []
    real_price = engine.price_design

    def spy_price(d, options=None):
        sizes.append(len(d.resources))
        return real_price(d, options)

    views: list[object] = []
    real_init = costs.FixView.__init__

    def spy_view(self, d):
        views.append(self)
        real_init(self, d)

    monkeypatch.setattr(costs.FixView, "__init__", spy_view)
    monkeypatch.setattr(Design, "model_copy", spy_copy)
    monkeypatch.setattr(engine, "price_design", spy_price)
    review = review_design(design)

    priced = [f for f in review.findings if f.cost_delta_usd is not None]
    assert len(priced) >= 40, "the synthetic template has many fixes with a price"
    assert copies == [], "the design is never copied"
    assert sizes, "fixes are priced"
    # one "before" pricing of every resource a fix touches, shared by all fixes …
    assert sizes[0] <= n
    # … then one "after" pricing per fix, of the few resources that fix touches
    assert max(sizes[1:]) <= 10, f"a fix is priced on a few resources, not the design of {n}"
    assert len(sizes) <= 1 + len(views), "at most one pricing per fix after the shared one"
    assert len(views) <= len(review.findings), "each fix is applied once"
    assert sum(sizes) <= n + 10 * (len(sizes) - 1)


def test_findings_on_one_resource_share_the_before_pricing(monkeypatch) -> None:
    from cloudwright.design.model import Design, Resource
    from cloudwright.review.context import Outcome
    from cloudwright.review.costs import CostDeltas
    from cloudwright.review.model import Status

    design = Design(
        resources=[
            Resource(logical_id="Web", type="AWS::EC2::Instance", properties={"InstanceType": "m5.large"}),
            Resource(logical_id="Other", type="AWS::EC2::Instance", properties={"InstanceType": "m5.large"}),
        ]
    )

    def set_type(value: str):
        def fix(d: Design) -> None:
            d["Web"].properties["InstanceType"] = value

        return fix

    pricer = CostDeltas(design)
    small, smaller = (Outcome(Status.FAIL, "Web", fix=set_type(t)) for t in ("m5.large", "t3.micro"))
    assert pricer.delta(small) == (None, "")
    delta, _ = pricer.delta(smaller)
    assert delta is not None and delta < 0
    # before: once for Web; after: once per fix; the other instance is never priced
    assert pricer.pricings == 3
    assert pricer.priced_resources == 3
    assert design["Web"].properties["InstanceType"] == "m5.large", "the design itself is untouched"


def test_a_fix_that_cannot_be_applied_says_which() -> None:
    from cloudwright.design.model import Design, Resource
    from cloudwright.review.context import Outcome
    from cloudwright.review.costs import CostDeltas
    from cloudwright.review.model import Status

    design = Design(resources=[Resource(logical_id="Web", type="AWS::EC2::Instance")])

    def broken(d: Design) -> None:
        d["Missing"].properties["InstanceType"] = "t3.micro"

    delta, note = CostDeltas(design).delta(Outcome(Status.FAIL, "Web", fix=broken))
    assert delta is None
    assert note.startswith("cost delta unknown") and "Web" in note and "Missing" in note
