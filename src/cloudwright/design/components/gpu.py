"""GPU inference fleet: the ``gpu-fleet`` builder.

NVIDIA GPU instances (g6 / g6e) from the Deep Learning AMI in an Auto Scaling group behind the pattern's
load balancer, scaled by target tracking on requests per target; model weights in a private S3
bucket. Instance type from the model's GPU memory need, counts from the request rate
(:func:`cloudwright.design.sizing.gpu_instance_type`, :func:`~cloudwright.design.sizing.gpu_instances`).
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import Field

from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, BuilderOptions, LoadBalancer, component
from cloudwright.design.components.compute import (
    asg_properties,
    instance_role,
    kms_decrypt,
    launch_template_data,
)
from cloudwright.design.components.observability import log_group
from cloudwright.design.components.storage import add_bucket

#: Deep Learning Base OSS Nvidia Driver GPU AMI (Amazon Linux 2023), resolved at deploy time.
AMI = (
    "{{resolve:ssm:/aws/service/deeplearning/ami/x86_64/"
    "base-oss-nvidia-driver-gpu-amazon-linux-2023/latest/ami-id}}"
)
SRC_DLAMI = (
    "https://docs.aws.amazon.com/dlami/latest/devguide/appendix-ami-release-notes.html (SSM parameter)"
)
SRC_TARGET_TRACKING = (
    "https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html "
    "(ALBRequestCountPerTarget)"
)
#: Model weights when the pattern does not say: an 8B-parameter model in 16-bit precision (assumption).
DEFAULT_MODEL_GB = 16.0
#: Scale out before an instance reaches its rated throughput (share of it; assumption).
SCALING_TARGET_SHARE = 0.7


def _model_bucket(ctx: BuildContext, cid: str, model_gb: float) -> None:
    add_bucket(
        ctx,
        "ModelBucket",
        label="Model bucket (weights)",
        role="model-store",
        component_id=cid,
        rationale="Versioned model weights under models/; instances download them at boot.",
        usage={
            "storage_gb": round(model_gb * 3, 3),  # current + two previous versions
            "monthly_tier_1_requests": 1000,
            "monthly_tier_2_requests": 10_000,  # assumption: instance launches and deploys read the weights
            "monthly_data_transfer_out_gb": 0,
        },
    )


def _role(ctx: BuildContext, cid: str) -> None:
    statements: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::Sub": "${InferenceLogGroup.Arn}"},
        },
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": [{"Fn::GetAtt": ["ModelBucket", "Arn"]}, {"Fn::Sub": "${ModelBucket.Arn}/models/*"}],
        },
    ]
    statements += kms_decrypt(ctx)
    instance_role(
        ctx,
        "InferenceRole",
        "InferenceInstanceProfile",
        policy_name="inference",
        statements=statements,
        label="inference instance role",
        rationale="Session Manager access, logs and read-only access to the model prefix",
        component_id=cid,
    )


def _launch_template(ctx: BuildContext, cid: str, itype: sizing.Decision, sg: str, model_gb: float) -> None:
    volume = max(100, math.ceil(model_gb * 2 + 60))  # AMI (~60 GB with CUDA) + weights + one new version
    ctx.add(
        "InferenceLaunchTemplate",
        "AWS::EC2::LaunchTemplate",
        {
            "LaunchTemplateData": launch_template_data(
                ctx, AMI, itype.value, "InferenceInstanceProfile", sg, volume, "inference"
            )
        },
        label=f"launch template {itype.value}",
        role="compute",
        rationale="Deep Learning AMI (NVIDIA driver, CUDA, container toolkit), IMDSv2 only, encrypted gp3 "
        "root volume sized for the AMI and two copies of the weights, no SSH key",
        sizing=[
            itype.note(),
            {
                "rule": "AMI",
                "value": "Deep Learning Base OSS Nvidia Driver GPU AMI (AL2023)",
                "source": SRC_DLAMI,
            },
            {
                "rule": "root volume = 60 GB + 2 × weights (≥ 100 GB)",
                "value": f"{volume} GB gp3",
                "source": SRC_DLAMI,
            },
        ],
        component_id=cid,
    )


def _request_scaling(ctx: BuildContext, cid: str, alb: LoadBalancer, rate: float) -> None:
    """Target tracking on the load balancer's requests per target (GPU utilisation is not an EC2 metric
    without an agent), a share of an instance's rated throughput."""
    per_target = max(1, math.floor(rate * SCALING_TARGET_SHARE * 60))
    ctx.add(
        "InferenceRequestScaling",
        "AWS::AutoScaling::ScalingPolicy",
        {
            "AutoScalingGroupName": {"Ref": "InferenceAutoScalingGroup"},
            "PolicyType": "TargetTrackingScaling",
            "EstimatedInstanceWarmup": 600,
            "TargetTrackingConfiguration": {
                "TargetValue": float(per_target),
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": "ALBRequestCountPerTarget",
                    "ResourceLabel": {
                        "Fn::Sub": f"${{{alb.load_balancer}.LoadBalancerFullName}}/"
                        f"${{{alb.target_group}.TargetGroupFullName}}"
                    },
                },
            },
        },
        label=f"target tracking {per_target} requests per instance-minute",
        role="scaling",
        rationale="GPU utilisation is not an EC2 metric without an agent; requests per target tracks the "
        "load the GPUs see",
        sizing=[
            {
                "rule": f"target = {rate:g} rps × {SCALING_TARGET_SHARE:g} × 60 s",
                "value": per_target,
                "source": SRC_TARGET_TRACKING,
            }
        ],
        component_id=cid,
    )


class GpuFleetOptions(BuilderOptions):
    """Options of ``gpu-fleet``."""

    model_gb: float = Field(DEFAULT_MODEL_GB, gt=0)
    """The model's weights in GB (they choose the instance type's GPU memory)."""
    rps_per_instance: float = Field(sizing.GPU_RPS_PER_INSTANCE, gt=0)
    """Inference requests a second one instance serves."""


@component(
    "gpu-fleet",
    options=GpuFleetOptions,
    needs=["network"],
    uses=["kms_key", "security_groups", "load_balancer"],
)
def gpu_fleet(ctx: BuildContext, options: GpuFleetOptions) -> None:
    cid = "gpu-fleet"
    net = ctx.need(ctx.provided.network, "network")
    sg = ctx.security_group("app", "AppSecurityGroup")
    alb = ctx.provided.load_balancer
    model_gb = options.model_gb
    rate = options.rps_per_instance
    load = sizing.load_for(ctx.requirements, ctx.load_factor)
    itype = sizing.gpu_instance_type(model_gb)
    if itype.needed is not None:
        ctx.warn(f"gpu-fleet: {itype.rule}")
    counts = sizing.gpu_instances(load, is_prod=ctx.is_prod, az_count=ctx.az_count, rps_per_instance=rate)
    _model_bucket(ctx, cid, model_gb)
    log_group(ctx, "InferenceLogGroup", label="inference logs", gb_per_month=sizing.log_ingest_gb(load).value)
    _role(ctx, cid)
    _launch_template(ctx, cid, itype, sg, model_gb)
    # the grace period covers boot, the image pull and loading the weights onto the GPU
    asg = asg_properties(ctx, counts, "InferenceLaunchTemplate", grace_s=900, name="inference")
    ctx.add(
        "InferenceAutoScalingGroup",
        "AWS::AutoScaling::AutoScalingGroup",
        asg,
        label=f"GPU Auto Scaling group {itype.value} ({counts['min'].value}-{counts['max'].value})",
        role="compute",
        rationale="GPU instances across AZs, replaced on failed health checks; 15-minute grace period for "
        "loading the model",
        sizing=[d.note() for d in counts.values()],
        tier="private",
        vpc=net.vpc,
        azs=ctx.azs,
        component_id=cid,
    )
    if alb:
        _request_scaling(ctx, cid, alb, rate)
        ctx.connect(alb.target_group, "InferenceAutoScalingGroup", "request", "HTTP :8080")
    ctx.connect("InferenceAutoScalingGroup", "ModelBucket", "data", "load weights")
    for key, needed in (("autoscaling.groups_per_region", 1), ("elb.targets_per_alb", counts["max"].value)):
        warn = sizing.quota_warning(key, needed)
        if warn:
            ctx.warn(warn)
    ctx.warn(
        "gpu-fleet: On-Demand G and VT instance vCPU quotas start low (often 0 in new accounts); request "
        f"{counts['max'].value} × {itype.value} worth of vCPUs in Service Quotas before deploying "
        "(https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html)"
    )
