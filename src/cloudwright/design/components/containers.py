"""``fargate-service``: ECS cluster, task definition and service on Fargate in the private subnets.

Tasks (0.5 vCPU / 1 GB) register with the ALB target group; target-tracking auto scaling at 70% CPU
between the sized minimum and maximum (seed 003). The task reads database credentials from the
managed Secrets Manager secret; the execution role can read only that secret.
"""

from __future__ import annotations

from typing import Any, Literal

from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, BuilderOptions, Network, component
from cloudwright.design.components.iam import managed_policy, trust_policy
from cloudwright.design.components.observability import log_group, tags

TASK_CPU = "512"
TASK_MEMORY = "1024"
ECS_TASKS = "ecs-tasks.amazonaws.com"
DEFAULT_IMAGE = "public.ecr.aws/docker/library/nginx:stable-alpine"


def container_image(ctx: BuildContext) -> dict[str, Any]:
    ctx.design.parameters.setdefault(
        "ContainerImage",
        {
            "Type": "String",
            "Default": DEFAULT_IMAGE,
            "Description": "Application container image (listens on 8080)",
        },
    )
    return {"Ref": "ContainerImage"}


def app_environment(ctx: BuildContext) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Any]]:
    """Environment variables, secrets and the secret ARNs the application needs from earlier builders."""
    env: list[dict[str, Any]] = [{"Name": "APP_ENV", "Value": ctx.environment}]
    secrets: list[dict[str, Any]] = []
    arns: list[Any] = []
    db = ctx.provided.database
    if db:
        env.append({"Name": "DB_HOST", "Value": db.endpoint})
        env.append({"Name": "DB_PORT", "Value": str(db.port)})
        secrets.append({"Name": "DB_CREDENTIALS", "ValueFrom": db.secret})
        arns.append(db.secret)
    cache = ctx.provided.cache
    if cache:
        env.append({"Name": "CACHE_HOST", "Value": cache.endpoint})
        env.append({"Name": "CACHE_TLS", "Value": "true"})
    return env, secrets, arns


class FargateOptions(BuilderOptions):
    """Options of ``fargate-service``."""

    scale_on: Literal["requests", "connections"] = "requests"
    """What sizes the tasks: ``requests`` (request rate), or ``connections`` (WebSocket connections and
    messages, :func:`cloudwright.design.sizing.websocket_tasks`)."""


@component(
    "fargate-service",
    options=FargateOptions,
    needs=["network"],
    uses=["kms_key", "security_groups", "load_balancer", "database", "cache"],
)
def fargate_service(ctx: BuildContext, options: FargateOptions) -> None:
    net = ctx.need(ctx.provided.network, "network")
    load = sizing.load_for(ctx.requirements, ctx.load_factor)
    counts = _task_counts(ctx, options, load)
    env, secrets, arns = app_environment(ctx)
    ctx.add(
        "Cluster",
        "AWS::ECS::Cluster",
        {
            "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}],
            "Tags": tags(ctx, f"{ctx.name_prefix}-cluster"),
        },
        label="ECS cluster",
        role="compute",
        tier="private",
        vpc=net.vpc,
        component_id="fargate-service",
    )
    log_group(ctx, "AppLogGroup", label="application logs", gb_per_month=sizing.log_ingest_gb(load).value)
    _task_roles(ctx, arns)
    _task_definition(ctx, env, secrets)
    _service(ctx, net, counts)
    _scaling(ctx, counts)
    alb = ctx.provided.load_balancer
    if alb:
        ctx.connect(alb.target_group, "Service", "request", "HTTP :8080")
    for dep, store in (("database", ctx.provided.database), ("cache", ctx.provided.cache)):
        if store:
            ctx.connect("Service", store.resource, "data", dep)
    for key, needed in (
        ("ecs.tasks_per_service", counts["max"].value),
        ("elb.targets_per_alb", counts["max"].value),
    ):
        warn = sizing.quota_warning(key, needed)
        if warn:
            ctx.warn(warn)


def _task_counts(ctx: BuildContext, options: FargateOptions, load: sizing.Load) -> dict[str, sizing.Decision]:
    """Minimum, desired and maximum tasks: from the request rate, or from WebSocket connections."""
    if options.scale_on == "connections":  # tasks that hold WebSocket connections
        return sizing.websocket_tasks(
            sizing.websocket_load(ctx.requirements, ctx.load_factor),
            peak_ratio=ctx.requirements.peak_to_average_ratio,
            is_prod=ctx.is_prod,
            az_count=ctx.az_count,
        )
    return sizing.fargate_tasks(load, is_prod=ctx.is_prod, az_count=ctx.az_count)


def _task_role_trust() -> dict[str, Any]:
    """ECS tasks of this account only (confused-deputy guard) may assume the task role."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": ECS_TASKS},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
            }
        ],
    }


def _task_roles(ctx: BuildContext, secret_arns: list[Any]) -> None:
    """The execution role (pull images, write logs, read the app's secrets) and the empty task role."""
    exec_statements: list[dict[str, Any]] = []
    if secret_arns:
        exec_statements.append(
            {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": secret_arns}
        )
    if ctx.provided.kms_key:
        exec_statements.append(
            {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": {"Fn::GetAtt": ["DataKey", "Arn"]}}
        )
    exec_role: dict[str, Any] = {
        "AssumeRolePolicyDocument": trust_policy(ECS_TASKS),
        "ManagedPolicyArns": [managed_policy("service-role/AmazonECSTaskExecutionRolePolicy")],
    }
    if exec_statements:
        exec_role["Policies"] = [
            {
                "PolicyName": "read-app-secrets",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": exec_statements},
            }
        ]
    ctx.add(
        "TaskExecutionRole",
        "AWS::IAM::Role",
        exec_role,
        label="task execution role",
        role="iam",
        rationale="pull images, write logs, read only the database secret",
        component_id="fargate-service",
    )
    ctx.add(
        "TaskRole",
        "AWS::IAM::Role",
        {"AssumeRolePolicyDocument": _task_role_trust()},
        label="task role (application permissions)",
        role="iam",
        rationale="starts with no permissions; grant only what the application calls",
        component_id="fargate-service",
    )


def _task_definition(ctx: BuildContext, env: list[dict[str, Any]], secrets: list[dict[str, Any]]) -> None:
    """One read-only container on port 8080 logging to the application log group."""
    container: dict[str, Any] = {
        "Name": "app",
        "Image": container_image(ctx),
        "Essential": True,
        "PortMappings": [{"ContainerPort": 8080, "Protocol": "tcp"}],
        "ReadonlyRootFilesystem": True,
        "Environment": env,
        "LogConfiguration": {
            "LogDriver": "awslogs",
            "Options": {
                "awslogs-group": {"Ref": "AppLogGroup"},
                "awslogs-region": {"Ref": "AWS::Region"},
                "awslogs-stream-prefix": "app",
            },
        },
    }
    if secrets:
        container["Secrets"] = secrets
    ctx.add(
        "TaskDefinition",
        "AWS::ECS::TaskDefinition",
        {
            "Family": f"{ctx.name_prefix}-app",
            "Cpu": TASK_CPU,
            "Memory": TASK_MEMORY,
            "NetworkMode": "awsvpc",
            "RequiresCompatibilities": ["FARGATE"],
            "ExecutionRoleArn": {"Fn::GetAtt": ["TaskExecutionRole", "Arn"]},
            "TaskRoleArn": {"Fn::GetAtt": ["TaskRole", "Arn"]},
            "RuntimePlatform": {"OperatingSystemFamily": "LINUX", "CpuArchitecture": "X86_64"},
            "ContainerDefinitions": [container],
            "Tags": tags(ctx, f"{ctx.name_prefix}-task"),
        },
        label="task definition 0.5 vCPU / 1 GB",
        role="compute",
        component_id="fargate-service",
        sizing=[
            {
                "rule": f"task size 0.5 vCPU / 1 GB serving ~{sizing.FARGATE_RPS_PER_TASK} rps ({sizing.ASSUMPTION})",  # noqa: E501
                "value": "512/1024",
                "source": "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size",
            }
        ],
    )


def _service(ctx: BuildContext, net: Network, counts: dict[str, sizing.Decision]) -> None:
    """The service in the private subnets behind the load balancer, with circuit-breaker rollback."""
    alb = ctx.provided.load_balancer
    service: dict[str, Any] = {
        "Cluster": {"Ref": "Cluster"},
        "LaunchType": "FARGATE",
        "DesiredCount": counts["desired"].value,
        "TaskDefinition": {"Ref": "TaskDefinition"},
        "PropagateTags": "SERVICE",
        "EnableECSManagedTags": True,
        "DeploymentConfiguration": {
            "MaximumPercent": 200,
            "MinimumHealthyPercent": 100 if ctx.is_prod else 50,
            "DeploymentCircuitBreaker": {"Enable": True, "Rollback": True},
        },
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {
                "AssignPublicIp": "DISABLED",
                "SecurityGroups": [{"Ref": ctx.security_group("app", "AppSecurityGroup")}],
                "Subnets": [{"Ref": s} for s in net.private_subnets],
            }
        },
        "Tags": tags(ctx, f"{ctx.name_prefix}-service"),
    }
    depends = []
    if alb:
        service["LoadBalancers"] = [
            {"ContainerName": "app", "ContainerPort": 8080, "TargetGroupArn": {"Ref": alb.target_group}}
        ]
        service["HealthCheckGracePeriodSeconds"] = 60
        depends.append(alb.listener)
    ctx.add(
        "Service",
        "AWS::ECS::Service",
        service,
        usage={"desired_count": counts["desired"].value},
        label=f"Fargate service ({counts['min'].value}-{counts['max'].value} tasks)",
        role="compute",
        rationale="containers without servers; rolling deployments with circuit-breaker rollback",
        sizing=[d.note() for d in counts.values()],
        depends_on=depends,
        tier="private",
        vpc=net.vpc,
        azs=ctx.azs,
        component_id="fargate-service",
    )


def _scaling(ctx: BuildContext, counts: dict[str, sizing.Decision]) -> None:
    """The service's scaling range and CPU target tracking at 70%."""
    ctx.add(
        "ServiceScalableTarget",
        "AWS::ApplicationAutoScaling::ScalableTarget",
        {
            "MinCapacity": counts["min"].value,
            "MaxCapacity": counts["max"].value,
            "ResourceId": {"Fn::Sub": "service/${Cluster}/${Service.Name}"},
            "ScalableDimension": "ecs:service:DesiredCount",
            "ServiceNamespace": "ecs",
        },
        label="service scaling range",
        role="scaling",
        component_id="fargate-service",
    )
    ctx.add(
        "ServiceCpuScaling",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        {
            "PolicyName": f"{ctx.name_prefix}-cpu70",
            "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": {"Ref": "ServiceScalableTarget"},
            "TargetTrackingScalingPolicyConfiguration": {
                "TargetValue": 70.0,
                "ScaleInCooldown": 300,
                "ScaleOutCooldown": 60,
                "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
            },
        },
        label="target tracking CPU 70%",
        role="scaling",
        component_id="fargate-service",
        sizing=[{"rule": "CPU target 70%", "value": 70, "source": sizing.SRC_SEED_003}],
    )
