"""REL-SLA-002: the availability target is above what the services' published SLAs in series commit to."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.availability import composite_availability
from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="REL-SLA-002",
    title="The availability target is backed by the published SLAs",
    severity="medium",
    environments=["prod"],
    rationale="Services in series multiply their availabilities: CloudFront 99.9% × API Gateway 99.95% × "
    "Lambda 99.95% × DynamoDB 99.99% commits to about 99.79%. A target above that product is an "
    "engineering goal AWS does not back; measured availability is usually higher, but nobody is "
    "accountable for the gap.",
    remediation="Agree the target with the published-SLA product in mind, shorten the critical path (the "
    "finding names the dependencies that hold it down), or — for a design that runs in one Region — run the "
    "regional stack in two Regions in parallel (active-active), which raises the commitment.",
    references=[
        "REL13-BP01",
        "REL10-BP01",
        "https://docs.aws.amazon.com/whitepapers/latest/availability-and-beyond-improving-resilience/availability.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    if ctx.requirements is None:
        return
    result = composite_availability(ctx)
    if result.verdict == "below target: SLA product":
        bound = " (upper bound: some services publish no SLA)" if result.is_upper_bound else ""
        limit = result.limiting_dependencies
        regions = result.regions
        already = (
            f"; the design already runs active-active in {len(regions)} Regions, so more Regions do not help"
            if len(regions) > 1
            else ""
        )
        yield ctx.fail(
            "design",
            f"the published SLAs in series give {result.multi_az_percent:.3f}%{bound} at best, below the "
            f"{result.target_percent}% target"
            + (f"; held down by {', '.join(limit)}" if limit else "")
            + already,
        )
    elif result.verdict == "unknown":
        yield ctx.unknown("design", "composite availability unknown (services without a published SLA)")
    else:
        yield ctx.ok("design")
