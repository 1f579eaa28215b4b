"""Golden tests: one per cost model — template + usage file → the expected line items (JSON and Markdown).

Regenerate with ``CLOUDWRIGHT_UPDATE_GOLDENS=1 .venv/bin/pytest tests/pricing/test_golden.py`` and
review the diff like infracost's golden outputs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cloudwright.pricing.engine import PricingOptions, price_design
from cloudwright.pricing.render import render_markdown
from cloudwright.pricing.template import load_template
from cloudwright.pricing.usage import check_usage_keys, load_usage_file

GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDENS = os.environ.get("CLOUDWRIGHT_UPDATE_GOLDENS") == "1"

CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def estimate_case(case: Path) -> tuple[str, str]:
    design = load_template(case / "template.yaml")
    usage = load_usage_file(case / "usage.yml")
    assert check_usage_keys(design, usage) == []
    est = price_design(design, PricingOptions(usage=usage))
    return json.dumps(est.to_dict(), indent=2) + "\n", render_markdown(est)


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    case = GOLDEN / name
    got_json, got_md = estimate_case(case)
    if UPDATE_GOLDENS:
        (case / "expected.json").write_text(got_json, encoding="utf-8")
        (case / "expected.md").write_text(got_md, encoding="utf-8")
    assert (case / "expected.json").exists(), f"no golden for {name}: run with CLOUDWRIGHT_UPDATE_GOLDENS=1"
    assert got_json == (case / "expected.json").read_text(encoding="utf-8")
    assert got_md == (case / "expected.md").read_text(encoding="utf-8")
