"""SQS queue: requests in 64 KB chunks (Standard or FIFO)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, chunks, mul, truthy

USAGE = (
    UsageKey("monthly_requests", "requests/month", "API actions (send, receive, delete, ...) per month"),
    UsageKey("request_size_kb", "KB", "Average payload size (billed in 64 KB chunks)"),
)


@cost_model("AWS::SQS::Queue", service="AWSQueueService", usage=USAGE, usage_only=True)
def queue(r: Resource, ctx: ModelContext) -> list[Charge]:
    """FifoQueue selects the FIFO price."""
    fifo = truthy(ctx, r.prop("FifoQueue"))
    units = chunks(ctx.num("request_size_kb"), 64)
    return [
        charge(
            ("FIFO" if fifo else "Standard")
            + " requests"
            + (f" ({units} x 64 KB chunks each)" if units > 1 else ""),
            mul(ctx.num("monthly_requests"), units),
            "requests",
            ctx.q(
                "AWSQueueService", usagetype="re:(^|-)Requests-FIFO-RBP$" if fifo else "re:(^|-)Requests-RBP$"
            ),
            "monthly_requests",
            "request_size_kb",
        )
    ]
