"""SEC-RES-001: every Region the design uses — stacks, replicas and backup copies — is an allowed one."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="SEC-RES-001",
    title="Data stays in the allowed Regions (residency; GDPR Art. 44 transfers)",
    severity="high",
    rationale="A stack, a database replica or a backup copy in a Region outside the allowed set moves the "
    "data there: under GDPR that is a transfer to a third country (Art. 44) that needs an adequacy decision "
    "or safeguards. Users elsewhere can be served through the edge (CloudFront) without storing their data "
    "there.",
    remediation="Keep every stack, replica and backup copy inside allowed_regions (for GDPR: the EU "
    "Regions); serve distant users through CloudFront and keep personal data out of cached responses.",
    references=[
        "SEC01-BP01",
        "https://docs.aws.amazon.com/whitepapers/latest/navigating-gdpr-compliance/welcome.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    req = ctx.requirements
    if req is None:
        return
    from cloudwright import regions

    allowed = tuple(req.allowed_regions) or (("eu",) if "GDPR" in ctx.compliance else ())
    if not allowed:
        return
    bad = False
    for r in ctx.resources():
        outside = sorted(x for x in r.data_regions(ctx.resolve) if not regions.allows(allowed, x))
        if outside:
            bad = True
            yield ctx.fail(
                r.logical_id,
                f"{r.type} runs or keeps data in {', '.join(outside)}, outside {', '.join(allowed)}",
            )
    if not bad:
        yield ctx.ok("design")
