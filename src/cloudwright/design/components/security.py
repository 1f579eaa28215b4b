"""``security-groups`` (seed 003 tier-to-tier rules) and ``kms`` (the customer managed key).

Security groups (seed 003): ALB 443 (and 80 for the redirect) from the internet → application 8080
from the ALB only → database 5432 and cache 6379 from the application only. Database and cache groups
have no egress. Rules between groups are separate ingress/egress resources so groups can refer to
each other without a dependency cycle.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from cloudwright.design.build import (
    BuildContext,
    BuilderOptions,
    KmsKey,
    NoOptions,
    SecurityGroups,
    component,
    json_copy,
)
from cloudwright.design.components.observability import checkov_skip, tags
from cloudwright.design.model import Tier

SRC_SG = "seed 003 Security Groups (ALB 443 → ECS 8080 → RDS 5432 / Redis 6379)"
SRC_KMS_ROTATION = "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"
NO_EGRESS = [{"IpProtocol": "-1", "CidrIp": "127.0.0.1/32", "Description": "no egress"}]

ALB_INGRESS: list[dict[str, Any]] = [
    {
        "IpProtocol": "tcp",
        "FromPort": 443,
        "ToPort": 443,
        "CidrIp": "0.0.0.0/0",
        "Description": "HTTPS from anywhere",
    },
    {
        "IpProtocol": "tcp",
        "FromPort": 80,
        "ToPort": 80,
        "CidrIp": "0.0.0.0/0",
        "Description": "HTTP from anywhere, redirected to HTTPS",
    },
]
ALB_RULES: list[dict[str, Any]] = [
    {"from": "0.0.0.0/0", "to": "AlbSecurityGroup", "port": 443, "protocol": "tcp", "description": "HTTPS"},
    {
        "from": "0.0.0.0/0",
        "to": "AlbSecurityGroup",
        "port": 80,
        "protocol": "tcp",
        "description": "HTTP → HTTPS redirect",
    },
]
APP_EGRESS: list[dict[str, Any]] = [
    {
        "IpProtocol": "tcp",
        "FromPort": 443,
        "ToPort": 443,
        "CidrIp": "0.0.0.0/0",
        "Description": "HTTPS to AWS APIs and external services",
    }
]
APP_EGRESS_RULE: dict[str, Any] = {
    "from": "AppSecurityGroup",
    "to": "0.0.0.0/0",
    "port": 443,
    "protocol": "tcp",
    "description": "HTTPS out",
}


#: Key policy: the account administers the key; CloudWatch Logs, alarms/events and CloudTrail may use it.
KEY_POLICY_STATEMENTS: list[dict[str, Any]] = [
    {
        "Sid": "AccountAdministration",
        "Effect": "Allow",
        "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
        "Action": "kms:*",
        "Resource": "*",
    },
    {
        "Sid": "CloudWatchLogs",
        "Effect": "Allow",
        "Principal": {"Service": {"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}},
        "Action": [
            "kms:Encrypt*",
            "kms:Decrypt*",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:Describe*",
        ],
        "Resource": "*",
        "Condition": {
            "ArnLike": {
                "kms:EncryptionContext:aws:logs:arn": {
                    "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*"
                }
            }
        },
    },
    {
        "Sid": "AlarmsAndEvents",
        "Effect": "Allow",
        "Principal": {"Service": ["cloudwatch.amazonaws.com", "events.amazonaws.com"]},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
    },
    {
        "Sid": "CloudTrail",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
    },
]


def add_group(
    ctx: BuildContext,
    lid: str,
    desc: str,
    tier: Tier,
    vpc: str,
    ingress: list[dict[str, Any]],
    egress: list[dict[str, Any]] = NO_EGRESS,
    *,
    attributes: dict[str, Any] | None = None,
    component_id: str,
) -> None:
    """A security group; rules between groups are separate resources (:func:`add_rule`)."""
    ctx.add(
        lid,
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": desc,
            "VpcId": {"Ref": vpc},
            "SecurityGroupIngress": json_copy(ingress),
            "SecurityGroupEgress": json_copy(egress),
            "Tags": tags(ctx, f"{ctx.name_prefix}-{lid}"),
        },
        label=desc,
        role="firewall",
        rationale="tier-to-tier least privilege (seed 003)",
        tier=tier,
        vpc=vpc,
        component_id=component_id,
        attributes=attributes,
    )


def add_rule(
    ctx: BuildContext,
    lid: str,
    kind: str,
    group_id: str,
    port: int,
    peer: str | None,
    desc: str,
    vpc: str,
    *,
    component_id: str,
) -> None:
    """A TCP ingress (``kind`` ``in``) or egress rule of ``group_id`` to or from the ``peer`` group
    (anywhere when ``peer`` is None)."""
    props: dict[str, Any] = {
        "GroupId": {"Fn::GetAtt": [group_id, "GroupId"]},
        "IpProtocol": "tcp",
        "FromPort": port,
        "ToPort": port,
        "Description": desc,
    }
    if peer is None:
        props["CidrIp"] = "0.0.0.0/0"
    else:
        props["SourceSecurityGroupId" if kind == "in" else "DestinationSecurityGroupId"] = {
            "Fn::GetAtt": [peer, "GroupId"]
        }
    ctx.add(
        lid,
        "AWS::EC2::SecurityGroupIngress" if kind == "in" else "AWS::EC2::SecurityGroupEgress",
        props,
        label=desc,
        role="firewall",
        tier="private",
        vpc=vpc,
        component_id=component_id,
    )


class SecurityGroupsOptions(BuilderOptions):
    """Options of ``security-groups``."""

    app_port: int = Field(8080, ge=1, le=65535)
    """The port the application listens on (the load balancer reaches it there)."""
    database: bool = False
    """Make the database tier's group even when the pattern has no ``aurora`` or ``rds``."""
    db_port: int = Field(5432, ge=1, le=65535)
    """The database port."""
    cache: bool = False
    """Make the cache tier's group even when the pattern has no ``elasticache``."""
    cache_port: int = Field(6379, ge=1, le=65535)
    """The cache port."""


@component(
    "security-groups",
    options=SecurityGroupsOptions,
    needs=["network"],
    provides=["security_groups"],
    stage="network",
)
def security_groups(ctx: BuildContext, options: SecurityGroupsOptions) -> None:
    vpc = ctx.need(ctx.provided.network, "network").vpc
    app_port = options.app_port
    used = ctx.pattern_builders
    cid = "security-groups"
    rules: list[dict[str, Any]] = []
    add_group(
        ctx,
        "AlbSecurityGroup",
        "Load balancer: HTTPS from the internet",
        "public",
        vpc,
        ALB_INGRESS,
        attributes=checkov_skip(
            ("CKV_AWS_260", "Port 80 only answers with a 301 redirect to HTTPS (listener rule).")
        ),
        component_id=cid,
    )
    rules += json_copy(ALB_RULES)
    add_group(
        ctx,
        "AppSecurityGroup",
        "Application: only from the load balancer",
        "private",
        vpc,
        [],
        APP_EGRESS,
        component_id=cid,
    )
    rules.append(dict(APP_EGRESS_RULE))
    _linked_rule(
        ctx, rules, "AlbToAppEgress", "out", "AlbSecurityGroup", app_port, "AppSecurityGroup",
        f"ALB to application on {app_port}", vpc,
    )  # fmt: skip
    _linked_rule(
        ctx, rules, "AppFromAlbIngress", "in", "AppSecurityGroup", app_port, "AlbSecurityGroup",
        f"application {app_port} from the ALB", vpc,
    )  # fmt: skip
    out: dict[str, str] = {"alb": "AlbSecurityGroup", "app": "AppSecurityGroup"}
    if used & {"aurora", "rds"} or options.database:
        out["db"] = _data_tier(ctx, rules, "Database", "database", options.db_port, vpc)
    if "elasticache" in used or options.cache:
        out["cache"] = _data_tier(ctx, rules, "Cache", "cache", options.cache_port, vpc)
    ctx.provided.security_groups = SecurityGroups(**out)
    ctx.design.network["security_groups"] = {
        "groups": dict(sorted(out.items())),
        "rules": list(rules),
        "source": SRC_SG,
    }


def _linked_rule(
    ctx: BuildContext,
    rules: list[dict[str, Any]],
    lid: str,
    kind: str,
    group_id: str,
    port: int,
    peer: str,
    desc: str,
    vpc: str,
) -> None:
    """A rule between two groups, also listed in the design's network summary."""
    add_rule(ctx, lid, kind, group_id, port, peer, desc, vpc, component_id="security-groups")
    src, dst = (peer, group_id) if kind == "in" else (group_id, peer)
    rules.append({"from": src, "to": dst, "port": port, "protocol": "tcp", "description": desc})


def _data_tier(
    ctx: BuildContext, rules: list[dict[str, Any]], prefix: str, what: str, port: int, vpc: str
) -> str:
    """A data-tier group (no egress) reachable on ``port`` from the application only."""
    group = f"{prefix}SecurityGroup"
    add_group(
        ctx,
        group,
        f"{prefix}: only from the application",
        "data",
        vpc,
        [],
        NO_EGRESS,
        component_id="security-groups",
    )
    _linked_rule(
        ctx, rules, f"{prefix}FromAppIngress", "in", group, port, "AppSecurityGroup",
        f"{what} {port} from the application", vpc,
    )  # fmt: skip
    _linked_rule(
        ctx, rules, f"AppTo{prefix}Egress", "out", "AppSecurityGroup", port, group,
        f"application to {what} on {port}", vpc,
    )  # fmt: skip
    return group


@component("kms", options=NoOptions, provides=["kms_key"], stage="foundation")
def kms(ctx: BuildContext, options: NoOptions) -> None:
    statements = json_copy(KEY_POLICY_STATEMENTS)
    monthly = round(ctx.requirements.requests_per_month * ctx.load_factor * 0.01 + 10000)
    ctx.add(
        "DataKey",
        "AWS::KMS::Key",
        {
            "Description": f"{ctx.name_prefix} data encryption key",
            "EnableKeyRotation": True,
            "PendingWindowInDays": 30 if ctx.is_prod else 7,
            "KeyPolicy": {"Version": "2012-10-17", "Statement": statements},
            "Tags": tags(ctx, f"{ctx.name_prefix}-data"),
        },
        usage={"monthly_requests": monthly},
        label="Customer managed key",
        role="encryption",
        rationale="encryption at rest for data stores, logs and topics with yearly rotation",
        sizing=[
            {
                "rule": "~1% of requests reach KMS (data keys are cached) + 10,000 service calls",
                "value": monthly,
                "source": SRC_KMS_ROTATION,
            }
        ],
        component_id="kms",
        attributes={"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"} if ctx.is_prod else None,
    )
    ctx.add(
        "DataKeyAlias",
        "AWS::KMS::Alias",
        {"AliasName": f"alias/{ctx.name_prefix}-data", "TargetKeyId": {"Ref": "DataKey"}},
        label="key alias",
        role="encryption",
        component_id="kms",
    )
    ctx.provided.kms_key = KmsKey(key="DataKey", alias="DataKeyAlias")
    ctx.network_section("encryption")["kms_key"] = "DataKey"
