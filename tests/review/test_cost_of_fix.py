"""Cost-of-fix figures: the incremental pricer reproduces the recorded whole-design figures exactly, and a
review never deep-copies or re-prices the whole design per finding."""

from __future__ import annotations

import json

from .cost_of_fix_cases import GOLDEN, pattern_cases, record


def test_cost_of_fix_figures_match_the_recorded_values() -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = record()
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
