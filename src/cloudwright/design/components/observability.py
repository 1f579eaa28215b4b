"""``observability``: SNS alarm topic, golden-signal alarms for the resources present, a dashboard and,
with ``audit: true``, a multi-Region CloudTrail trail. Also the small helpers the VPC-based builders
share (tags, log groups, the customer managed key).

The builder runs last in every pattern: it reads the design built so far and adds one or two alarms
per resource type it knows (errors/5xx, throttles, latency, saturation).
"""

from __future__ import annotations

import json
from functools import cache
from operator import attrgetter
from typing import Any

from cloudwright.design.build import BuildContext, BuilderOptions, component
from cloudwright.design.components.lambdas import kms_arn, kms_key, log_retention_days, skip
from cloudwright.design.components.storage import tls_only_statements
from cloudwright.design.model import Resource

SRC_ALARMS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html"
SRC_RETENTION = "seed 001 CloudWatch configuration (RetentionInDays set on every log group)"


# --------------------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------------------
def tags(ctx: BuildContext, name: str) -> list[dict[str, str]]:
    return [
        {"Key": "Name", "Value": name},
        {"Key": "Project", "Value": ctx.requirements.name},
        {"Key": "Environment", "Value": ctx.environment},
    ]


def checkov_skip(*checks: tuple[str, str]) -> dict[str, Any]:
    """Resource attributes whose ``Metadata`` suppresses checkov checks, each with its written reason."""
    return {"Metadata": skip(*checks)}


# the pattern's customer managed key and log retention: one definition, shared with the serverless builders
kms_key_id = kms_key
kms_key_arn = kms_arn
retention_days = log_retention_days


def log_group(
    ctx: BuildContext, logical_id: str, *, label: str, gb_per_month: float, tier: str = "regional"
) -> None:
    days = retention_days(ctx)
    props: dict[str, Any] = {"RetentionInDays": days}
    key = kms_key_arn(ctx)
    if key:
        props["KmsKeyId"] = key
    stored = round(gb_per_month * min(days / 30, 12), 3)
    ctx.add(
        logical_id,
        "AWS::Logs::LogGroup",
        props,
        usage={"monthly_data_ingested_gb": round(gb_per_month, 3), "storage_gb": stored},
        label=label,
        role="logs",
        rationale=f"retention {days} days ({ctx.environment}); encrypted with the customer managed key when present",  # noqa: E501
        sizing=[
            {
                "rule": f"stored ≈ ingest × min(retention {days} d ÷ 30, 12)",
                "value": stored,
                "source": SRC_RETENTION,
            }
        ],
        tier=tier,  # type: ignore[arg-type]
        component_id="observability",
        attributes={"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"} if ctx.is_prod else None,
    )


# --------------------------------------------------------------------------------------------------
# alarms per resource type: (metric, namespace, statistic, threshold, comparison, dimension name, value fn)
# --------------------------------------------------------------------------------------------------
def _ref(lid: str) -> dict[str, Any]:
    return {"Ref": lid}


def _att(attr: str) -> Any:
    return lambda lid: {"Fn::GetAtt": [lid, attr]}


_GT = "GreaterThanThreshold"
_LT = "LessThanThreshold"
#: Threshold placeholders: the requirement's p95 latency target in seconds (ALB) or milliseconds (APIs).
_LATENCY_S = -1
_LATENCY_MS = -2
ALARMS: dict[str, list[tuple[str, str, str, float, str, str, Any]]] = {
    "AWS::ElasticLoadBalancingV2::LoadBalancer": [
        (
            "HTTPCode_ELB_5XX_Count",
            "AWS/ApplicationELB",
            "Sum",
            10,
            _GT,
            "LoadBalancer",
            _att("LoadBalancerFullName"),
        ),
        (
            "TargetResponseTime",
            "AWS/ApplicationELB",
            "p95",
            _LATENCY_S,
            _GT,
            "LoadBalancer",
            _att("LoadBalancerFullName"),
        ),
    ],
    "AWS::AutoScaling::AutoScalingGroup": [
        ("CPUUtilization", "AWS/EC2", "Average", 85, _GT, "AutoScalingGroupName", _ref),
    ],
    "AWS::RDS::DBInstance": [
        ("CPUUtilization", "AWS/RDS", "Average", 80, _GT, "DBInstanceIdentifier", _ref),
        ("FreeStorageSpace", "AWS/RDS", "Minimum", 2 * 1024**3, _LT, "DBInstanceIdentifier", _ref),
    ],
    "AWS::RDS::DBCluster": [
        ("CPUUtilization", "AWS/RDS", "Average", 80, _GT, "DBClusterIdentifier", _ref),
    ],
    "AWS::ElastiCache::ReplicationGroup": [
        ("DatabaseMemoryUsagePercentage", "AWS/ElastiCache", "Average", 80, _GT, "ReplicationGroupId", _ref),
    ],
    "AWS::Lambda::Function": [
        ("Errors", "AWS/Lambda", "Sum", 5, _GT, "FunctionName", _ref),
        ("Throttles", "AWS/Lambda", "Sum", 0, _GT, "FunctionName", _ref),
    ],
    "AWS::ApiGateway::RestApi": [
        ("5XXError", "AWS/ApiGateway", "Sum", 10, _GT, "ApiName", _ref),
        ("Latency", "AWS/ApiGateway", "p95", _LATENCY_MS, _GT, "ApiName", _ref),
    ],
    "AWS::ApiGatewayV2::Api": [
        ("5xx", "AWS/ApiGateway", "Sum", 10, _GT, "ApiId", _ref),
        ("Latency", "AWS/ApiGateway", "p95", _LATENCY_MS, _GT, "ApiId", _ref),
    ],
    # backlog: the oldest message waiting longer than five minutes means consumers are falling behind
    # (dead-letter queues get a depth alarm instead, below)
    "AWS::SQS::Queue": [
        ("ApproximateAgeOfOldestMessage", "AWS/SQS", "Maximum", 300, _GT, "QueueName", _att("QueueName"))
    ],
    "AWS::DynamoDB::Table": [("ThrottledRequests", "AWS/DynamoDB", "Sum", 0, _GT, "TableName", _ref)],
    "AWS::StepFunctions::StateMachine": [
        ("ExecutionsFailed", "AWS/States", "Sum", 0, _GT, "StateMachineArn", _ref)
    ],
    "AWS::Kinesis::Stream": [
        ("GetRecords.IteratorAgeMilliseconds", "AWS/Kinesis", "Maximum", 60000, _GT, "StreamName", _ref)
    ],
    "AWS::KinesisFirehose::DeliveryStream": [
        ("DeliveryToS3.DataFreshness", "AWS/Firehose", "Maximum", 900, _GT, "DeliveryStreamName", _ref)
    ],
    "AWS::AppSync::GraphQLApi": [
        ("5XXError", "AWS/AppSync", "Sum", 10, _GT, "GraphQLAPIId", _att("ApiId")),
        ("Latency", "AWS/AppSync", "p95", _LATENCY_MS, _GT, "GraphQLAPIId", _att("ApiId")),
    ],
    "AWS::ECS::Service": [("CPUUtilization", "AWS/ECS", "Average", 85, _GT, "ServiceName", _att("Name"))],
    "AWS::EKS::Nodegroup": [],
    "AWS::IoT::TopicRule": [("Failure", "AWS/IoT", "Sum", 0, _GT, "RuleName", _ref)],
}


def _nlb_target_groups(ctx: BuildContext, lb: str, namespace: str) -> list[dict[str, Any]]:
    """The TargetGroup dimension of a network load balancer's per-target metrics (its first listener's
    target group); none for other namespaces."""
    if namespace != "AWS/NetworkELB":
        return []
    from cloudwright.cfn.intrinsics import ref_name

    for r in ctx.design.by_type("AWS::ElasticLoadBalancingV2::Listener"):
        if ref_name(r.properties.get("LoadBalancerArn")) == lb:
            actions = r.properties.get("DefaultActions")
            first = actions[0] if isinstance(actions, list) and actions else None
            tg = ref_name(first.get("TargetGroupArn") if isinstance(first, dict) else None)
            if tg:
                return [{"Name": "TargetGroup", "Value": {"Fn::GetAtt": [tg, "TargetGroupFullName"]}}]
    return []


@cache
def _metric_word(metric: str) -> str:
    """``GetRecords.IteratorAgeMilliseconds`` → ``GetrecordsIteratoragemilliseconds`` (for alarm ids)."""
    return "".join(ch for ch in metric.title() if ch.isalnum())


def _alarm_id(lid: str, metric: str) -> str:
    return f"{lid}{_metric_word(metric)}Alarm"[:240]


class ObservabilityOptions(BuilderOptions):
    """Options of ``observability``."""

    audit: bool = False
    """Add a multi-Region CloudTrail trail into its own retained bucket."""


@component("observability", options=ObservabilityOptions, uses=["kms_key"], last=True, stage="operations")
def observability(ctx: BuildContext, options: ObservabilityOptions) -> None:
    _alarm_topic(ctx)
    dqueues = [
        r for r in ctx.design.resources if r.type == "AWS::SQS::Queue" and "dlq" in r.logical_id.lower()
    ]
    alarms = _golden_signal_alarms(ctx, dqueues)
    alarms += _dlq_alarms(ctx, dqueues)
    _dashboard(ctx, alarms)

    if options.audit:
        _audit_trail(ctx)
    ctx.design.network.setdefault("observability", {})
    ctx.design.network["observability"] = {
        "alarm_topic": "AlarmTopic",
        "alarms": len(alarms),
        "audit_trail": options.audit,
    }


def _alarm_topic(ctx: BuildContext) -> None:
    """One SNS topic for every alarm (encrypted with the pattern's key when it has one)."""
    prefix = ctx.name_prefix
    key = kms_key_id(ctx)
    topic_props: dict[str, Any] = {
        "DisplayName": f"{prefix} alarms",
        "KmsMasterKeyId": {"Ref": key} if key else "alias/aws/sns",
        "Tags": tags(ctx, f"{prefix}-alarms"),
    }
    ctx.add(
        "AlarmTopic",
        "AWS::SNS::Topic",
        topic_props,
        usage={"monthly_requests": 1000, "request_size_kb": 1},
        label="Alarm notifications",
        role="alerting",
        rationale="one topic for every alarm; subscribe e-mail, chat or paging",
        component_id="observability",
    )


def _golden_signal_alarms(ctx: BuildContext, dqueues: list[Resource]) -> list[str]:
    """The golden-signal alarms of every resource type in :data:`ALARMS`; returns their ids."""
    latency_s = ctx.requirements.latency_p95_ms / 1000
    dlq_ids = {q.logical_id for q in dqueues}
    alarms: list[str] = []
    for r in sorted(ctx.design.resources, key=attrgetter("logical_id")):
        for i, (metric, ns, stat, threshold, cmp, dim, value) in enumerate(ALARMS.get(r.type, ())):
            if (
                r.type == "AWS::ElasticLoadBalancingV2::LoadBalancer"
                and r.properties.get("Type") == "network"
            ):
                if i > 0:
                    continue
                # network load balancers publish under AWS/NetworkELB, per load balancer and target group
                metric, ns, stat, threshold, cmp = "UnHealthyHostCount", "AWS/NetworkELB", "Maximum", 0, _GT
            if r.type == "AWS::SQS::Queue" and r.logical_id in dlq_ids:
                continue
            lid = _alarm_id(r.logical_id, metric)
            thr: float = threshold
            if threshold == _LATENCY_S:
                thr = latency_s
            elif threshold == _LATENCY_MS:
                thr = float(ctx.requirements.latency_p95_ms)
            props: dict[str, Any] = {
                "AlarmDescription": f"{r.label}: {metric} {'>' if cmp == _GT else '<'} {thr:g}",
                "Namespace": ns,
                "MetricName": metric,
                "Dimensions": [
                    {
                        "Name": dim,
                        "Value": r.properties.get("Name", {"Ref": r.logical_id})
                        if dim == "ApiName"
                        else value(r.logical_id),
                    },
                    *_nlb_target_groups(ctx, r.logical_id, ns),
                ],
                "Period": 300,
                "EvaluationPeriods": 2,
                "DatapointsToAlarm": 2,
                "Threshold": thr,
                "ComparisonOperator": cmp,
                "TreatMissingData": "notBreaching",
                "AlarmActions": [{"Ref": "AlarmTopic"}],
                "OKActions": [{"Ref": "AlarmTopic"}],
            }
            if stat.startswith("p"):
                props["ExtendedStatistic"] = stat
            else:
                props["Statistic"] = stat
            ctx.add(
                lid,
                "AWS::CloudWatch::Alarm",
                props,
                label=f"{metric} alarm",
                role="alarm",
                rationale=f"golden signal for {r.label}",
                component_id="observability",
                sizing=[{"rule": f"{metric} {stat} over 2 × 5 min", "value": thr, "source": SRC_ALARMS}],
            )
            ctx.connect(lid, "AlarmTopic", "event", "alarm")
            alarms.append(lid)
    return alarms


def _dlq_alarms(ctx: BuildContext, dqueues: list[Resource]) -> list[str]:
    """A depth alarm per dead-letter queue: any message there needs a human."""
    alarms: list[str] = []
    for q in dqueues:
        lid = f"{q.logical_id}DepthAlarm"
        if ctx.has(lid):
            continue
        ctx.add(
            lid,
            "AWS::CloudWatch::Alarm",
            {
                "AlarmDescription": f"{q.label}: messages waiting in the dead-letter queue",
                "Namespace": "AWS/SQS",
                "MetricName": "ApproximateNumberOfMessagesVisible",
                "Dimensions": [{"Name": "QueueName", "Value": {"Fn::GetAtt": [q.logical_id, "QueueName"]}}],
                "Statistic": "Maximum",
                "Period": 300,
                "EvaluationPeriods": 1,
                "Threshold": 0,
                "ComparisonOperator": _GT,
                "TreatMissingData": "notBreaching",
                "AlarmActions": [{"Ref": "AlarmTopic"}],
            },
            label="DLQ depth alarm",
            role="alarm",
            rationale="any message in a DLQ needs a human",
            component_id="observability",
            sizing=[{"rule": "DLQ depth > 0", "value": 0, "source": SRC_ALARMS}],
        )
        ctx.connect(lid, "AlarmTopic", "event", "alarm")
        alarms.append(lid)
    return alarms


def _dashboard(ctx: BuildContext, alarms: list[str]) -> None:
    """One operations dashboard of the alarms (a title only when there are none)."""
    prefix = ctx.name_prefix
    widgets = [
        {
            "type": "alarm",
            "x": 0,
            "y": 6 * (i // 2),
            "width": 12,
            "height": 6,
            "properties": {"title": "Alarms", "alarms": [f"${{{a}.Arn}}" for a in chunk]},
        }
        for i, chunk in enumerate(alarms[j : j + 10] for j in range(0, len(alarms), 10))
    ] or [
        {"type": "text", "x": 0, "y": 0, "width": 12, "height": 3, "properties": {"markdown": f"# {prefix}"}}
    ]
    ctx.add(
        "OperationsDashboard",
        "AWS::CloudWatch::Dashboard",
        {
            "DashboardName": {"Fn::Sub": f"{prefix}-operations-${{AWS::Region}}"},
            # alarm widgets name alarm ARNs (Fn::Sub); a text-only dashboard is a plain string
            "DashboardBody": {"Fn::Sub": json.dumps({"widgets": widgets}, sort_keys=True)}
            if alarms
            else json.dumps({"widgets": widgets}, sort_keys=True),
        },
        label="Operations dashboard",
        role="dashboard",
        rationale="one page of the golden signals (seed 003 operations dashboard)",
        component_id="observability",
    )


def _audit_bucket_properties(ctx: BuildContext) -> dict[str, Any]:
    """Versioned, encrypted (the pattern's key when it has one), private, archived to Glacier IR after
    90 days."""
    key = kms_key_arn(ctx)
    enc: dict[str, Any] = (
        {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key} if key else {"SSEAlgorithm": "AES256"}
    )
    return {
        "BucketEncryption": {
            "ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": enc, "BucketKeyEnabled": True}
            ]
        },
        "VersioningConfiguration": {"Status": "Enabled"},
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        },
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "LifecycleConfiguration": {
            "Rules": [
                {
                    "Id": "archive",
                    "Status": "Enabled",
                    "Transitions": [{"StorageClass": "GLACIER_IR", "TransitionInDays": 90}],
                }
            ]
        },
        "Tags": tags(ctx, f"{ctx.name_prefix}-audit"),
    }


def _audit_bucket_policy() -> dict[str, Any]:
    """TLS only; CloudTrail may check the bucket ACL and write this account's log files."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            *tls_only_statements("AuditTrailBucket"),
            {
                "Sid": "CloudTrailAclCheck",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:GetBucketAcl",
                "Resource": {"Fn::GetAtt": ["AuditTrailBucket", "Arn"]},
            },
            {
                "Sid": "CloudTrailWrite",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": {"Fn::Sub": "${AuditTrailBucket.Arn}/AWSLogs/${AWS::AccountId}/*"},
                "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
            },
        ],
    }


def _audit_trail(ctx: BuildContext) -> None:
    """A multi-Region CloudTrail trail with log file validation, into its own retained bucket."""
    ctx.add(
        "AuditTrailBucket",
        "AWS::S3::Bucket",
        _audit_bucket_properties(ctx),
        usage={"storage_gb": 5, "monthly_tier_1_requests": 100000, "monthly_tier_2_requests": 10000},
        label="Audit trail bucket",
        role="audit",
        rationale="CloudTrail log files, versioned, encrypted, private",
        attributes={"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"},
        component_id="observability",
    )
    ctx.add(
        "AuditTrailBucketPolicy",
        "AWS::S3::BucketPolicy",
        {"Bucket": {"Ref": "AuditTrailBucket"}, "PolicyDocument": _audit_bucket_policy()},
        label="Audit bucket policy",
        role="audit",
        component_id="observability",
    )
    trail: dict[str, Any] = {
        "IsLogging": True,
        "IsMultiRegionTrail": True,
        "IncludeGlobalServiceEvents": True,
        "EnableLogFileValidation": True,
        "S3BucketName": {"Ref": "AuditTrailBucket"},
        "Tags": tags(ctx, f"{ctx.name_prefix}-trail"),
    }
    key = kms_key_arn(ctx)
    if key:
        trail["KMSKeyId"] = key
    ctx.add(
        "AuditTrail",
        "AWS::CloudTrail::Trail",
        trail,
        depends_on=["AuditTrailBucketPolicy"],
        label="CloudTrail (all Regions)",
        role="audit",
        rationale="comprehensive audit logging (seed 003); the first management-event trail is free",
        component_id="observability",
    )
    ctx.connect("AuditTrail", "AuditTrailBucket", "data", "log files")
