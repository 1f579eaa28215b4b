"""COST-ENV-001: development resources sized like production."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.design.model import Design
from cloudwright.review.context import Fix, Outcome, ReviewContext
from cloudwright.review.registry import check
from cloudwright.units import JsonValue


def _set(rid: str, prop: str, value: JsonValue) -> Fix:
    def fix(design: Design) -> None:
        design[rid].properties[prop] = value

    return fix


@check(
    id="COST-ENV-001",
    title="Development runs on minimal capacity",
    severity="low",
    types=["AWS::RDS::DBInstance", "AWS::ECS::Service", "AWS::ElastiCache::ReplicationGroup"],
    environments=["dev"],
    rationale="Development needs the same shape as production, not the same redundancy: Multi-AZ databases, "
    "several tasks and cache replicas in dev double the bill for no user benefit.",
    remediation="In dev use single-AZ databases, one task, one cache node, one NAT gateway (or none).",
    references=["COST02-BP05", "SUS02-BP03"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for r in ctx.resources("AWS::RDS::DBInstance"):
        if ctx.resolve(r.prop("MultiAZ")) is True:
            yield ctx.fail(
                r.logical_id, "Multi-AZ database in dev", "MultiAZ", fix=_set(r.logical_id, "MultiAZ", False)
            )
        else:
            yield ctx.ok(r.logical_id)
    for r in ctx.resources("AWS::ECS::Service"):
        n = ctx.as_number(r.prop("DesiredCount"))
        if n is not None and n > 1:
            yield ctx.fail(
                r.logical_id, f"{n:g} tasks in dev", "DesiredCount", fix=_set(r.logical_id, "DesiredCount", 1)
            )
        else:
            yield ctx.ok(r.logical_id)
    for r in ctx.resources("AWS::ElastiCache::ReplicationGroup"):
        n = ctx.as_number(r.prop("NumCacheClusters"))
        if n is not None and n > 1:
            yield ctx.fail(
                r.logical_id,
                f"{n:g} cache nodes in dev",
                "NumCacheClusters",
                fix=_set(r.logical_id, "NumCacheClusters", 1),
            )
        else:
            yield ctx.ok(r.logical_id)
