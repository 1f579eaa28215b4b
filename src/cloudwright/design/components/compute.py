"""``ec2-asg``: launch template + Auto Scaling group in the private subnets (seed 002).

IMDSv2 only, encrypted gp3 root volume, SSM Session Manager instead of SSH (no key pair, no port 22),
ELB health checks, CPU target tracking at 70%, min/desired/max sized from the load.
"""

from __future__ import annotations

from typing import Any

from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, BuilderOptions, component
from cloudwright.design.components.iam import EC2_SERVICE, managed_policy, trust_policy
from cloudwright.design.components.observability import log_group, tags

INSTANCE_TYPES = {"dev": "t3.micro", "staging": "t3.small", "prod": "t3.medium"}
AMI = "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}"


class InstanceOptions(BuilderOptions):
    """Options of ``ec2-asg`` and ``eks``."""

    instance_type: str | None = None
    """The EC2 instance type; ``None``: the environment's default."""


@component(
    "ec2-asg",
    options=InstanceOptions,
    needs=["network"],
    uses=["kms_key", "security_groups", "load_balancer", "database", "cache"],
)
def ec2_asg(ctx: BuildContext, options: InstanceOptions) -> None:
    net = ctx.need(ctx.provided.network, "network")
    sg = ctx.security_group("app", "AppSecurityGroup")
    alb = ctx.provided.load_balancer
    load = sizing.load_for(ctx.requirements, ctx.load_factor)
    counts = sizing.ec2_instances(load, is_prod=ctx.is_prod, az_count=ctx.az_count)
    itype = options.instance_type or INSTANCE_TYPES.get(ctx.environment, "t3.medium")
    log_group(ctx, "AppLogGroup", label="application logs", gb_per_month=sizing.log_ingest_gb(load).value)
    _app_instance_role(ctx)
    ctx.add(
        "LaunchTemplate",
        "AWS::EC2::LaunchTemplate",
        {"LaunchTemplateData": launch_template_data(ctx, AMI, itype, "InstanceProfile", sg, 20, "web")},
        label=f"launch template {itype}",
        role="compute",
        rationale="IMDSv2 required, encrypted root volume (default EBS key so Auto Scaling can launch it), no SSH key",  # noqa: E501
        sizing=[
            {
                "rule": f"{itype} in {ctx.environment}",
                "value": itype,
                "source": "seed 002 (t3.medium web servers); seed 003 (t3.micro dev)",
            }
        ],
        component_id="ec2-asg",
    )
    asg = asg_properties(ctx, counts, "LaunchTemplate", grace_s=300, name="web")
    ctx.add(
        "AutoScalingGroup",
        "AWS::AutoScaling::AutoScalingGroup",
        asg,
        usage={},
        label=f"Auto Scaling group {itype} ({counts['min'].value}-{counts['max'].value})",
        role="compute",
        rationale="instances across AZs, replaced on failed ELB health checks",
        sizing=[d.note() for d in counts.values()],
        tier="private",
        vpc=net.vpc,
        azs=ctx.azs,
        component_id="ec2-asg",
    )
    ctx.add(
        "CpuScalingPolicy",
        "AWS::AutoScaling::ScalingPolicy",
        cpu_target_tracking("AutoScalingGroup"),
        label="target tracking CPU 70%",
        role="scaling",
        sizing=[{"rule": "CPU target 70%", "value": 70, "source": sizing.SRC_SEED_002}],
        component_id="ec2-asg",
    )
    if alb:
        ctx.connect(alb.target_group, "AutoScalingGroup", "request", "HTTP :8080")
    for dep, store in (("database", ctx.provided.database), ("cache", ctx.provided.cache)):
        if store:
            ctx.connect("AutoScalingGroup", store.resource, "data", dep)
    warn = sizing.quota_warning("elb.targets_per_alb", counts["max"].value)
    if warn:
        ctx.warn(warn)


def _app_instance_role(ctx: BuildContext) -> None:
    """The application servers' role: write their logs, read the database secret, decrypt with the key."""
    policies: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::Sub": "${AppLogGroup.Arn}"},
        }
    ]
    db = ctx.provided.database
    if db:
        policies.append(
            {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": db.secret}
        )
    policies += kms_decrypt(ctx)
    instance_role(
        ctx,
        "InstanceRole",
        "InstanceProfile",
        policy_name="app",
        statements=policies,
        label="instance role",
        rationale="Session Manager access, logs, the database secret only",
        component_id="ec2-asg",
    )


def cpu_target_tracking(group: str, target: float = 70.0) -> dict[str, Any]:
    """A target-tracking scaling policy holding ``group``'s average CPU at ``target`` percent."""
    return {
        "AutoScalingGroupName": {"Ref": group},
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingConfiguration": {
            "TargetValue": target,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
        },
    }


# --- shared with the GPU fleet -------------------------------------------------------------------------
def kms_decrypt(ctx: BuildContext) -> list[dict[str, Any]]:
    """``kms:Decrypt`` on the pattern's customer managed key, when it has one."""
    if not ctx.provided.kms_key:
        return []
    key = ctx.provided.kms_key.key
    return [{"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": {"Fn::GetAtt": [key, "Arn"]}}]


def instance_role(
    ctx: BuildContext,
    role_id: str,
    profile_id: str,
    *,
    policy_name: str,
    statements: list[dict[str, Any]],
    label: str,
    rationale: str,
    component_id: str,
) -> None:
    """An EC2 instance role (Session Manager instead of SSH, plus ``statements``) and its profile."""
    ctx.add(
        role_id,
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy(EC2_SERVICE),
            "ManagedPolicyArns": [managed_policy("AmazonSSMManagedInstanceCore")],
            "Policies": [
                {
                    "PolicyName": policy_name,
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                }
            ],
        },
        label=label,
        role="iam",
        rationale=rationale,
        component_id=component_id,
    )
    ctx.add(
        profile_id,
        "AWS::IAM::InstanceProfile",
        {"Roles": [{"Ref": role_id}]},
        label="instance profile",
        role="iam",
        component_id=component_id,
    )


def launch_template_data(
    ctx: BuildContext, image: str, instance_type: str, profile: str, sg: str, volume_gb: int, name: str
) -> dict[str, Any]:
    """Launch template data: IMDSv2 only, detailed monitoring, EBS-optimised, encrypted gp3 root volume,
    no SSH key pair; instances tagged ``<prefix>-<name>``."""
    return {
        "ImageId": image,
        "InstanceType": instance_type,
        "IamInstanceProfile": {"Arn": {"Fn::GetAtt": [profile, "Arn"]}},
        "SecurityGroupIds": [{"Fn::GetAtt": [sg, "GroupId"]}],
        "MetadataOptions": {
            "HttpTokens": "required",
            "HttpEndpoint": "enabled",
            "HttpPutResponseHopLimit": 1,
        },
        "Monitoring": {"Enabled": True},
        "EbsOptimized": True,
        "BlockDeviceMappings": [
            {
                "DeviceName": "/dev/xvda",
                "Ebs": {
                    "VolumeSize": volume_gb,
                    "VolumeType": "gp3",
                    "Encrypted": True,
                    "DeleteOnTermination": True,
                },
            }
        ],
        "TagSpecifications": [{"ResourceType": "instance", "Tags": tags(ctx, f"{ctx.name_prefix}-{name}")}],
    }


def asg_properties(
    ctx: BuildContext, counts: dict[str, sizing.Decision], template: str, *, grace_s: int, name: str
) -> dict[str, Any]:
    """An Auto Scaling group across the private subnets from ``template``'s latest version, registered
    with the load balancer's target group (ELB health checks) when the pattern has one."""
    net = ctx.need(ctx.provided.network, "network")
    alb = ctx.provided.load_balancer
    asg: dict[str, Any] = {
        "MinSize": str(counts["min"].value),
        "MaxSize": str(counts["max"].value),
        "DesiredCapacity": str(counts["desired"].value),
        "VPCZoneIdentifier": [{"Ref": s} for s in net.private_subnets],
        "LaunchTemplate": {
            "LaunchTemplateId": {"Ref": template},
            "Version": {"Fn::GetAtt": [template, "LatestVersionNumber"]},
        },
        "HealthCheckType": "ELB" if alb else "EC2",
        "HealthCheckGracePeriod": grace_s,
        "Tags": [{"Key": "Name", "Value": f"{ctx.name_prefix}-{name}", "PropagateAtLaunch": True}],
    }
    if alb:
        asg["TargetGroupARNs"] = [{"Ref": alb.target_group}]
    return asg
