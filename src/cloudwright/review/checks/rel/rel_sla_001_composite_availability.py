"""REL-SLA-001: single-AZ components pull the composite availability below the target."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.availability import composite_availability
from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="REL-SLA-001",
    title="No single-AZ component pulls availability below the target",
    severity="high",
    environments=["prod"],
    rationale="AWS commits to less for single-AZ deployments (EC2 instance 99.5%, single-AZ RDS 99.5%, "
    "one-AZ load balancer 99.9%) than for multi-AZ ones. When the composite of the published SLAs meets "
    "the target with every component multi-AZ but not as designed, the single-AZ parts are the gap.",
    remediation="Make the single-AZ components multi-AZ (RDS MultiAZ, subnets and tasks in two or more AZs, "
    "load balancer in two or more AZs).",
    references=[
        "REL10-BP01",
        "REL13-BP01",
        "https://docs.aws.amazon.com/whitepapers/latest/availability-and-beyond-improving-resilience/availability.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    if ctx.requirements is None:
        return
    result = composite_availability(ctx)
    if result.verdict == "below target: single-AZ components":
        single = sorted(r for c in result.components if c.form == "single_az" for r in c.resources)
        yield ctx.fail(
            "design",
            f"composite availability {result.composite_percent:.3f}% is below the "
            f"{result.target_percent}% target; with {', '.join(single)} multi-AZ it would be "
            f"{result.multi_az_percent:.3f}%",
        )
    elif result.verdict == "unknown":
        yield ctx.unknown("design", "composite availability unknown (services without a published SLA)")
    else:
        yield ctx.ok("design")
