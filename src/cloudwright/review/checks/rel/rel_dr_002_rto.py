"""REL-DR-002: recovery time achievable vs the requirement."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.availability import recovery_summary
from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="REL-DR-002",
    title="Each component can recover within the required time (RTO)",
    severity="high",
    environments=["prod"],
    rationale="The RTO is how long the business accepts to be down. Multi-AZ components fail over in "
    "minutes; "
    "a single-AZ tier or a restore from backup can take far longer than the target.",
    remediation="Make every tier multi-AZ (automatic failover in 1-2 minutes); for regional failures add a "
    "warm "
    "standby Region with health-checked DNS failover.",
    references=["REL13-BP01", "REL13-BP02", "REL10-BP01"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    if ctx.requirements is None:
        return
    target = ctx.requirements.rto_minutes
    objectives = recovery_summary(ctx)
    region = objectives.region_failure
    if region is not None:
        from cloudwright.dr import targets

        given, _ = targets(ctx.requirements)
        if given is not None and region.rto_minutes > given:
            yield ctx.fail(
                "design",
                f"a Region outage takes ≈ {region.rto_minutes:g} min to recover with {region.name}, "
                f"above the {given:g} min target",
            )
    for comp in objectives.components:
        rid, rto = comp.resource, comp.rto_min
        if rto is None:
            yield ctx.unknown(rid, f"RTO unknown: {comp.note or comp.how}")
        elif rto > target:
            yield ctx.fail(rid, f"recovery takes ≈ {rto:g} min ({comp.how}), above the {target:g} min target")
        else:
            yield ctx.ok(rid)
