"""REL-QUOTA-001: the sized design exceeds a default service quota."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.quotas import check_quotas
from cloudwright.review.registry import check


@check(
    id="REL-QUOTA-001",
    title="The sized design fits the default service quotas",
    severity="high",
    rationale="A design that needs more than the account's default quota (Lambda concurrency, API Gateway "
    "throttle, VPCs, NAT gateways per AZ …) is throttled or fails to deploy at the worst moment.",
    remediation="Request the increase before launch (Service Quotas console or API; the finding names the "
    "quota "
    "and code) or change the design to need less.",
    references=[
        "REL01-BP01",
        "REL01-BP04",
        "https://docs.aws.amazon.com/servicequotas/latest/userguide/request-quota-increase.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for q in check_quotas(ctx):
        rid = q.resources[0] if q.resources else "design"
        if q.breach:
            yield ctx.fail(
                rid,
                f"needs {q.needed:,.0f} {q.unit} ({q.detail}) but the default quota "
                f"'{q.name}' is {q.default:,.0f}. {q.how_to_raise}",
            )
        else:
            yield ctx.ok(rid)
