"""REL-SLA-001: composite availability from published SLAs vs the availability target."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.availability import composite_availability
from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="REL-SLA-001",
    title="Composite availability of published SLAs reaches the availability target",
    severity="high",
    environments=["prod"],
    rationale="Services in series multiply their availabilities: five 99.9% services give at most 99.5%. If "
    "the "
    "product of the published SLAs is below the target, the target is not backed by any commitment.",
    remediation="Remove single-AZ components (their SLA is lower), put critical paths in parallel (multi-AZ, "
    "multi-Region active-active), or agree a lower target.",
    references=[
        "REL10-BP01",
        "REL13-BP01",
        ""
        "https://docs.aws.amazon.com/whitepapers/latest/availability-and-beyond-improving-resilience/availability.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    if ctx.requirements is None:
        return
    result = composite_availability(ctx)
    verdict = result["verdict"]
    if verdict == "below target":
        yield ctx.fail(
            "design",
            f"composite availability {result['composite_percent']:.3f}% "
            f"{'(upper bound) ' if result['is_upper_bound'] else ''}is below the "
            f"{result['target_percent']}% target",
        )
    elif verdict == "meets target":
        yield ctx.ok("design")
    else:
        missing = ", ".join(result["unknown_services"]) or "no service with a published SLA"
        yield ctx.unknown("design", f"composite availability unknown (no published SLA found for {missing})")
