"""OPS-EOS-001: resources of services at (or past) end of support."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.facts import services
from cloudwright.review.registry import check


@check(
    id="OPS-EOS-001",
    title="No service at end of support is used",
    severity="high",
    rationale="AWS IoT Analytics, IoT Events and Pinpoint reach end of support (stop working) on announced "
    "dates; "
    "a design that depends on them has a fixed expiry date.",
    remediation="Migrate to the replacement AWS names for the service (shown in the finding) before the "
    "date.",
    references=[
        "OPS05-BP05",
        "SEC06-BP01",
        "https://docs.aws.amazon.com/iotanalytics/latest/userguide/iotanalytics-end-of-support.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    rules = services()["end_of_support"]
    found = False
    for r in ctx.resources():
        for rule in rules:
            if r.type.startswith(rule["prefix"]):
                when = date.fromisoformat(str(rule["date"]))
                state = "reached end of support" if when <= ctx.today else "reaches end of support"
                yield ctx.fail(
                    r.logical_id,
                    f"{rule['service']} {state} on {when.isoformat()}; use {rule['instead']}",
                )
                found = True
                break
    if not found:
        yield ctx.ok("design")
