"""Connected devices: the ``iot-core`` builder.

IoT Core (MQTT over TLS, X.509 device certificates) with a per-device policy, a thing type and topic rules
that route telemetry to Kinesis (when the pattern has a stream) and to a DynamoDB table of recent readings,
and alerts to a Lambda function that records them and notifies operators through SNS.

Services at end of support are never used: AWS IoT Analytics (end of support 2025-12-15), AWS IoT Events
(2026-05-20) and Amazon Pinpoint (2026-10-30). Time series go to S3 + Athena (through the stream and the
data lake) and to DynamoDB with TTL for recent readings; Timestream for LiveAnalytics is not used because
AWS steers new customers to Timestream for InfluxDB, which runs instances in a VPC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import Field, field_validator

from cloudwright.design.build import BuildContext, BuilderOptions, component
from cloudwright.design.components.lambdas import (
    add_function,
    add_log_group,
    kms_statements,
    monthly,
    policy_document,
    table_statement,
)
from cloudwright.design.components.nosql import ensure_table
from cloudwright.design.components.streaming import ensure_dlq
from cloudwright.units import MONTH_MINUTES

SRC_IOT_POLICY_VARS = "https://docs.aws.amazon.com/iot/latest/developerguide/thing-policy-variables.html"
SRC_IOT_RULES = "https://docs.aws.amazon.com/iot/latest/developerguide/iot-rules.html"
SRC_IOT_EOS = (
    "https://docs.aws.amazon.com/iotanalytics/latest/userguide/iotanalytics-end-of-support.html; "
    "https://docs.aws.amazon.com/iotevents/latest/developerguide/iotevents-end-of-support.html"
)
#: Statements by what a device may do; every resource is scoped to the device's own thing name.
THING = "${!iot:Connection.Thing.ThingName}"
TOPIC_PREFIX = "devices"
MINUTES_PER_MONTH = MONTH_MINUTES


def _arn(kind: str, path: str) -> dict[str, Any]:
    return {"Fn::Sub": "arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:" + f"{kind}/{path}"}


def device_policy_document() -> dict[str, Any]:
    shadow = f"$aws/things/{THING}/shadow"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "iot:Connect",
                "Resource": _arn("client", THING),
                "Condition": {"Bool": {"iot:Connection.Thing.IsAttached": "true"}},
            },
            {
                "Effect": "Allow",
                "Action": "iot:Publish",
                "Resource": [
                    _arn("topic", f"{TOPIC_PREFIX}/{THING}/telemetry"),
                    _arn("topic", f"{shadow}/update"),
                    _arn("topic", f"{shadow}/get"),
                ],
            },
            {
                "Effect": "Allow",
                "Action": "iot:Subscribe",
                "Resource": [
                    _arn("topicfilter", f"{TOPIC_PREFIX}/{THING}/commands"),
                    *(_arn("topicfilter", f"{shadow}/{s}") for s in _SHADOW_REPLIES),
                ],
            },
            {
                "Effect": "Allow",
                "Action": "iot:Receive",
                "Resource": [
                    _arn("topic", f"{TOPIC_PREFIX}/{THING}/commands"),
                    *(_arn("topic", f"{shadow}/{s}") for s in _SHADOW_REPLIES),
                ],
            },
        ],
    }


_SHADOW_REPLIES = ("update/accepted", "update/rejected", "update/delta", "get/accepted", "get/rejected")


class IotCoreOptions(BuilderOptions):
    """Options of ``iot-core``. A reading alerts when ``alert_metric > alert_threshold``."""

    alert_metric: str = "temperature"
    """The reading's attribute the alert rule compares (a plain name: letters, digits and ``_``)."""
    alert_threshold: float = 80.0
    """Readings above this value alert."""
    alert_fraction: float = Field(0.001, ge=0, le=1)
    """Share of readings that alert (sizes the alert function, topic and rule actions)."""
    store_recent: bool = True
    """Keep each device's latest reading in a DynamoDB table (always, when the pattern has no stream)."""

    @field_validator("alert_metric")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError("alert_metric must be a plain attribute name (letters, digits and _)")
        return value


def _add_device_registry(ctx: BuildContext, cid: str) -> None:
    """The per-device policy and the thing type."""
    ctx.add(
        "DevicePolicy",
        "AWS::IoT::Policy",
        {
            "PolicyName": {"Fn::Sub": "${AWS::StackName}-device"},
            "PolicyDocument": device_policy_document(),
        },
        label="Device policy",
        role="security",
        tier="regional",
        component_id=cid,
        rationale="A device may connect only as its own thing (certificate attached), publish its own "
        "telemetry "
        "and shadow updates, and receive only its own commands.",
        sizing=[
            {
                "rule": "policy variables",
                "value": "iot:Connection.Thing.ThingName scopes every resource",
                "source": SRC_IOT_POLICY_VARS,
            }
        ],
    )
    ctx.add(
        "DeviceThingType",
        "AWS::IoT::ThingType",
        {
            "ThingTypeName": {"Fn::Sub": "${AWS::StackName}-sensor"},
            "ThingTypeProperties": {
                "ThingTypeDescription": "Telemetry-sending device",
                "SearchableAttributes": ["model", "firmware", "site"],
            },
        },
        label="Thing type",
        role="registry",
        component_id=cid,
        rationale="Registry type with searchable attributes for fleet queries.",
    )


def _rule_role_arn() -> dict[str, Any]:
    return {"Fn::GetAtt": ["IotRuleRole", "Arn"]}


def _error_action() -> dict[str, Any]:
    """Where a topic rule reports actions that fail: the rule error log group."""
    return {"CloudwatchLogs": {"LogGroupName": {"Ref": "IotRuleErrorLogs"}, "RoleArn": _rule_role_arn()}}


@dataclass
class _TelemetryTargets:
    """Where the telemetry rule sends readings: its actions, the statements its role needs for them, the
    resources it writes to directly, and the data lake's delivery stream when it writes there."""

    actions: list[dict[str, Any]] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    lake_delivery: str | None = None


def _telemetry_targets(ctx: BuildContext, cid: str, store_recent: bool) -> _TelemetryTargets:
    """Kinesis when the pattern has a stream; the recent-readings table when ``store_recent`` (or with no
    stream); and, with no stream, the data lake's Direct PUT Firehose (S3 + Athena time series)."""
    out = _TelemetryTargets(
        statements=[
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                "Resource": {"Fn::GetAtt": ["IotRuleErrorLogs", "Arn"]},
            }
        ]
    )
    stream = ctx.provided.stream
    if stream:
        out.actions.append(
            {
                "Kinesis": {
                    "StreamName": {"Ref": stream.stream},
                    "PartitionKey": "${topic(2)}",
                    "RoleArn": _rule_role_arn(),
                }
            }
        )
        out.statements.append(
            {
                "Effect": "Allow",
                "Action": ["kinesis:PutRecord", "kinesis:PutRecords"],
                "Resource": {"Fn::GetAtt": [stream.stream, "Arn"]},
            }
        )
        out.statements += kms_statements(ctx, ["kms:GenerateDataKey"])  # stream encrypted with the CMK
        out.targets.append(stream.stream)
    if store_recent or not stream:
        telemetry = ensure_table(ctx, "telemetry", share=1.0, component_id=cid)
        out.actions.append(
            {"DynamoDBv2": {"PutItem": {"TableName": {"Ref": telemetry}}, "RoleArn": _rule_role_arn()}}
        )
        out.statements.append(table_statement(telemetry, ["dynamodb:PutItem"]))
        out.targets.append(telemetry)
    lake = ctx.provided.data_lake
    if lake is not None and lake.direct_put and not stream:
        delivery = lake.delivery_stream
        out.actions.append(
            {
                "Firehose": {
                    "DeliveryStreamName": {"Ref": delivery},
                    "Separator": "\n",
                    "RoleArn": _rule_role_arn(),
                }
            }
        )
        out.statements.append(
            {
                "Effect": "Allow",
                "Action": ["firehose:PutRecord", "firehose:PutRecordBatch"],
                "Resource": {"Fn::GetAtt": [delivery, "Arn"]},
            }
        )
        out.lake_delivery = delivery
    return out


def _add_rule_role(ctx: BuildContext, cid: str, statements: list[dict[str, Any]]) -> None:
    """The role the topic rules act with, assumable by IoT for this account only."""
    ctx.add(
        "IotRuleRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": policy_document(
                [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "iot.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
                    }
                ]
            ),
            "Policies": [{"PolicyName": "rule-actions", "PolicyDocument": policy_document(statements)}],
        },
        label="IoT rule role",
        role="iam",
        component_id=cid,
    )


def _add_telemetry_rule(ctx: BuildContext, cid: str, actions: list[dict[str, Any]]) -> None:
    """The rule that routes every reading; it carries the fleet's messages and connection minutes."""
    req = ctx.requirements
    devices = round(req.expected_users * ctx.load_factor)
    messages = monthly(ctx, req.requests_per_second)
    select = (
        "SELECT *, topic(2) AS deviceId, timestamp() AS ts, "
        "floor(timestamp() / 1000) + 2592000 AS expiresAt "  # 30-day TTL, epoch seconds
        f"FROM '{TOPIC_PREFIX}/+/telemetry'"
    )
    ctx.add(
        "TelemetryRule",
        "AWS::IoT::TopicRule",
        {
            "TopicRulePayload": {
                "Description": "Route every reading to the stream and the recent-readings table",
                "Sql": select,
                "AwsIotSqlVersion": "2016-03-23",
                "RuleDisabled": False,
                "Actions": actions,
                "ErrorAction": _error_action(),
            }
        },
        usage={
            "monthly_messages": messages,
            "device_count": devices,
            "monthly_connection_minutes": devices * MINUTES_PER_MONTH,
            "monthly_rule_triggers": messages,
            "monthly_actions": messages * len(actions),
        },
        label="Telemetry rule",
        role="routing",
        component_id=cid,
        rationale="Rules engine fan-out with no servers: Kinesis for analytics (S3 + Athena "
        "downstream), DynamoDB "
        "with a 30-day TTL for recent readings. IoT Analytics and IoT Events are at end of support.",
        sizing=[
            {
                "rule": "messages = average messages/s × month",
                "value": f"{messages:,} messages/month from {devices:,} devices",
                "source": "requirements (requests_per_second = device messages/s)",
            },
            {
                "rule": "connection minutes = devices × always connected",
                "value": f"{devices:,} × {MINUTES_PER_MONTH:,}",
                "source": "assumption (devices keep an MQTT session open)",
            },
            {
                "rule": "end of support",
                "value": "no IoT Analytics, IoT Events or Pinpoint",
                "source": SRC_IOT_EOS,
            },
        ],
    )


def _add_alerts_topic(ctx: BuildContext, cid: str, alerts: IotCoreOptions) -> None:
    messages = monthly(ctx, ctx.requirements.requests_per_second)
    ctx.add(
        "AlertsTopic",
        "AWS::SNS::Topic",
        {"DisplayName": "Device alerts", "KmsMasterKeyId": "alias/aws/sns"},
        usage={
            "monthly_requests": round(messages * alerts.alert_fraction),
            "request_size_kb": 1.0,
            "http_subscriptions": 0,
            "email_subscriptions": 0,
            "sqs_subscriptions": 0,
        },
        label="Alerts topic",
        role="notifications",
        component_id=cid,
        rationale="Operators subscribe (e-mail, chat webhook, on-call tool) to device alerts.",
    )


def _add_alert_function(ctx: BuildContext, cid: str, alerts: IotCoreOptions, alerts_table: str) -> str:
    """The function that records an alert and notifies operators (async, with a dead-letter queue)."""
    dlq = ensure_dlq(ctx, "AlertFunctionDlq", "Alert handler DLQ", cid)
    return add_function(
        ctx,
        "AlertFunction",
        handler="iot_alert",
        label="Device alert handler",
        role="alerting",
        rationale=f"Runs only for readings where {alerts.alert_metric} > {alerts.alert_threshold:g}: "
        "records the alert and notifies operators (replaces IoT Events detector models, which reach end of "
        "support).",
        statements=[
            table_statement(alerts_table, ["dynamodb:PutItem"]),
            {"Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": "AlertsTopic"}},
        ],
        environment={
            "ALERTS_TABLE": {"Ref": alerts_table},
            "ALERT_TOPIC": {"Ref": "AlertsTopic"},
            "ALERT_METRIC": alerts.alert_metric,
            "TTL_DAYS": "30",
        },
        rps=ctx.requirements.requests_per_second * alerts.alert_fraction,
        duration_ms=100,
        memory_mb=128,
        timeout_s=10,
        invocation="async",
        dead_letter_queue=dlq,
        component_id=cid,
    )


def _add_alert_rule(ctx: BuildContext, cid: str, alerts: IotCoreOptions, fn: str) -> None:
    """The threshold rule (evaluated in the rules engine) and IoT's permission to invoke ``fn``."""
    messages = monthly(ctx, ctx.requirements.requests_per_second)
    metric, threshold = alerts.alert_metric, alerts.alert_threshold
    ctx.add(
        "AlertRule",
        "AWS::IoT::TopicRule",
        {
            "TopicRulePayload": {
                "Description": f"Alert when {metric} exceeds {threshold:g}",
                "Sql": f"SELECT *, topic(2) AS deviceId, timestamp() AS ts FROM '{TOPIC_PREFIX}/+/telemetry' "
                f"WHERE {metric} > {threshold:g}",
                "AwsIotSqlVersion": "2016-03-23",
                "RuleDisabled": False,
                "Actions": [{"Lambda": {"FunctionArn": {"Fn::GetAtt": [fn, "Arn"]}}}],
                "ErrorAction": _error_action(),
            }
        },
        # device messages and connection minutes are counted once, on TelemetryRule
        usage={
            "monthly_messages": 0,
            "device_count": 0,
            "monthly_connection_minutes": 0,
            "monthly_rule_triggers": messages,
            "monthly_actions": round(messages * alerts.alert_fraction),
        },
        label="Alert rule",
        role="alerting",
        component_id=cid,
        rationale="Threshold evaluated in the rules engine: the function runs only for anomalous readings.",
        sizing=[
            {
                "rule": "alerts = messages × alert fraction",
                "value": f"{alerts.alert_fraction:g} of readings",
                "source": "assumption (option alert_fraction); " + SRC_IOT_RULES,
            }
        ],
    )
    ctx.add(
        "AlertFunctionIotPermission",
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": fn},
            "Principal": "iot.amazonaws.com",
            "SourceArn": {"Fn::GetAtt": ["AlertRule", "Arn"]},
            "SourceAccount": {"Ref": "AWS::AccountId"},
        },
        label="IoT may invoke alert handler",
        role="iam",
        component_id=cid,
    )


@component("iot-core", options=IotCoreOptions, uses=["kms_key", "tables", "stream", "data_lake"])
def iot_core(ctx: BuildContext, options: IotCoreOptions) -> None:
    """Device policy, thing type, telemetry and alert rules, alert function and topic.

    Without a Kinesis stream, telemetry also goes straight to the data lake's Direct PUT Firehose (the data
    lake builder runs first: ``iot-core`` uses ``data_lake``)."""
    cid = "iot-core"
    alerts = options
    store_recent = options.store_recent
    _add_device_registry(ctx, cid)
    add_log_group(ctx, "IotRuleErrorLogs", label="IoT rule errors", monthly_gb=0.01, component_id=cid)
    telemetry = _telemetry_targets(ctx, cid, store_recent)
    _add_rule_role(ctx, cid, telemetry.statements)
    _add_telemetry_rule(ctx, cid, telemetry.actions)
    for target in telemetry.targets:
        ctx.connect("TelemetryRule", target, "data", "telemetry")

    alerts_table = ensure_table(ctx, "alerts", component_id=cid)
    _add_alerts_topic(ctx, cid, alerts)
    fn = _add_alert_function(ctx, cid, alerts, alerts_table)
    _add_alert_rule(ctx, cid, alerts, fn)
    ctx.connect("AlertRule", fn, "event", f"{alerts.alert_metric} > {alerts.alert_threshold:g}")
    ctx.connect(fn, alerts_table, "data", "alert record")
    ctx.connect(fn, "AlertsTopic", "event", "DEVICE_ALERT")
    if telemetry.lake_delivery:
        ctx.connect("TelemetryRule", telemetry.lake_delivery, "data", "telemetry → data lake")
    ctx.design.outputs.setdefault(
        "AlertsTopicArn", {"Description": "Subscribe operators here", "Value": {"Ref": "AlertsTopic"}}
    )
