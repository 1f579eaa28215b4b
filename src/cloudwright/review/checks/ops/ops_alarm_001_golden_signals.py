"""OPS-ALARM-001: serving resources without an alarm on their golden signals."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check

#: Types whose golden signals (latency, errors, traffic, saturation) need at least one alarm.
MONITORED = (
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGatewayV2::Api",
    "AWS::Lambda::Function",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster",
    "AWS::ECS::Service",
    "AWS::SQS::Queue",
    "AWS::DynamoDB::Table",
    "AWS::Kinesis::Stream",
    "AWS::StepFunctions::StateMachine",
    "AWS::AppSync::GraphQLApi",
)


def alarmed_ids(ctx: ReviewContext) -> set[str]:
    """Logical ids referenced by any alarm's dimensions or metric queries."""
    out: set[str] = set()
    for alarm in ctx.resources("AWS::CloudWatch::Alarm"):
        out |= ctx.design.references(alarm)
    return out


@check(
    id="OPS-ALARM-001",
    title="Serving resources have alarms on their golden signals",
    severity="medium",
    types=list(MONITORED),
    environments=["staging", "prod"],
    rationale="Without alarms on errors, latency, throttles and backlog, users find outages before the team "
    "does.",
    remediation="Add CloudWatch alarms (to an SNS topic that pages someone) on: 5XX and p95 latency for load "
    "balancers and APIs; Errors and Throttles for functions; CPU, connections and free storage for "
    "databases; "
    "age of the oldest message for queues; iterator age for streams.",
    references=["OPS08-BP04", "REL06-BP01", "OPS04-BP01"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    covered = alarmed_ids(ctx)
    for r in ctx.resources(*MONITORED):
        if r.logical_id in covered:
            yield ctx.ok(r.logical_id)
        else:
            yield ctx.fail(r.logical_id, "no CloudWatch alarm refers to this resource")
