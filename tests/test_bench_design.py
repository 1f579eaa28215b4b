"""Smoke test of the design benchmark: it designs every example and reports p50/p95 and the budget
line (no timing is asserted)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_design_reports_every_example(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("_bench_design", ROOT / "benchmarks" / "bench_design.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["_bench_design"] = mod
    spec.loader.exec_module(mod)
    assert mod.main(["--repeat", "1", "--markdown"]) == 0
    out = capsys.readouterr().out
    examples = sorted(p.stem for p in (ROOT / "examples").glob("*.yaml"))
    rows = [line for line in out.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [r.split(" | ")[0].removeprefix("| ") for r in rows] == examples
    assert all(len(r.split(" | ")) == 7 for r in rows)
    assert "over the 150 ms budget:" in out


def test_p95_interpolates_between_ranks() -> None:
    spec = importlib.util.spec_from_file_location("_bench_design2", ROOT / "benchmarks" / "bench_design.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod._p95([1.0]) == 1.0
    assert mod._p95([float(i) for i in range(1, 22)]) == pytest.approx(20.0)
    assert mod._p95([0.0, 10.0]) == pytest.approx(9.5)
