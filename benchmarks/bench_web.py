"""Web benchmark: designs per second under N concurrent clients against a running server.

Starts ``cloudwright serve`` (one uvicorn worker, SQLite workspace in a temporary directory, or the
database given with --database-url), then N clients send requests back to back for a fixed time:

- ``design``: ``POST /api/design`` (design, price and review; nothing saved);
- ``save``: ``POST /api/designs`` (the same, plus rendering every download and saving version 1).

Requirements vary per request (users and load) so nothing is served from a cache.

    .venv/bin/python benchmarks/bench_web.py [--clients 10] [--seconds 20] [--markdown]

Results are recorded in docs/benchmarks.md. Tests never assert timings.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import httpx


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _requirements(i: int) -> dict[str, object]:
    return {
        "name": f"bench-{i}",
        "application_type": ("web_application", "saas_platform", "mobile_backend")[i % 3],
        "expected_users": 1000 + (i * 37) % 50_000,
        "requests_per_second": 5 + (i * 13) % 200,
    }


def run(base: str, kind: str, clients: int, seconds: float) -> tuple[int, int, list[float]]:
    done = 0
    failed = 0
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))

    def client() -> None:
        nonlocal done, failed
        with httpx.Client(base_url=base, timeout=120) as c:
            while time.monotonic() < stop:
                i = next(counter)
                start = time.monotonic()
                if kind == "design":
                    r = c.post("/api/design", json=_requirements(i))
                    ok = r.status_code == 200
                else:
                    r = c.post("/api/designs", json={"name": f"bench-{i}", "requirements": _requirements(i)})
                    ok = r.status_code == 201
                with lock:
                    if ok:
                        done += 1
                        latencies.append(time.monotonic() - start)
                    else:
                        failed += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done, failed, latencies


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--workers", type=int, default=1, help="server worker processes")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()

    home = tempfile.mkdtemp(prefix="cw-bench-")
    port = _port()
    cmd = [sys.executable, "-m", "cloudwright", "serve", "--port", str(port), "--workers", str(args.workers)]
    if args.database_url:
        cmd += ["--database-url", args.database_url]
    env = {**os.environ, "CLOUDWRIGHT_HOME": home}
    env.pop("CLOUDWRIGHT_DATABASE_URL", None)
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/patterns", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.2)
        httpx.post(base + "/api/designs", json={"name": "warm-up"}, timeout=120)  # load caches once
        rows = []
        for kind in ("design", "save"):
            done, failed, lat = run(base, kind, args.clients, args.seconds)
            rate = done / args.seconds
            p50 = statistics.median(lat) if lat else float("nan")
            p95 = statistics.quantiles(lat, n=20)[-1] if len(lat) >= 20 else max(lat, default=float("nan"))
            rows.append((kind, args.clients, done, failed, rate, p50, p95))
    finally:
        server.terminate()
        server.wait(timeout=30)

    cpus = os.cpu_count()
    if args.markdown:
        print(
            f"Python {platform.python_version()}, {platform.machine()}, {cpus} CPUs, "
            f"{args.seconds:g} s per run, {args.workers} server worker(s)"
        )
        print()
        print("| Request | Clients | Completed | Failed | Designs/s | p50 latency (s) | p95 latency (s) |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for kind, n, done, failed, rate, p50, p95 in rows:
            label = "POST /api/design (no save)" if kind == "design" else "POST /api/designs (save)"
            print(f"| {label} | {n} | {done} | {failed} | {rate:.2f} | {p50:.2f} | {p95:.2f} |")
    else:
        for kind, n, done, failed, rate, p50, p95 in rows:
            print(
                f"{kind:7s} clients={n} done={done} failed={failed} rate={rate:.2f}/s "
                f"p50={p50:.2f}s p95={p95:.2f}s"
            )


if __name__ == "__main__":
    main()
