"""Which AWS services may hold regulated data (HIPAA; PCI-DSS to come), as sourced data.

The data lives in ``data/eligibility.yaml`` with the evidence and the date it was checked. A service
the sources do not confirm is treated as *not* eligible. The recommendation uses this to never offer
a pattern with a non-eligible service under HIPAA, and the review uses it to check any design,
including imported templates (:func:`check_design`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any, Literal

Status = Literal["eligible", "not-eligible", "n/a", "unknown"]

#: CloudFormation type prefix → service key in the eligibility data (longest prefix wins).
_TYPE_PREFIXES: dict[str, str] = {
    "AWS::ApiGateway::": "apigateway",
    "AWS::ApiGatewayV2::": "apigateway",
    "AWS::AppSync::": "appsync",
    "AWS::ApplicationAutoScaling::": "application-autoscaling",
    "AWS::Athena::": "athena",
    "AWS::AutoScaling::": "ec2",
    "AWS::CertificateManager::": "acm",
    "AWS::CloudFront::": "cloudfront",
    "AWS::CloudTrail::": "cloudtrail",
    "AWS::CloudWatch::": "cloudwatch",
    "AWS::Cognito::": "cognito",
    "AWS::DynamoDB::": "dynamodb",
    "AWS::EC2::": "vpc",
    "AWS::EC2::Instance": "ec2",
    "AWS::EC2::LaunchTemplate": "ec2",
    "AWS::EC2::Volume": "ec2",
    "AWS::ECR::": "ecr",
    "AWS::ECS::": "ecs",
    "AWS::EKS::": "eks",
    "AWS::ElastiCache::": "elasticache",
    "AWS::ElasticLoadBalancingV2::": "elb",
    "AWS::Events::": "eventbridge",
    "AWS::Glue::": "glue",
    "AWS::IAM::": "iam",
    "AWS::IVS::": "ivs",
    "AWS::IoT::": "iot-core",
    "AWS::KMS::": "kms",
    "AWS::Kinesis::": "kinesis-data-streams",
    "AWS::KinesisFirehose::": "firehose",
    "AWS::KinesisVideo::": "kinesis-video-streams",
    "AWS::Lambda::": "lambda",
    "AWS::Logs::": "cloudwatch-logs",
    "AWS::MediaConvert::": "mediaconvert",
    "AWS::RDS::": "rds",
    "AWS::Route53::": "route53",
    "AWS::S3::": "s3",
    "AWS::SNS::": "sns",
    "AWS::SQS::": "sqs",
    "AWS::SecretsManager::": "secrets-manager",
    "AWS::StepFunctions::": "step-functions",
    "AWS::WAFv2::": "waf",
    "AWS::XRay::": "xray",
}


#: Eligibility keys of the service that provides each kind of media (``media:`` in the requirements). A
#: pattern serves a media kind under a compliance regime only when these services are allowed.
MEDIA_SERVICES: dict[str, tuple[str, ...]] = {
    "video_calls": ("kinesis-video-streams",),
    "live_streaming": ("ivs",),
    "video_on_demand": ("mediaconvert",),
}


@cache
def load_eligibility() -> dict[str, Any]:
    """The parsed ``data/eligibility.yaml`` (cached)."""
    from cloudwright import yamlfast

    text = resources.files("cloudwright").joinpath("data/eligibility.yaml").read_text(encoding="utf-8")
    data = yamlfast.safe_load(text)
    for key, svc in data["services"].items():
        for ev in svc.get("evidence", []):
            if ev not in data["sources"]:
                raise ValueError(f"eligibility: {key} cites unknown source {ev!r}")
    return data


def services() -> dict[str, dict[str, Any]]:
    return dict(load_eligibility()["services"])


def end_of_support() -> dict[str, dict[str, Any]]:
    """Services at end of support (never recommended, never generated)."""
    return dict(load_eligibility()["end_of_support"])


def service_for_type(cfn_type: str, properties: dict[str, Any] | None = None) -> str | None:
    """The eligibility service key of a CloudFormation type (``None`` when unmapped)."""
    props = properties or {}
    if cfn_type == "AWS::ECS::Service" and (
        props.get("LaunchType") == "FARGATE"
        or any(
            s.get("CapacityProvider", "").startswith("FARGATE")
            for s in props.get("CapacityProviderStrategy", [])
        )
    ):
        return "fargate"
    if cfn_type == "AWS::ECS::TaskDefinition" and "FARGATE" in (props.get("RequiresCompatibilities") or []):
        return "fargate"
    if cfn_type == "AWS::RDS::DBCluster" and str(props.get("Engine", "")).startswith("aurora"):
        return "aurora"
    if cfn_type == "AWS::RDS::DBInstance" and str(props.get("Engine", "")).startswith("aurora"):
        return "aurora"
    return _service_by_prefix(cfn_type)


@cache
def _service_by_prefix(cfn_type: str) -> str | None:
    """The service of the longest :data:`_TYPE_PREFIXES` entry ``cfn_type`` starts with (remembered per
    type: the table is static and a compliance search asks for every resource of every candidate)."""
    best = ""
    for prefix in _TYPE_PREFIXES:
        if cfn_type.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return _TYPE_PREFIXES[best] if best else None


def hipaa_status(service: str) -> Status:
    svc = load_eligibility()["services"].get(service)
    if svc is None:
        return "unknown"
    value = svc.get("hipaa")
    if value is True:
        return "eligible"
    if value == "n/a":
        return "n/a"
    return "not-eligible"


def hipaa_allowed(service: str) -> bool:
    """True only when the sources confirm eligibility (or the service never holds the data)."""
    return hipaa_status(service) in ("eligible", "n/a")


def ineligible(service_keys: Iterable[str], compliance: Iterable[str]) -> list[str]:
    """Services that may not be used under the given compliance regimes (sorted, unique)."""
    regimes = {str(c) for c in compliance}
    if "HIPAA" not in regimes:
        return []
    return sorted({s for s in service_keys if not hipaa_allowed(s)})


def check_design(design: Any, compliance: Iterable[str]) -> list[dict[str, str]]:
    """Resources of a design whose service is not confirmed eligible for the compliance regimes."""
    regimes = {str(c) for c in compliance}
    if "HIPAA" not in regimes:
        return []
    out = []
    for r in sorted(design.resources, key=lambda r: r.logical_id):
        key = service_for_type(r.type, r.properties)
        status: Status = hipaa_status(key) if key else "unknown"
        if status not in ("eligible", "n/a"):
            out.append(
                {"logical_id": r.logical_id, "type": r.type, "service": key or "unmapped", "status": status}
            )
    return out


def evidence(service: str) -> list[dict[str, str]]:
    data = load_eligibility()
    svc = data["services"].get(service, {})
    return [dict(data["sources"][e], id=e) for e in svc.get("evidence", [])]
