"""The icon/label catalogue (``icons.yaml``) and small helpers that describe resources for people."""

from __future__ import annotations

from functools import cache
from importlib import resources as importlib_resources
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict

CATEGORY_COLOURS = {
    "analytics": "#8C4FFF",
    "api": "#E7157B",
    "compute": "#ED7100",
    "containers": "#ED7100",
    "database": "#C925D1",
    "edge": "#8C4FFF",
    "identity": "#DD344C",
    "integration": "#E7157B",
    "iot": "#01A88D",
    "management": "#E7157B",
    "network": "#8C4FFF",
    "security": "#DD344C",
    "storage": "#7AA116",
    "other": "#5A6B86",
}


class TypeInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: str
    icon: str
    label: str
    diagram: bool = True
    #: Properties worth showing in the services table (dotted paths).
    config: tuple[str, ...] = ()


@cache
def load_icons() -> MappingProxyType[str, TypeInfo]:
    """CloudFormation type → :class:`TypeInfo`, validated, from ``render/icons.yaml``."""
    import yaml

    text = importlib_resources.files("cloudwright.render").joinpath("icons.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    out: dict[str, TypeInfo] = {}
    for cfn_type, raw in sorted((data.get("types") or {}).items()):
        info = TypeInfo.model_validate(raw)
        if info.category not in CATEGORY_COLOURS:
            raise ValueError(f"icons.yaml: {cfn_type}: unknown category {info.category!r}")
        out[cfn_type] = info
    return MappingProxyType(out)


def type_info(cfn_type: str) -> TypeInfo:
    """The entry for a type, or a neutral one for types the catalogue does not know."""
    found = load_icons().get(cfn_type)
    if found is not None:
        return found
    service = cfn_type.split("::")[1] if cfn_type.count("::") >= 2 else cfn_type
    return TypeInfo(category="other", icon="", label=service)


#: Properties shown in the services table per type (the first ones present are used).
_CONFIG_KEYS: dict[str, tuple[str, ...]] = {
    "AWS::Lambda::Function": (
        "Runtime",
        "MemorySize",
        "Timeout",
        "Architectures",
        "ReservedConcurrentExecutions",
    ),
    "AWS::ECS::Service": ("LaunchType", "DesiredCount"),
    "AWS::ECS::TaskDefinition": ("Cpu", "Memory"),
    "AWS::EKS::Cluster": ("Version",),
    "AWS::EKS::Nodegroup": ("InstanceTypes", "ScalingConfig", "CapacityType"),
    "AWS::AutoScaling::AutoScalingGroup": ("MinSize", "MaxSize", "DesiredCapacity"),
    "AWS::EC2::Instance": ("InstanceType",),
    "AWS::RDS::DBCluster": (
        "Engine",
        "EngineVersion",
        "ServerlessV2ScalingConfiguration",
        "StorageEncrypted",
    ),
    "AWS::RDS::DBInstance": ("Engine", "DBInstanceClass", "MultiAZ", "AllocatedStorage", "StorageEncrypted"),
    "AWS::ElastiCache::ReplicationGroup": (
        "Engine",
        "CacheNodeType",
        "NumCacheClusters",
        "NumNodeGroups",
        "AutomaticFailoverEnabled",
    ),
    "AWS::ElastiCache::ServerlessCache": ("Engine",),
    "AWS::DynamoDB::Table": ("BillingMode", "ProvisionedThroughput"),
    "AWS::DynamoDB::GlobalTable": ("BillingMode", "Replicas"),
    "AWS::Kinesis::Stream": ("ShardCount", "StreamModeDetails", "RetentionPeriodHours"),
    "AWS::KinesisFirehose::DeliveryStream": ("DeliveryStreamType",),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("Type", "Scheme"),
    "AWS::SQS::Queue": (
        "FifoQueue",
        "VisibilityTimeout",
        "MessageRetentionPeriod",
        "RedrivePolicy.maxReceiveCount",
    ),
    "AWS::SNS::Topic": ("FifoTopic",),
    "AWS::StepFunctions::StateMachine": ("StateMachineType",),
    "AWS::ApiGateway::RestApi": ("EndpointConfiguration.Types",),
    "AWS::ApiGatewayV2::Api": ("ProtocolType",),
    "AWS::AppSync::GraphQLApi": ("AuthenticationType",),
    "AWS::CloudFront::Distribution": ("DistributionConfig.PriceClass", "DistributionConfig.HttpVersion"),
    "AWS::S3::Bucket": ("VersioningConfiguration.Status",),
    "AWS::EC2::NatGateway": ("ConnectivityType",),
    "AWS::EC2::VPCEndpoint": ("VpcEndpointType", "ServiceName"),
    "AWS::Cognito::UserPool": ("MfaConfiguration",),
    "AWS::WAFv2::WebACL": ("Scope",),
    "AWS::KMS::Key": ("EnableKeyRotation",),
    "AWS::Logs::LogGroup": ("RetentionInDays",),
    "AWS::EC2::VPC": ("CidrBlock",),
    "AWS::EC2::Subnet": ("CidrBlock",),
}


def config_summary(cfn_type: str, properties: dict[str, Any], limit: int = 5) -> list[str]:
    """Short ``Key=value`` strings describing how a resource is configured."""
    keys = _CONFIG_KEYS.get(cfn_type)
    out: list[str] = []
    if keys:
        for key in keys:
            value = _dig(properties, key)
            if value is not None:
                out.append(f"{key.split('.')[-1]}={short_value(value)}")
    else:
        for key in sorted(properties):
            value = properties[key]
            if isinstance(value, bool | int | float) or (isinstance(value, str) and len(value) <= 40):
                if key.endswith("Name") or key in ("Description",):
                    continue
                out.append(f"{key}={short_value(value)}")
    return out[:limit]


def _dig(node: Any, path: str) -> Any:
    cur = node
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return None
    return cur


def short_value(value: Any) -> str:
    """A compact, deterministic text form of a property value (intrinsics shown as ``Ref X``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        from cloudwright.cfn.intrinsics import short_text

        text = short_text(value)
        if text is not None:
            return text
        inner = ", ".join(f"{k}: {short_value(v)}" for k, v in sorted(value.items()))
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(short_value(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
