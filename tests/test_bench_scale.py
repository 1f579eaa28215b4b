"""Smoke test of the scale benchmark on tiny templates: it runs, measures, and reports ratios and
exponents (no timing is asserted)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[f"_bench_{name}"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_generated_templates_have_the_asked_size_and_the_issue_mix(tmp_path: Path) -> None:
    gen = _module("gen_templates")
    for n in (1, 7, 100):
        path = tmp_path / f"t{n}.yaml"
        gen.write(n, str(path))
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert len(doc["Resources"]) == n
    types = {r["Type"] for r in doc["Resources"].values()}
    assert {"AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::DynamoDB::Table", "AWS::Lambda::Function"} <= types
    assert "AWS::EC2::Instance" in types
    text = path.read_text(encoding="utf-8")
    assert "Fn::GetAtt" in text and "Fn::Sub" in text and "Ref" in text
    assert gen.template(50) == gen.template(50), "deterministic"


@pytest.mark.slow
def test_the_benchmark_runs_on_tiny_templates(tmp_path: Path, capsys) -> None:
    bench = _module("bench_scale")
    out = tmp_path / "bench.json"
    code = bench.main(
        [
            "--sizes",
            "6,12",
            "--tools",
            "estimate,review,import",
            "--design-repeat",
            "1",
            # two examples: the latency table's shape (designing every example is the golden tests' job)
            "--examples",
            "saas-startup,nightly-etl",
            "--json",
            str(out),
            "--markdown",
        ]
    )
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    runs = data["runs"]
    assert {(r["tool"], r["resources"]) for r in runs} == {
        (t, n) for t in ("estimate", "review", "import") for n in (6, 12)
    }
    assert all(r["exit_code"] == 0 and r["cpu_s"] > 0 and r["peak_mb"] > 0 for r in runs)
    assert set(data["design"]) == {"saas-startup", "nightly-etl"}, "the latency is measured per example"
    for row in data["design"].values():
        assert row["p95_ms"] >= row["p50_ms"] > 0
    text = capsys.readouterr().out
    assert "| 6 → 12 |" in text and "Growth exponent" in text and "p50" in text
