"""OPS-LAMBDA-003: Lambda runtimes deprecated within six months."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.facts import runtime_deprecation, runtime_replacement
from cloudwright.review.registry import check

HORIZON = timedelta(days=183)


@check(
    id="OPS-LAMBDA-003",
    title="Lambda runtime is not deprecated within six months",
    severity="low",
    types=["AWS::Lambda::Function"],
    rationale="Upgrading a runtime needs testing; starting six months ahead of the deprecation date avoids a "
    "forced, rushed upgrade.",
    remediation="Plan the move to the language's current runtime now.",
    references=["OPS05-BP05", "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for fn in ctx.resources("AWS::Lambda::Function"):
        runtime = ctx.resolve(fn.prop("Runtime"))
        if not isinstance(runtime, str):
            continue
        when = runtime_deprecation(runtime)
        if when is not None and ctx.today < when <= ctx.today + HORIZON:
            yield ctx.fail(
                fn.logical_id,
                f"{runtime} is deprecated on {when.isoformat()}; plan the move to "
                f"{runtime_replacement(runtime)}",
                "Runtime",
            )
        else:
            yield ctx.ok(fn.logical_id)
