"""OPS-LAMBDA-001: Lambda functions on a deprecated runtime."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.design.model import Design
from cloudwright.review.context import Fix, Outcome, ReviewContext
from cloudwright.review.facts import runtime_deprecation, runtime_replacement
from cloudwright.review.registry import check


def _set_runtime(fid: str, runtime: str) -> Fix:
    def fix(design: Design) -> None:
        design[fid].properties["Runtime"] = runtime

    return fix


@check(
    id="OPS-LAMBDA-001",
    title="Lambda runtime is still supported",
    severity="high",
    types=["AWS::Lambda::Function"],
    rationale="After its deprecation date a runtime gets no security patches and no support, and Lambda then "
    "blocks creating and updating functions that use it — the next deploy fails.",
    remediation="Move to the current runtime of the language (tested), e.g. nodejs22.x or python3.13.",
    references=[
        "OPS05-BP05",
        "SEC06-BP01",
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for fn in ctx.resources("AWS::Lambda::Function"):
        runtime = ctx.resolve(fn.prop("Runtime"))
        if fn.prop("Runtime") is None:
            continue  # container image functions have no managed runtime
        if not isinstance(runtime, str):
            yield ctx.unknown(fn.logical_id, "Runtime cannot be resolved")
            continue
        when = runtime_deprecation(runtime)
        if when is not None and when <= ctx.today:
            new = runtime_replacement(runtime)
            yield ctx.fail(
                fn.logical_id,
                f"{runtime} was deprecated on {when.isoformat()}; use {new}",
                "Runtime",
                fix=_set_runtime(fn.logical_id, new),
            )
        else:
            yield ctx.ok(fn.logical_id)
