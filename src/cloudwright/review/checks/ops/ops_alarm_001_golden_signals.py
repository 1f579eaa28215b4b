"""OPS-ALARM-001: serving resources without alarms on their golden signals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check

#: Type → golden signal → CloudWatch metric names that cover it (any one is enough).
SIGNALS: dict[str, dict[str, tuple[str, ...]]] = {
    "AWS::ElasticLoadBalancingV2::LoadBalancer": {
        "errors": ("HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "UnHealthyHostCount"),
        "latency": ("TargetResponseTime",),
    },
    "AWS::ApiGateway::RestApi": {"errors": ("5XXError",), "latency": ("Latency", "IntegrationLatency")},
    "AWS::ApiGatewayV2::Api": {"errors": ("5xx", "5XXError"), "latency": ("Latency", "IntegrationLatency")},
    "AWS::AppSync::GraphQLApi": {"errors": ("5XXError",), "latency": ("Latency",)},
    "AWS::Lambda::Function": {"errors": ("Errors",), "saturation": ("Throttles", "ConcurrentExecutions")},
    "AWS::RDS::DBInstance": {
        "saturation": ("CPUUtilization", "FreeStorageSpace", "DatabaseConnections", "FreeableMemory"),
    },
    "AWS::RDS::DBCluster": {
        "saturation": (
            "CPUUtilization",
            "DatabaseConnections",
            "FreeableMemory",
            "ACUUtilization",
            "ServerlessDatabaseCapacity",
        ),
    },
    "AWS::ECS::Service": {"saturation": ("CPUUtilization", "MemoryUtilization")},
    "AWS::SQS::Queue": {"backlog": ("ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible")},
    "AWS::DynamoDB::Table": {
        "errors": (
            "ThrottledRequests",
            "ReadThrottleEvents",
            "WriteThrottleEvents",
            "SystemErrors",
            "UserErrors",
        ),
    },
    "AWS::Kinesis::Stream": {
        "backlog": (
            "GetRecords.IteratorAgeMilliseconds",
            "WriteProvisionedThroughputExceeded",
            "ReadProvisionedThroughputExceeded",
        ),
    },
    "AWS::StepFunctions::StateMachine": {
        "errors": ("ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted")
    },
}
MONITORED = tuple(SIGNALS)
#: Network load balancers publish no latency metric (layer 4); errors are unhealthy targets and resets.
NLB_SIGNALS: dict[str, tuple[str, ...]] = {
    "errors": ("UnHealthyHostCount", "TCP_Target_Reset_Count", "TCP_ELB_Reset_Count"),
}


def _metric_names(alarm: Any) -> set[str]:
    names = set()
    if isinstance(alarm.prop("MetricName"), str):
        names.add(alarm.prop("MetricName"))
    for m in alarm.prop("Metrics") or []:
        name = m.get("MetricStat", {}).get("Metric", {}).get("MetricName") if isinstance(m, dict) else None
        if isinstance(name, str):
            names.add(name)
    return names


def _dimension_values(alarm: Any) -> list[Any]:
    dims = list(alarm.prop("Dimensions") or [])
    for m in alarm.prop("Metrics") or []:
        if isinstance(m, dict):
            dims += m.get("MetricStat", {}).get("Metric", {}).get("Dimensions", []) or []
    return [d.get("Value") for d in dims if isinstance(d, dict)]


def alarmed_metrics(ctx: ReviewContext) -> dict[str, set[str]]:
    """Logical id → metric names of the alarms that refer to it.

    An alarm refers to a resource through a ``Ref``/``GetAtt`` in its dimensions or metric queries, or by
    a dimension value written exactly like the resource's own name property (``ApiName`` given as the
    same ``Fn::Sub`` as the API's ``Name``).
    """
    by_name: dict[str, str] = {}
    for r in ctx.resources(*MONITORED):
        for key, value in r.properties.items():
            if key.endswith("Name") and value is not None:
                by_name.setdefault(json.dumps(value, sort_keys=True), r.logical_id)
    out: dict[str, set[str]] = {}
    for alarm in ctx.resources("AWS::CloudWatch::Alarm"):
        names = _metric_names(alarm)
        targets = ctx.references(alarm)
        for value in _dimension_values(alarm):
            rid = by_name.get(json.dumps(value, sort_keys=True))
            if rid:
                targets.add(rid)
        for rid in targets:
            out.setdefault(rid, set()).update(names)
    return out


@check(
    id="OPS-ALARM-001",
    title="Serving resources have alarms on their golden signals",
    severity="medium",
    types=list(MONITORED),
    environments=["staging", "prod"],
    rationale="Without alarms on errors, latency, saturation and backlog, users find outages before the team "
    "does.",
    remediation="Add CloudWatch alarms (to an SNS topic that pages someone) on: 5XX and latency for load "
    "balancers and APIs; Errors and Throttles for functions; CPU, connections or free storage for databases; "
    "age of the oldest message for queues; iterator age for streams; failed executions for workflows.",
    references=["OPS08-BP04", "REL06-BP01", "OPS04-BP01"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    covered = alarmed_metrics(ctx)
    for r in ctx.resources(*MONITORED):
        have = covered.get(r.logical_id, set())
        signals = SIGNALS[r.type]
        if r.type == "AWS::ElasticLoadBalancingV2::LoadBalancer" and ctx.resolve(r.prop("Type")) == "network":
            signals = NLB_SIGNALS
        missing = [sig for sig, metrics in signals.items() if not have.intersection(metrics)]
        if not missing:
            yield ctx.ok(r.logical_id)
        elif not have:
            yield ctx.fail(
                r.logical_id, f"no CloudWatch alarm refers to this resource ({', '.join(missing)})"
            )
        else:
            yield ctx.fail(
                r.logical_id,
                f"alarms cover {', '.join(sorted(have))} but no {' / '.join(missing)} signal "
                f"({', '.join(m for sig in missing for m in signals[sig])})",
            )
