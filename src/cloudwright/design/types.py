"""The type catalogue: what each CloudFormation type is, for people (``data/types.yaml``: category, label,
whether it is a resource of its own or a supporting one), and small helpers that describe resources.

The report, the plan and the diagram read it; the icon of each type is rendering data and lives beside
the diagram (:mod:`cloudwright.render.icons`).
"""

from __future__ import annotations

from functools import cache
from importlib import resources as importlib_resources
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict

#: Service families: the report's grouping and the diagram's colour (``other`` for unknown types).
CATEGORIES = (
    "analytics",
    "api",
    "compute",
    "containers",
    "database",
    "edge",
    "identity",
    "integration",
    "iot",
    "management",
    "network",
    "security",
    "storage",
    "other",
)


class TypeInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    category: str
    label: str
    #: False for supporting resources folded into their parent (not drawn, no checklist task of their own).
    diagram: bool = True


@cache
def load_types() -> MappingProxyType[str, TypeInfo]:
    """CloudFormation type → :class:`TypeInfo`, validated, from ``data/types.yaml``."""
    from cloudwright import yamlfast

    text = importlib_resources.files("cloudwright").joinpath("data/types.yaml").read_text(encoding="utf-8")
    data = yamlfast.safe_load(text) or {}
    out: dict[str, TypeInfo] = {}
    for cfn_type, raw in sorted((data.get("types") or {}).items()):
        info = TypeInfo.model_validate(raw)
        if info.category not in CATEGORIES:
            raise ValueError(f"types.yaml: {cfn_type}: unknown category {info.category!r}")
        out[cfn_type] = info
    return MappingProxyType(out)


def type_info(cfn_type: str) -> TypeInfo:
    """The entry for a type, or a neutral one for types the catalogue does not know."""
    found = load_types().get(cfn_type)
    if found is not None:
        return found
    service = cfn_type.split("::")[1] if cfn_type.count("::") >= 2 else cfn_type
    return TypeInfo(category="other", label=service)


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
