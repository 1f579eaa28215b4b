"""Usage files: per-resource usage assumptions, addressed by CloudFormation logical id.

Format (YAML)::

    version: 0.1
    resource_type_default_usage:          # applies to every resource of that type
      AWS::Lambda::Function:
        request_duration_ms: 100
    resource_usage:                       # per logical id; wins over the type default
      ApiFunction:
        monthly_requests: 30000000

An infracost usage file is accepted too: Terraform addresses (``aws_lambda_function.api_function``) are
mapped to CloudFormation types and matched to logical ids case-insensitively, ignoring ``_`` and ``-``
(so ``api_function`` matches ``ApiFunction``). Keys the cost model does not know are reported, not
silently dropped (native files) or listed as ignored (infracost files).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cloudwright.design.model import Design, Resource
from cloudwright.errors import InputError
from cloudwright.units import JsonObject

#: infracost (Terraform) resource type → CloudFormation type.
TERRAFORM_TO_CFN: dict[str, str] = {
    "aws_lambda_function": "AWS::Lambda::Function",
    "aws_api_gateway_rest_api": "AWS::ApiGateway::RestApi",
    "aws_api_gateway_stage": "AWS::ApiGateway::Stage",
    "aws_apigatewayv2_api": "AWS::ApiGatewayV2::Api",
    "aws_dynamodb_table": "AWS::DynamoDB::Table",
    "aws_dynamodb_global_table": "AWS::DynamoDB::GlobalTable",
    "aws_s3_bucket": "AWS::S3::Bucket",
    "aws_cloudfront_distribution": "AWS::CloudFront::Distribution",
    "aws_cognito_user_pool": "AWS::Cognito::UserPool",
    "aws_sqs_queue": "AWS::SQS::Queue",
    "aws_sns_topic": "AWS::SNS::Topic",
    "aws_cloudwatch_event_bus": "AWS::Events::EventBus",
    "aws_sfn_state_machine": "AWS::StepFunctions::StateMachine",
    "aws_kinesis_stream": "AWS::Kinesis::Stream",
    "aws_kinesis_firehose_delivery_stream": "AWS::KinesisFirehose::DeliveryStream",
    "aws_glue_crawler": "AWS::Glue::Crawler",
    "aws_glue_job": "AWS::Glue::Job",
    "aws_glue_catalog_database": "AWS::Glue::Database",
    "aws_athena_workgroup": "AWS::Athena::WorkGroup",
    "aws_ecs_service": "AWS::ECS::Service",
    "aws_instance": "AWS::EC2::Instance",
    "aws_autoscaling_group": "AWS::AutoScaling::AutoScalingGroup",
    "aws_ebs_volume": "AWS::EC2::Volume",
    "aws_lb": "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "aws_alb": "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "aws_nat_gateway": "AWS::EC2::NatGateway",
    "aws_vpc_endpoint": "AWS::EC2::VPCEndpoint",
    "aws_eip": "AWS::EC2::EIP",
    "aws_db_instance": "AWS::RDS::DBInstance",
    "aws_rds_cluster": "AWS::RDS::DBCluster",
    "aws_rds_cluster_instance": "AWS::RDS::DBInstance",
    "aws_elasticache_replication_group": "AWS::ElastiCache::ReplicationGroup",
    "aws_elasticache_cluster": "AWS::ElastiCache::CacheCluster",
    "aws_elasticache_serverless_cache": "AWS::ElastiCache::ServerlessCache",
    "aws_route53_zone": "AWS::Route53::HostedZone",
    "aws_route53_health_check": "AWS::Route53::HealthCheck",
    "aws_cloudwatch_log_group": "AWS::Logs::LogGroup",
    "aws_cloudwatch_metric_alarm": "AWS::CloudWatch::Alarm",
    "aws_cloudwatch_dashboard": "AWS::CloudWatch::Dashboard",
    "aws_secretsmanager_secret": "AWS::SecretsManager::Secret",
    "aws_kms_key": "AWS::KMS::Key",
    "aws_wafv2_web_acl": "AWS::WAFv2::WebACL",
    "aws_eks_cluster": "AWS::EKS::Cluster",
    "aws_eks_node_group": "AWS::EKS::Nodegroup",
    "aws_efs_file_system": "AWS::EFS::FileSystem",
    "aws_appsync_graphql_api": "AWS::AppSync::GraphQLApi",
    "aws_iot_topic_rule": "AWS::IoT::TopicRule",
    "aws_timestreamwrite_table": "AWS::Timestream::Table",
}

#: infracost keys whose name differs from ours (same meaning), per CloudFormation type.
INFRACOST_KEY_ALIASES: dict[str, dict[str, str]] = {
    "AWS::RDS::DBInstance": {"additional_backup_storage_gb": "backup_storage_gb"},
    "AWS::AutoScaling::AutoScalingGroup": {"instances": "desired_count"},
    "AWS::EKS::Nodegroup": {"instances": "desired_count"},
    "AWS::Glue::Database": {"monthly_objects": "storage_objects"},
}

#: infracost keys cloudwright accepts but does not apply yet, per CloudFormation type. A value given
#: for one becomes a line without a price ("not applied yet"), so the estimate is marked incomplete
#: instead of silently ignoring usage that changes the price.
INFRACOST_NOT_APPLIED: dict[str, frozenset[str]] = {}


def not_applied(cfn_type: str, usage: JsonObject) -> list[str]:
    """infracost keys in ``usage`` that cloudwright accepts but does not apply yet (value given)."""
    keys = INFRACOST_NOT_APPLIED.get(cfn_type)
    if not keys or not usage:
        return []
    return sorted(k for k, v in usage.items() if k in keys and v not in (None, 0, "", {}))


@dataclass
class UsageFile:
    """A parsed usage file (native or infracost)."""

    resource_usage: dict[str, JsonObject] = field(default_factory=dict)
    #: Keys are CloudFormation types, or ``tf:<terraform type>`` until mapped.
    type_defaults: dict[str, JsonObject] = field(default_factory=dict)
    #: Terraform addresses not yet matched to logical ids: ``(cfn_type, name) → usage``.
    terraform: dict[tuple[str, str], JsonObject] = field(default_factory=dict)
    source: str = ""
    ignored: list[str] = field(default_factory=list)

    @property
    def is_infracost(self) -> bool:
        return bool(self.terraform)


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _flatten(cfn_type: str, usage: JsonObject) -> JsonObject:
    """infracost usage as cloudwright reads it: keys renamed where cloudwright's name differs (same
    meaning); S3 storage-class blocks stay blocks (the S3 model prices each class)."""
    aliases = INFRACOST_KEY_ALIASES.get(cfn_type, {})
    return {aliases.get(k, k): v for k, v in usage.items()}


def parse_usage(doc: Any, source: str = "usage file") -> UsageFile:
    """Parse a (checked, see :mod:`cloudwright.pricing.input_schema`) usage document."""
    from cloudwright.pricing.input_schema import usage_document

    checked = usage_document(doc, source)
    uf = UsageFile(source=source)
    for addr, usage in checked.get("resource_usage", {}).items():
        tf = _terraform_address(addr)
        if tf is None:
            uf.resource_usage[addr] = dict(usage)
        else:
            tf_type, name = tf
            cfn = TERRAFORM_TO_CFN.get(tf_type)
            if cfn is None:
                uf.ignored.append(f"{addr}: no CloudFormation equivalent for {tf_type}")
                continue
            uf.terraform[(cfn, name)] = _flatten(cfn, usage)
    for rtype, usage in checked.get("resource_type_default_usage", {}).items():
        if rtype.startswith("aws_"):
            cfn = TERRAFORM_TO_CFN.get(rtype)
            if cfn is None:
                uf.ignored.append(f"{rtype}: no CloudFormation equivalent")
                continue
            uf.type_defaults[cfn] = _flatten(cfn, usage)
        else:
            uf.type_defaults[rtype] = dict(usage)
    return uf


def _terraform_address(addr: str) -> tuple[str, str] | None:
    """``module.app.aws_lambda_function.my_fn[0]`` → ``("aws_lambda_function", "my_fn")``."""
    if "." not in addr or "::" in addr:
        return None
    parts = [re.sub(r"\[.*?\]$", "", p) for p in addr.split(".")]
    for i in range(len(parts) - 1):
        if parts[i].startswith("aws_") and parts[i] != "module":
            return parts[i], parts[i + 1].strip('"')
    return None


def load_usage_file(path: str | Path) -> UsageFile:
    from cloudwright.pricing.input_schema import with_location
    from cloudwright.requirements import read_document

    doc = read_document(path, field="--usage-file", what="usage file")
    try:
        return parse_usage(doc, source=str(path))
    except InputError as exc:
        raise with_location(exc, str(path), _text(path)) from None


def _text(path: str | Path) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def usage_for(resource: Resource, usage_file: UsageFile | None) -> JsonObject:
    """Design usage < type defaults from the file < per-resource usage from the file."""
    merged = dict(resource.usage)
    if usage_file is None:
        return merged
    merged.update(usage_file.type_defaults.get(resource.type, {}))
    for (cfn, name), usage in sorted(usage_file.terraform.items()):
        if cfn == resource.type and _norm(name) == _norm(resource.logical_id):
            merged.update(usage)
    merged.update(usage_file.resource_usage.get(resource.logical_id, {}))
    return merged


def check_usage_keys(design: Design, usage_file: UsageFile | None) -> list[str]:
    """Validate usage keys against the cost models. Native files: error; infracost files: warnings."""
    from cloudwright.pricing.registry import load_cost_models

    if usage_file is None:
        return []
    models = load_cost_models()
    warnings = list(usage_file.ignored)
    ids = {r.logical_id: r for r in design.resources}
    for logical_id, usage in sorted(usage_file.resource_usage.items()):
        if logical_id not in ids:
            warnings.append(f"resource_usage.{logical_id}: no such resource in the template")
            continue
        model = models.get(ids[logical_id].type)
        allowed = {u.key for u in model.usage} if model else set()
        allowed |= INFRACOST_NOT_APPLIED.get(ids[logical_id].type, frozenset())
        for key in sorted(usage):
            if key not in allowed:
                raise InputError(
                    f"unknown usage key for {ids[logical_id].type}",
                    field=f"resource_usage.{logical_id}.{key}",
                    value=key,
                    allowed=sorted(allowed) or "no usage keys",
                )
    for (cfn, name), usage in sorted(usage_file.terraform.items()):
        model = models.get(cfn)
        allowed = {u.key for u in model.usage} if model else set()
        if not any(r.type == cfn and _norm(r.logical_id) == _norm(name) for r in design.resources):
            warnings.append(f"{cfn} {name}: no matching logical id in the template")
        pending = INFRACOST_NOT_APPLIED.get(cfn, frozenset())
        for key in sorted(set(usage) - allowed - pending):
            warnings.append(f"{cfn} {name}: usage key {key} is not used by cloudwright (ignored)")
    return warnings


def usage_template(design: Design) -> str:
    """A usage file for ``design`` with every key documented as a comment (current values filled in)."""
    from cloudwright.pricing.registry import load_cost_models

    models = load_cost_models()
    lines = [
        "# cloudwright usage file — monthly figures unless a key says otherwise.",
        "# Unknown values stay null: the estimate then says 'depends on usage: $X per unit'.",
        "# Keys follow infracost's usage-file names; resources are addressed by logical id.",
        "version: 0.1",
        "resource_usage:",
    ]
    types_seen: list[str] = []
    for r in design.sorted_resources():
        model = models.get(r.type)
        if model is None or not model.usage:
            continue
        if r.type not in types_seen:
            types_seen.append(r.type)
        lines.append(f"  {r.logical_id}:  # {r.type}")
        width = max(len(u.key) for u in model.usage) + 2
        for u in model.usage:
            value = r.usage.get(u.key)
            shown = "null" if value is None else yaml.safe_dump(value, default_flow_style=True).strip()
            shown = shown.removesuffix("\n...").strip()
            lines.append(f"    {(u.key + ':').ljust(width)} {shown:<14} # {u.description} ({u.unit})")
    if len(lines) == 5:
        lines[-1] = "resource_usage: {}"
    lines.append("# Per-type defaults (a resource's own entry wins):")
    lines.append("# resource_type_default_usage:")
    for t in sorted(types_seen):
        lines.append(f"#   {t}:")
        for u in models[t].usage:
            lines.append(f"#     {u.key}: null")
    return "\n".join(lines) + "\n"
