"""``alb``: internet-facing Application Load Balancer; ``cdn-alb``: CloudFront in front of it.

HTTPS listener (ACM certificate, TLS 1.2+ policy), HTTP listener that only redirects to HTTPS, a target
group with health checks on ``/health`` (IP targets for Fargate/EKS, instance targets for EC2), deletion
protection in prod. Usage is recorded in the LCU dimensions (see ``sizing.alb_usage``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cloudwright import quotas
from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, BuilderOptions, LoadBalancer, Network, NoOptions, component
from cloudwright.design.components.edge import (
    ALL_VIEWER,
    CACHING_DISABLED,
    SRC_MANAGED_POLICIES,
    _monthly_requests,
    domain_name,
)
from cloudwright.design.components.observability import checkov_skip, tags

TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
SRC_TLS = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html"


def _add_certificate(ctx: BuildContext) -> None:
    ctx.add(
        "Certificate",
        "AWS::CertificateManager::Certificate",
        {
            "DomainName": domain_name(ctx),
            "SubjectAlternativeNames": [{"Fn::Sub": "origin.${DomainName}"}],
            "ValidationMethod": "DNS",
            "Tags": tags(ctx, f"{ctx.name_prefix}-cert"),
        },
        label="TLS certificate (ACM)",
        role="tls",
        rationale="free public certificate, DNS-validated, renewed by AWS",
        tier="regional",
        component_id="alb",
    )


def _add_load_balancer(ctx: BuildContext, net: Network) -> None:
    """The internet-facing ALB in the public subnets, its usage in LCU dimensions."""
    usage = sizing.alb_usage(sizing.load_for(ctx.requirements, ctx.load_factor))
    attrs = [
        {"Key": "deletion_protection.enabled", "Value": "true" if ctx.is_prod else "false"},
        {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
        {"Key": "idle_timeout.timeout_seconds", "Value": "60"},
    ]
    ctx.add(
        "LoadBalancer",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Type": "application",
            "Scheme": "internet-facing",
            "IpAddressType": "ipv4",
            "Subnets": [{"Ref": s} for s in net.public_subnets],
            "SecurityGroups": [{"Ref": ctx.security_group("alb", "AlbSecurityGroup")}],
            "LoadBalancerAttributes": attrs,
            "Tags": tags(ctx, f"{ctx.name_prefix}-alb"),
        },
        usage={k: d.value for k, d in usage.items() if k != "lcu"},
        label="Application Load Balancer",
        role="load balancer",
        rationale="layer 7 routing, TLS termination, health checks across AZs",
        sizing=[d.note() for d in usage.values()],
        tier="public",
        vpc=net.vpc,
        azs=net.azs,
        component_id="alb",
        attributes=checkov_skip(
            (
                "CKV_AWS_91",
                "Access logs go to an S3 bucket in your log archive account (bucket policy depends on "
                "the Region's ELB log-delivery principal); enable access_logs.s3 there.",
            ),
        ),
    )


def _add_target_group(ctx: BuildContext, net: Network, port: int, target_type: str) -> None:
    ctx.add(
        "TargetGroup",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {
            "VpcId": {"Ref": net.vpc},
            "Port": port,
            "Protocol": "HTTP",
            "TargetType": target_type,
            "HealthCheckProtocol": "HTTP",
            "HealthCheckPath": "/health",
            "HealthCheckIntervalSeconds": 30,
            "HealthyThresholdCount": 2,
            "UnhealthyThresholdCount": 3,
            "Matcher": {"HttpCode": "200"},
            "TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}],
            "Tags": tags(ctx, f"{ctx.name_prefix}-targets"),
        },
        label=f"target group ({target_type} targets, /health)",
        role="load balancer",
        rationale="health checks every 30 s, 2 healthy / 3 unhealthy (seed 002)",
        tier="private",
        vpc=net.vpc,
        component_id="alb",
    )


def _add_listeners(ctx: BuildContext, net: Network) -> None:
    """HTTPS :443 forwarding to the target group (TLS 1.2+), HTTP :80 redirecting to HTTPS."""
    ctx.add(
        "HttpsListener",
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "LoadBalancerArn": {"Ref": "LoadBalancer"},
            "Port": 443,
            "Protocol": "HTTPS",
            "SslPolicy": TLS_POLICY,
            "Certificates": [{"CertificateArn": {"Ref": "Certificate"}}],
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "TargetGroup"}}],
        },
        label="HTTPS :443",
        role="load balancer",
        rationale="TLS 1.2+ only",
        sizing=[{"rule": "TLS 1.3/1.2 security policy", "value": TLS_POLICY, "source": SRC_TLS}],
        tier="public",
        vpc=net.vpc,
        component_id="alb",
    )
    ctx.add(
        "HttpListener",
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "LoadBalancerArn": {"Ref": "LoadBalancer"},
            "Port": 80,
            "Protocol": "HTTP",
            "DefaultActions": [
                {
                    "Type": "redirect",
                    "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
                }
            ],
        },
        label="HTTP :80 → HTTPS",
        role="load balancer",
        tier="public",
        vpc=net.vpc,
        component_id="alb",
    )


class AlbOptions(BuilderOptions):
    """Options of ``alb``."""

    target_type: Literal["ip", "instance"] | None = None
    """How targets register: ``ip`` (Fargate, EKS) or ``instance`` (EC2); ``None``: ``instance`` when the
    pattern has ``ec2-asg``, ``ip`` otherwise."""
    app_port: int = Field(8080, ge=1, le=65535)
    """The port the application listens on (the target group's port)."""


@component(
    "alb",
    options=AlbOptions,
    needs=["network"],
    uses=["kms_key", "security_groups"],
    provides=["load_balancer"],
    stage="network",
)
def alb(ctx: BuildContext, options: AlbOptions) -> None:
    net = ctx.need(ctx.provided.network, "network")
    builders = ctx.pattern_builders
    target_type = options.target_type or ("instance" if "ec2-asg" in builders else "ip")
    port = options.app_port
    _add_certificate(ctx)
    _add_load_balancer(ctx, net)
    _add_target_group(ctx, net, port, target_type)
    _add_listeners(ctx, net)
    ctx.connect("LoadBalancer", "TargetGroup", "request", "HTTP :8080")
    ctx.provided.load_balancer = LoadBalancer(
        load_balancer="LoadBalancer",
        target_group="TargetGroup",
        listener="HttpsListener",
        target_type=str(target_type),
        port=port,
    )
    warn = quotas.check("elb.alb_per_region", 1)
    if warn:
        ctx.warn(warn)


@component("cdn-alb", options=NoOptions, needs=["load_balancer"], uses=["kms_key"], stage="edge")
def cdn_alb(ctx: BuildContext, options: NoOptions) -> None:
    domain_name(ctx)
    load = sizing.load_for(ctx.requirements, ctx.load_factor)
    egress = sizing.data_transfer_out_gb(load)
    price_class = (
        "PriceClass_100"
        if set(map(str, ctx.requirements.audience_regions)) <= {"north-america", "europe"}
        else "PriceClass_All"
    )
    ctx.add(
        "AppDistribution",
        "AWS::CloudFront::Distribution",
        {
            "DistributionConfig": {
                "Enabled": True,
                "Comment": f"{ctx.name_prefix} edge",
                "HttpVersion": "http2and3",
                "IPV6Enabled": True,
                "PriceClass": price_class,
                "Origins": [
                    {
                        "Id": "alb",
                        "DomainName": {"Fn::Sub": "origin.${DomainName}"},
                        "CustomOriginConfig": {
                            "OriginProtocolPolicy": "https-only",
                            "HTTPSPort": 443,
                            "OriginSSLProtocols": ["TLSv1.2"],
                        },
                    }
                ],
                "DefaultCacheBehavior": {
                    "TargetOriginId": "alb",
                    "ViewerProtocolPolicy": "redirect-to-https",
                    "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                    "CachedMethods": ["GET", "HEAD"],
                    "Compress": True,
                    "CachePolicyId": CACHING_DISABLED,
                    "OriginRequestPolicyId": ALL_VIEWER,
                },
                "ViewerCertificate": {"CloudFrontDefaultCertificate": True},
            },
            "Tags": tags(ctx, f"{ctx.name_prefix}-cdn"),
        },
        usage={
            "monthly_data_transfer_to_internet_gb": egress,
            "monthly_https_requests": _monthly_requests(ctx),
            "monthly_http_requests": 0,
        },
        label="CloudFront (edge for the ALB)",
        role="cdn",
        rationale="TLS at the edge, compression, static caching by Cache-Control; origin reached over HTTPS",
        sizing=[
            {"rule": "egress = requests × average response", "value": egress, "source": SRC_MANAGED_POLICIES},
            {
                "rule": f"price class {price_class} from the audience regions",
                "value": price_class,
                "source": "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/PriceClass.html",
            },
        ],
        tier="edge",
        region="global",
        component_id="cdn-alb",
        attributes=checkov_skip(
            (
                "CKV_AWS_174",
                "The default *.cloudfront.net certificate is used until you attach an ACM certificate "
                "(us-east-1) for DomainName; then set MinimumProtocolVersion TLSv1.2_2021.",
            ),
            (
                "CKV_AWS_86",
                "Access logs need a log bucket in your logging account; enable standard logging there.",
            ),
        ),
    )
    ctx.connect("AppDistribution", "LoadBalancer", "request", "HTTPS origin")
    # Responses leave AWS through CloudFront (priced on the distribution); origin → CloudFront is free.
    ctx.assume("data_transfer_out_gb", 0.0)
    ctx.assume(
        "data_transfer_out_note", "internet egress is served by CloudFront and priced on AppDistribution"
    )
