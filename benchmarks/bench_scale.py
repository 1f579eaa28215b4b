"""Scale benchmark: CPU time of ``estimate``, ``review`` and ``import`` next to cfn-lint and checkov on the
same generated templates in the same run, their growth exponents, peak memory, and the in-process
``design`` p50/p95 per example requirements file.

    .venv/bin/python benchmarks/bench_scale.py                        # 100 / 1,000 / 5,000 / 20,000
    .venv/bin/python benchmarks/bench_scale.py --sizes 100,1000 --markdown --json out.json

Each command runs as its own process on a generated template (benchmarks/gen_templates.py); its CPU
time (user + system) and peak resident memory come from the operating system (``wait4``). The growth
exponent between two sizes is ``log(t2 / t1) / log(n2 / n1)``: 1 is linear, 2 quadratic. Peers above
``--peer-max`` resources are skipped and a command that runs past ``--timeout`` seconds is stopped and
reported as such. Results are recorded in docs/benchmarks.md; tests never assert timings.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen_templates  # noqa: E402

BIN = Path(sys.executable).parent
TOOLS: dict[str, list[str]] = {
    "estimate": [str(BIN / "cloudwright"), "estimate", "{t}"],
    "review": [str(BIN / "cloudwright"), "review", "{t}"],
    "import": [str(BIN / "cloudwright"), "import", "{t}"],
    "cfn-lint": [str(BIN / "cfn-lint"), "{t}"],
    "checkov": [
        str(BIN / "checkov"),
        "-f",
        "{t}",
        "--framework",
        "cloudformation",
        "--quiet",
        "--compact",
        "--skip-download",
    ],
}
OURS = ("estimate", "review", "import")
PEERS = ("cfn-lint", "checkov")


@dataclass
class Run:
    tool: str
    resources: int
    cpu_s: float | None
    peak_mb: float | None
    wall_s: float
    exit_code: int | None
    note: str = ""


def run_one(tool: str, template: Path, n: int, timeout: float) -> Run:
    cmd = [part.replace("{t}", str(template)) for part in TOOLS[tool]]
    env = dict(os.environ, NO_COLOR="1", COLUMNS="120")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            return Run(tool, n, None, None, wall, None, f"stopped after {timeout:.0f} s")
        time.sleep(0.05)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    return Run(tool, n, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, wall, code)


def exponent(runs: list[Run], tool: str, n1: int, n2: int) -> float | None:
    t = {r.resources: r.cpu_s for r in runs if r.tool == tool}
    a, b = t.get(n1), t.get(n2)
    if not a or not b:
        return None
    return math.log(b / a) / math.log(n2 / n1)


def design_latency(repeat: int, only: set[str] | None = None) -> dict[str, dict[str, float]]:
    """In-process ``run_design`` per example (after one warm-up), and the share of each stage."""
    from cloudwright.design.build import build_design
    from cloudwright.pipeline import assemble
    from cloudwright.pricing.engine import PricingOptions, price_design
    from cloudwright.requirements import load_requirements, looks_like_requirements, read_document
    from cloudwright.review.engine import review_design

    out: dict[str, dict[str, float]] = {}
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        if (only and path.stem not in only) or not looks_like_requirements(read_document(path)):
            continue
        req = load_requirements(path)
        stages: dict[str, list[float]] = {
            s: [] for s in ("recommend", "build", "price", "review", "assemble")
        }
        totals: list[float] = []
        for i in range(repeat + 1):
            from cloudwright.patterns.catalog import load_patterns
            from cloudwright.patterns.recommend import recommend

            t0 = time.perf_counter()
            rec = recommend(req)
            t1 = time.perf_counter()
            design = build_design(req, pattern_id=rec.pattern.id, environment="prod")
            t2 = time.perf_counter()
            estimate = price_design(design, PricingOptions())
            t3 = time.perf_counter()
            review = review_design(design, req, estimate=estimate)
            t4 = time.perf_counter()
            assemble(
                req,
                design,
                estimate,
                pattern=load_patterns()[rec.pattern.id],
                recommendation=rec,
                review=review,
            )
            t5 = time.perf_counter()
            if i == 0:
                continue  # warm-up: data files load once per process
            for name, (a, b) in zip(stages, [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t4, t5)], strict=True):
                stages[name].append(b - a)
            totals.append(t5 - t0)
        totals.sort()
        row = {
            "p50_ms": 1000 * statistics.median(totals),
            "p95_ms": 1000 * totals[min(len(totals) - 1, math.ceil(0.95 * len(totals)) - 1)],
        }
        for name, values in stages.items():
            row[f"{name}_ms"] = 1000 * statistics.median(values)
        out[path.stem] = row
    return out


def markdown(runs: list[Run], sizes: list[int], design: dict[str, dict[str, float]]) -> str:
    tools = [t for t in (*OURS, *PEERS) if any(r.tool == t for r in runs)]
    cell: dict[tuple[str, int], Run] = {(r.tool, r.resources): r for r in runs}

    def fmt(r: Run | None) -> str:
        if r is None:
            return "not run"
        if r.cpu_s is None:
            return r.note
        bad = r.tool in OURS and r.exit_code not in (0, 1)
        return f"{r.cpu_s:.2f}" + (f" (exit {r.exit_code})" if bad else "")

    lines = [
        f"Run on {time.strftime('%Y-%m-%d', time.gmtime())} · Python {platform.python_version()} · "
        f"{platform.machine()} {platform.system()} · {os.cpu_count()} CPUs",
        "",
        "CPU seconds (user + system) per command:",
        "",
        "| resources | " + " | ".join(f"`{t}`" if t in OURS else t for t in tools) + " |",
        "|---:|" + "---:|" * len(tools),
    ]
    for n in sizes:
        lines.append(f"| {n:,} | " + " | ".join(fmt(cell.get((t, n))) for t in tools) + " |")
    lines += ["", "Peak resident memory (MB):", "", "| resources | " + " | ".join(tools) + " |"]
    lines.append("|---:|" + "---:|" * len(tools))
    for n in sizes:
        row = []
        for t in tools:
            r = cell.get((t, n))
            row.append("—" if r is None or r.peak_mb is None else f"{r.peak_mb:,.0f}")
        lines.append(f"| {n:,} | " + " | ".join(row) + " |")
    pairs = list(itertools.pairwise(sizes))
    if pairs:
        lines += ["", "Growth exponent (1 = linear, 2 = quadratic):", ""]
        lines.append("| sizes | " + " | ".join(tools) + " |")
        lines.append("|---|" + "---:|" * len(tools))
        for a, b in pairs:
            vals = [exponent(runs, t, a, b) for t in tools]
            lines.append(
                f"| {a:,} → {b:,} | " + " | ".join("—" if v is None else f"{v:.2f}" for v in vals) + " |"
            )
    ratios = []
    for n in sizes:
        ck = cell.get(("checkov", n))
        if ck is None or not ck.cpu_s:
            continue
        for t in ("review", "import"):
            r = cell.get((t, n))
            if r is not None and r.cpu_s:
                ratios.append(f"| {n:,} | `{t}` | {r.cpu_s / ck.cpu_s:.2f} |")
    if ratios:
        lines += ["", "CPU time relative to checkov on the same file (≤ 1 is at most checkov's):", ""]
        lines += ["| resources | command | ratio |", "|---:|---|---:|", *ratios]
    if design:
        lines += ["", "In-process `design` per example (ms; stages are medians):", ""]
        cols = ["p50_ms", "p95_ms", "recommend_ms", "build_ms", "price_ms", "review_ms", "assemble_ms"]
        lines.append("| example | " + " | ".join(c.removesuffix("_ms") for c in cols) + " |")
        lines.append("|---|" + "---:|" * len(cols))
        for name, row in design.items():
            lines.append(f"| {name} | " + " | ".join(f"{row[c]:.1f}" for c in cols) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,5000,20000", help="comma-separated resource counts")
    ap.add_argument("--tools", default=",".join((*OURS, *PEERS)), help="which commands to run")
    ap.add_argument("--peer-max", type=int, default=20000, help="run cfn-lint/checkov up to this size")
    ap.add_argument("--timeout", type=float, default=1800.0, help="stop a command after this many seconds")
    ap.add_argument("--design-repeat", type=int, default=20, help="designs per example (0: skip)")
    ap.add_argument("--examples", default="", help="only these examples/*.yaml (comma-separated stems)")
    ap.add_argument("--json", type=Path, help="also write the raw results here")
    ap.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    tools = [t for t in args.tools.split(",") if t]
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        ap.error(f"unknown tool {unknown[0]}; allowed: {', '.join(TOOLS)}")
    runs: list[Run] = []
    workdir = Path(tempfile.mkdtemp(prefix="cloudwright-bench-"))
    try:
        for n in sizes:
            template = workdir / f"template-{n}.yaml"
            gen_templates.write(n, str(template))
            for tool in tools:
                if tool in PEERS and n > args.peer_max:
                    continue
                run = run_one(tool, template, n, args.timeout)
                runs.append(run)
                shown = f"{run.cpu_s:.2f} s CPU" if run.cpu_s is not None else run.note
                print(
                    f"{n:>6} {tool:<9} {shown}, peak {run.peak_mb or 0:.0f} MB", file=sys.stderr, flush=True
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    only = {e for e in args.examples.split(",") if e} or None
    design = design_latency(args.design_repeat, only) if args.design_repeat > 0 else {}
    if args.json:
        args.json.write_text(
            json.dumps({"runs": [asdict(r) for r in runs], "design": design}, indent=1, sort_keys=True)
            + "\n",
            encoding="utf-8",
        )
    print(markdown(runs, sizes, design) if args.markdown else json.dumps([asdict(r) for r in runs], indent=1))
    failed = [r for r in runs if r.exit_code not in (0, 1) and r.tool in OURS]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
