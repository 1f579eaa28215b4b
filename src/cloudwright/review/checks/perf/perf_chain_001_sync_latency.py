"""PERF-CHAIN-001: synchronous request chains longer than the latency target allows."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.facts import services
from cloudwright.review.registry import check


def longest_chain(ctx: ReviewContext) -> tuple[float, list[str]]:
    """The slowest path through the design's request edges: (estimated ms, logical ids)."""
    hop = float(services()["planning"]["hop_overhead_ms"])
    graph: dict[str, list[str]] = {}
    targets: set[str] = set()
    for e in ctx.design.sorted_edges():
        if e.kind == "request" and ctx.get(e.source) and ctx.get(e.target):
            graph.setdefault(e.source, []).append(e.target)
            targets.add(e.target)

    costs: dict[str, float] = {}
    for rid in {*graph, *targets}:
        r = ctx.get(rid)
        dur = r.usage.get("request_duration_ms") if r is not None else None
        costs[rid] = hop + (float(dur) if isinstance(dur, int | float) else 0.0)
    memo: dict[str, tuple[float, list[str]]] = {}

    worst: tuple[float, list[str]] = (0.0, [])
    for start in sorted(set(graph) - targets) or sorted(graph):
        cand = _slowest_from(start, frozenset({start}), graph, costs, memo)
        if cand[0] > worst[0]:
            worst = cand
    return worst


def _slowest_from(
    rid: str,
    seen: frozenset[str],
    graph: dict[str, list[str]],
    costs: dict[str, float],
    memo: dict[str, tuple[float, list[str]]],
) -> tuple[float, list[str]]:
    """The slowest path from ``rid`` (a module function, not a nested one: a recursive closure is a
    reference cycle that outlives the review until the cyclic garbage collector runs)."""
    if rid in memo:
        return memo[rid]
    best: tuple[float, list[str]] = (0.0, [])
    for nxt in graph.get(rid, []):
        if nxt in seen:
            continue
        cand = _slowest_from(nxt, seen | {nxt}, graph, costs, memo)
        if cand[0] > best[0]:
            best = cand
    out = (costs[rid] + best[0], [rid, *best[1]])
    memo[rid] = out
    return out


@check(
    id="PERF-CHAIN-001",
    title="Synchronous request chain fits the latency target",
    severity="medium",
    environments=["staging", "prod"],
    # the walk copies the path it has seen at every hop: time grows with resources × chain length
    complexity="quadratic",
    rationale="Every synchronous hop adds network time and the callee's processing time; a chain of services "
    "that each look fast can still miss the p95 target, and its availability is the product of all hops.",
    remediation="Shorten the chain: cache at the edge, call services in parallel, or make downstream work "
    "asynchronous (queue/event) and answer 202 Accepted.",
    references=["PERF05-BP01", "REL05-BP05", "REL04-BP02"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    target = ctx.latency_target_ms()
    if target is None:
        return
    ms, chain = longest_chain(ctx)
    if not chain:
        return
    if ms > target:
        yield ctx.fail(
            "design",
            f"estimated {ms:.0f} ms along {' → '.join(chain)} exceeds the p95 target of {target:.0f} ms "
            f"({services()['planning']['hop_overhead_ms']} ms per hop + function durations)",
        )
    else:
        yield ctx.ok("design")
