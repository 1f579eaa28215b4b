"""``security-groups`` (seed 003 tier-to-tier rules) and ``kms`` (the customer managed key).

Security groups (seed 003): ALB 443 (and 80 for the redirect) from the internet → application 8080
from the ALB only → database 5432 and cache 6379 from the application only. Database and cache groups
have no egress. Rules between groups are separate ingress/egress resources so groups can refer to
each other without a dependency cycle.
"""

from __future__ import annotations

from typing import Any

from cloudwright.design.build import BuildContext, KmsKey, SecurityGroups, component
from cloudwright.design.components.observability import checkov_skip, tags
from cloudwright.design.model import Tier

SRC_SG = "seed 003 Security Groups (ALB 443 → ECS 8080 → RDS 5432 / Redis 6379)"
SRC_KMS_ROTATION = "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"
NO_EGRESS = [{"IpProtocol": "-1", "CidrIp": "127.0.0.1/32", "Description": "no egress"}]


@component("security-groups", needs=["network"], provides=["security_groups"], stage="network")
def security_groups(ctx: BuildContext, options: dict[str, Any]) -> None:
    net = ctx.need(ctx.provided.network, "network")
    vpc = net.vpc
    app_port = int(options.get("app_port", 8080))
    db_port = int(options.get("db_port", 5432))
    cache_port = int(options.get("cache_port", 6379))
    used = ctx.pattern_builders
    prefix = ctx.name_prefix
    rules: list[dict[str, Any]] = []

    def group(
        lid: str,
        desc: str,
        tier: Tier,
        ingress: list[dict[str, Any]],
        egress: list[dict[str, Any]],
        attributes: dict[str, Any] | None = None,
    ) -> None:
        ctx.add(
            lid,
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": desc,
                "VpcId": {"Ref": vpc},
                "SecurityGroupIngress": ingress,
                "SecurityGroupEgress": egress,
                "Tags": tags(ctx, f"{prefix}-{lid}"),
            },
            label=desc,
            role="firewall",
            rationale="tier-to-tier least privilege (seed 003)",
            tier=tier,
            vpc=vpc,
            component_id="security-groups",
            attributes=attributes,
        )

    def rule(lid: str, kind: str, group_id: str, port: int, peer: str, desc: str) -> None:
        t = "AWS::EC2::SecurityGroupIngress" if kind == "in" else "AWS::EC2::SecurityGroupEgress"
        props: dict[str, Any] = {
            "GroupId": {"Fn::GetAtt": [group_id, "GroupId"]},
            "IpProtocol": "tcp",
            "FromPort": port,
            "ToPort": port,
            "Description": desc,
        }
        props["SourceSecurityGroupId" if kind == "in" else "DestinationSecurityGroupId"] = {
            "Fn::GetAtt": [peer, "GroupId"]
        }
        ctx.add(
            lid,
            t,
            props,
            label=desc,
            role="firewall",
            tier="private",
            vpc=vpc,
            component_id="security-groups",
        )
        src, dst = (peer, group_id) if kind == "in" else (group_id, peer)
        rules.append({"from": src, "to": dst, "port": port, "protocol": "tcp", "description": desc})

    group(
        "AlbSecurityGroup",
        "Load balancer: HTTPS from the internet",
        "public",
        [
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
        ],
        NO_EGRESS,
        checkov_skip(("CKV_AWS_260", "Port 80 only answers with a 301 redirect to HTTPS (listener rule).")),
    )
    rules += [
        {
            "from": "0.0.0.0/0",
            "to": "AlbSecurityGroup",
            "port": 443,
            "protocol": "tcp",
            "description": "HTTPS",
        },
        {
            "from": "0.0.0.0/0",
            "to": "AlbSecurityGroup",
            "port": 80,
            "protocol": "tcp",
            "description": "HTTP → HTTPS redirect",
        },
    ]
    group(
        "AppSecurityGroup",
        "Application: only from the load balancer",
        "private",
        [],
        [
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "CidrIp": "0.0.0.0/0",
                "Description": "HTTPS to AWS APIs and external services",
            }
        ],
    )
    rules.append(
        {
            "from": "AppSecurityGroup",
            "to": "0.0.0.0/0",
            "port": 443,
            "protocol": "tcp",
            "description": "HTTPS out",
        }
    )
    rule(
        "AlbToAppEgress",
        "out",
        "AlbSecurityGroup",
        app_port,
        "AppSecurityGroup",
        f"ALB to application on {app_port}",
    )
    rule(
        "AppFromAlbIngress",
        "in",
        "AppSecurityGroup",
        app_port,
        "AlbSecurityGroup",
        f"application {app_port} from the ALB",
    )
    out: dict[str, str] = {"alb": "AlbSecurityGroup", "app": "AppSecurityGroup"}
    if used & {"aurora", "rds"} or options.get("database"):
        group("DatabaseSecurityGroup", "Database: only from the application", "data", [], NO_EGRESS)
        rule(
            "DatabaseFromAppIngress",
            "in",
            "DatabaseSecurityGroup",
            db_port,
            "AppSecurityGroup",
            f"database {db_port} from the application",
        )
        rule(
            "AppToDatabaseEgress",
            "out",
            "AppSecurityGroup",
            db_port,
            "DatabaseSecurityGroup",
            f"application to database on {db_port}",
        )
        out["db"] = "DatabaseSecurityGroup"
    if "elasticache" in used or options.get("cache"):
        group("CacheSecurityGroup", "Cache: only from the application", "data", [], NO_EGRESS)
        rule(
            "CacheFromAppIngress",
            "in",
            "CacheSecurityGroup",
            cache_port,
            "AppSecurityGroup",
            f"cache {cache_port} from the application",
        )
        rule(
            "AppToCacheEgress",
            "out",
            "AppSecurityGroup",
            cache_port,
            "CacheSecurityGroup",
            f"application to cache on {cache_port}",
        )
        out["cache"] = "CacheSecurityGroup"
    ctx.provided.security_groups = SecurityGroups(**out)
    ctx.design.network["security_groups"] = {
        "groups": dict(sorted(out.items())),
        "rules": rules,
        "source": SRC_SG,
    }


@component("kms", provides=["kms_key"], stage="foundation")
def kms(ctx: BuildContext, options: dict[str, Any]) -> None:
    statements: list[dict[str, Any]] = [
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
    ctx.design.network.setdefault("encryption", {})["kms_key"] = "DataKey"
