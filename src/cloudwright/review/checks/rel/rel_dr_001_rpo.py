"""REL-DR-001: recovery point achievable vs the requirement."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.availability import recovery_summary
from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="REL-DR-001",
    title="Each data store can meet the required recovery point (RPO)",
    severity="high",
    environments=["prod"],
    rationale="The RPO is how much data the business accepts to lose. A single-AZ database restored from "
    "backups loses up to about five minutes; with backups disabled it loses everything since the last "
    "snapshot.",
    remediation="Use Multi-AZ (synchronous standby, RPO 0) or a cross-region replica for tight RPOs; keep "
    "automated backups and PITR on every data store.",
    references=["REL13-BP01", "REL13-BP02", "REL09-BP01"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    if ctx.requirements is None:
        return
    target = ctx.requirements.rpo_minutes
    for comp in recovery_summary(ctx).components:
        if comp.model == "elasticache-failover":
            continue
        rid, rpo = comp.resource, comp.rpo_min
        if rpo is None:
            yield ctx.unknown(rid, f"RPO unknown: {comp.how}")
        elif rpo > target:
            yield ctx.fail(
                rid, f"achievable RPO ≈ {rpo:g} min ({comp.how}) exceeds the {target:g} min target"
            )
        else:
            yield ctx.ok(rid)
