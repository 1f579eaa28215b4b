"""Step Functions state machine: STANDARD (state transitions) or EXPRESS (requests + GB-hours in
64 MB / 100 ms increments, tiered)."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import MB_PER_GB, ceil_to, charge, lit, mul

USAGE = (
    UsageKey(
        "monthly_transitions", "transitions/month", "State transitions per month (STANDARD, retries included)"
    ),
    UsageKey("monthly_requests", "executions/month", "Workflow executions per month (EXPRESS)"),
    UsageKey("workflow_duration_ms", "ms", "Average execution duration (EXPRESS; billed in 100 ms steps)"),
    UsageKey("memory_mb", "MB", "Memory used per execution (EXPRESS; billed in 64 MB chunks, default 64)"),
)


@cost_model("AWS::StepFunctions::StateMachine", service="AmazonStates", usage=USAGE, usage_only=True)
def state_machine(r: Resource, ctx: ModelContext) -> list[Charge]:
    """StateMachineType STANDARD (default) or EXPRESS."""
    kind = str(lit(ctx, r.prop("StateMachineType"), "STANDARD")).upper()
    if kind != "EXPRESS":
        return [
            charge(
                "State transitions (Standard)",
                ctx.num("monthly_transitions"),
                "transitions",
                ctx.q("AmazonStates", usagetype="re:(^|-)StateTransition$"),
                "monthly_transitions",
                pool="sfn-transitions",
            )
        ]
    requests = ctx.num("monthly_requests")
    duration = ctx.num("workflow_duration_ms")
    memory = ctx.num("memory_mb") or Decimal(64)
    billed_s = None if duration is None else ceil_to(max(duration, Decimal(1)), Decimal(100)) / 1000
    billed_gb = ceil_to(memory, Decimal(64)) / MB_PER_GB
    gb_hours = mul(requests, billed_s, billed_gb)
    return [
        charge(
            "Requests (Express)",
            requests,
            "requests",
            ctx.q("AmazonStates", usagetype="re:(^|-)ExpressWorkflow-Requests$"),
            "monthly_requests",
        ),
        charge(
            f"Duration (Express, {billed_gb * MB_PER_GB:.0f} MB billed)",
            None if gb_hours is None else gb_hours / 3600,
            "GB-hours",
            ctx.q("AmazonStates", usagetype="re:(^|-)ExpressWorkflow-Duration$"),
            "monthly_requests",
            "workflow_duration_ms",
            "memory_mb",
        ),
    ]
