"""SEC-ELIG-001: services not confirmed eligible for the compliance regime."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="SEC-ELIG-001",
    title="Every service is eligible for the required compliance regime",
    severity="high",
    rationale="Under HIPAA only services covered by the AWS Business Associate Addendum may store or process "
    "ePHI; a service outside the list makes the whole design non-compliant.",
    remediation="Replace the service with an eligible one, or keep regulated data out of it (and document "
    "why).",
    references=["SEC01-BP03", "https://aws.amazon.com/compliance/hipaa-eligible-services-reference/"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    if not ctx.compliance:
        return
    from cloudwright.eligibility import check_design

    bad = check_design(ctx.design, ctx.compliance)
    if not bad and "HIPAA" not in ctx.compliance:
        yield ctx.unknown("design", "eligibility is only transcribed for HIPAA so far")
        return
    for item in bad:
        yield ctx.fail(
            item["logical_id"],
            f"{item['type']} ({item['service']}) is {item['status']} for {', '.join(ctx.compliance)}",
        )
    if not bad:
        yield ctx.ok("design")
