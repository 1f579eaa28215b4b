"""IoT Core topic rule (carries the device messaging of the design): messages, connectivity,
rules triggered and actions executed."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey("monthly_messages", "messages/month", "Device messages published/delivered (5 KB increments)"),
    UsageKey("device_count", "devices", "Connected devices (informational)"),
    UsageKey("monthly_connection_minutes", "minutes/month", "Device connection minutes"),
    UsageKey("monthly_rule_triggers", "rules/month", "Rule executions"),
    UsageKey("monthly_actions", "actions/month", "Rule actions executed"),
)


@cost_model("AWS::IoT::TopicRule", service="AWSIoT", usage=USAGE, usage_only=True)
def topic_rule(r: Resource, ctx: ModelContext) -> list[Charge]:
    """IoT Core prices were not found in the catalogue's sources: lines show price unknown."""
    svc = "AWSIoT"
    return [
        charge(
            "Messages",
            ctx.num("monthly_messages"),
            "messages",
            ctx.q(svc, usagetype="re:IoT-Messages$"),
            "monthly_messages",
        ),
        charge(
            "Connectivity",
            ctx.num("monthly_connection_minutes"),
            "minutes",
            ctx.q(svc, usagetype="re:IoT-Connection-Minutes$"),
            "monthly_connection_minutes",
        ),
        charge(
            "Rules triggered",
            ctx.num("monthly_rule_triggers"),
            "rules",
            ctx.q(svc, usagetype="re:IoT-Rules-Triggered$"),
            "monthly_rule_triggers",
        ),
        charge(
            "Actions executed",
            ctx.num("monthly_actions"),
            "actions",
            ctx.q(svc, usagetype="re:IoT-Actions-Executed$"),
            "monthly_actions",
        ),
    ]
