"""REL-LAMBDA-001: asynchronously invoked functions without a failure destination."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check

ASYNC_PRINCIPALS = ("sns.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com", "iot.amazonaws.com")


def async_functions(ctx: ReviewContext) -> set[str]:
    out: set[str] = set()
    for perm in ctx.resources("AWS::Lambda::Permission"):
        if ctx.resolve(perm.prop("Principal")) in ASYNC_PRINCIPALS:
            fn = ctx.ref_target(perm.prop("FunctionName"))
            if fn:
                out.add(fn)
    for sub in ctx.resources("AWS::SNS::Subscription"):
        if ctx.resolve(sub.prop("Protocol")) == "lambda":
            fn = ctx.ref_target(sub.prop("Endpoint"))
            if fn:
                out.add(fn)
    return out


@check(
    id="REL-LAMBDA-001",
    title="Asynchronously invoked functions keep failed events",
    severity="low",
    types=["AWS::Lambda::Function"],
    rationale="Lambda retries an asynchronous event twice and then drops it; without a dead-letter queue or "
    "an "
    "on-failure destination the event is lost silently.",
    remediation="Set DeadLetterConfig.TargetArn (SQS/SNS) or an AWS::Lambda::EventInvokeConfig with "
    "DestinationConfig.OnFailure.",
    references=["REL05-BP04", "checkov:CKV_AWS_116"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    configs = ctx.resources("AWS::Lambda::EventInvokeConfig")
    for fn_id in sorted(async_functions(ctx)):
        fn = ctx.get(fn_id)
        if fn is None or fn.type != "AWS::Lambda::Function":
            continue
        has_dlq = fn.prop("DeadLetterConfig.TargetArn") is not None
        has_dest = any(
            ctx.ref_target(c.prop("FunctionName")) == fn_id
            and c.prop("DestinationConfig.OnFailure") is not None
            for c in configs
        )
        if has_dlq or has_dest:
            yield ctx.ok(fn_id)
        else:
            yield ctx.fail(
                fn_id, "invoked asynchronously without a dead-letter queue or on-failure destination"
            )
