"""REL-SQS-001: queues without a dead-letter queue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


def dlq_targets(ctx: ReviewContext) -> set[str]:
    """Queues used as a dead-letter queue or failure destination by any resource."""
    out: set[str] = set()
    for r in ctx.resources():
        _collect(r.properties, False, ctx, out)
    return out


def _collect(node: Any, inside: bool, ctx: ReviewContext, out: set[str]) -> None:
    """Add to ``out`` the queues ``node`` names inside a dead-letter or failure-destination setting (a
    module function, not a nested one: a recursive closure is a reference cycle holding the context)."""
    if isinstance(node, dict):
        target = ctx.ref_target(node) if inside else None
        if target:
            out.add(target)
        for k, v in node.items():
            _collect(v, inside or "deadletter" in k.lower() or k in ("RedrivePolicy", "OnFailure"), ctx, out)
    elif isinstance(node, list):
        for v in node:
            _collect(v, inside, ctx, out)
    elif inside and isinstance(node, str) and ctx.get(node) is not None:
        out.add(node)


@check(
    id="REL-SQS-001",
    title="Queues send poison messages to a dead-letter queue",
    severity="medium",
    types=["AWS::SQS::Queue"],
    rationale="Without a dead-letter queue a message that always fails is retried until it expires, blocking "
    "FIFO groups, burning consumer invocations and finally disappearing without trace.",
    remediation="Add a dead-letter queue and RedrivePolicy {deadLetterTargetArn, maxReceiveCount: 3-5}, "
    "with an "
    "alarm on the DLQ's ApproximateNumberOfMessagesVisible.",
    references=[
        "REL05-BP04",
        "REL04-BP02",
        ""
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    dlqs = dlq_targets(ctx)
    for q in ctx.resources("AWS::SQS::Queue"):
        if q.logical_id in dlqs:
            continue
        policy = q.prop("RedrivePolicy")
        if policy is None:
            yield ctx.fail(q.logical_id, "no RedrivePolicy (dead-letter queue)", "RedrivePolicy")
        else:
            yield ctx.ok(q.logical_id)
