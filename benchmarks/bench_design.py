"""Design benchmark: the whole in-process ``run_design`` (gates, every candidate designed and priced,
the cost sensitivity at 0.5×–10× load, review and assembly) for every example, warm.

    .venv/bin/python benchmarks/bench_design.py [--repeat 7] [--markdown] [--examples a,b]

The examples are designed round robin (every example once per round, ``--repeat`` rounds), so a slow
spell of a shared machine spreads over every example. Reports, per example, the median (p50) and 95th-percentile (p95) wall-clock and CPU times of this
process (the CPU figure is what the work costs when other processes compete for the cores), and the
number of candidates designed. The budget is a CPU p50 of at most 150 ms per example. Results are
recorded in docs/benchmarks.md. Tests never assert timings.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from cloudwright.pipeline import run_design
from cloudwright.requirements import load_requirements

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: The in-process design budget per example (CPU p50, ms).
BUDGET_MS = 150


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--examples", help="comma-separated example names (default: every example)")
    args = ap.parse_args(argv)
    files = sorted(EXAMPLES.glob("*.yaml"))
    if args.examples:
        wanted = set(args.examples.split(","))
        unknown = wanted - {p.stem for p in files}
        if unknown:
            ap.error(f"unknown example(s): {', '.join(sorted(unknown))}")
        files = [p for p in files if p.stem in wanted]
    run_design(load_requirements(files[0]))  # warm: catalogue, cost models, patterns
    reqs = [load_requirements(path) for path in files]
    times: list[list[float]] = [[] for _ in files]
    cpu: list[list[float]] = [[] for _ in files]
    results: list[Any] = [None for _ in files]
    # round robin: each round designs every example once, so a slow spell of the machine is shared by
    # every example instead of landing on the few measured while it lasts
    for _ in range(args.repeat):
        for i, req in enumerate(reqs):
            t0, c0 = time.perf_counter(), time.process_time()
            results[i] = run_design(req)
            times[i].append(time.perf_counter() - t0)
            cpu[i].append(time.process_time() - c0)
    rows = []
    for path, result, ts, cs in zip(files, results, times, cpu, strict=True):
        assert result is not None
        n = 1 + sum(1 for a in result.alternatives if a.candidate)
        rows.append(
            (
                path.stem,
                result.pattern.id,
                n,
                statistics.median(ts) * 1000,
                statistics.median(cs) * 1000,
                _p95(ts) * 1000,
                _p95(cs) * 1000,
            )
        )
    p50_all = statistics.median(r[3] for r in rows)
    cpu_all = statistics.median(r[4] for r in rows)
    worst = max(rows, key=lambda r: r[4])
    over = [r[0] for r in rows if r[4] > BUDGET_MS]
    if args.markdown:
        print(
            f"Python {platform.python_version()} on {platform.machine()}, {args.repeat} runs per example.\n"
        )
        print("| example | chosen | candidates | wall p50 ms | CPU p50 ms | wall p95 ms | CPU p95 ms |")
        print("|---|---|---|---|---|---|---|")
        for name, chosen, n, p50, c50, p95, c95 in rows:
            print(f"| {name} | {chosen} | {n} | {p50:.0f} | {c50:.0f} | {p95:.0f} | {c95:.0f} |")
        print(f"\nMedian of the per-example p50s: wall {p50_all:.0f} ms, CPU {cpu_all:.0f} ms.")
    else:
        for name, chosen, n, p50, c50, p95, c95 in rows:
            print(
                f"{name:24s} {chosen:28s} candidates={n}  wall p50={p50:6.0f} p95={p95:6.0f} ms  "
                f"CPU p50={c50:6.0f} p95={c95:6.0f} ms"
            )
        print(f"median p50: wall {p50_all:.0f} ms, CPU {cpu_all:.0f} ms")
    print(
        f"slowest: {worst[0]} CPU p50 {worst[4]:.0f} ms; over the {BUDGET_MS} ms budget: "
        + (", ".join(over) if over else "none")
    )
    return 0


def _p95(values: list[float]) -> float:
    """The 95th percentile (linear interpolation between the closest ranks)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


if __name__ == "__main__":
    sys.exit(main())
