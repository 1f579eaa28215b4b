"""WebSockets at high message rates: the ``websocket-nlb`` builder.

A Network Load Balancer (TCP :443, cross-zone) in front of container tasks that hold the sockets and
terminate TLS themselves; the security groups for the load balancer, the tasks and the pub/sub cache
between tasks. The ``fargate-service`` builder (option ``scale_on: connections``) registers the tasks
with the target group published here, and ``elasticache`` adds the Redis pub/sub tier.
"""

from __future__ import annotations

from typing import Any

from cloudwright.design import sizing
from cloudwright.design.build import (
    BuildContext,
    LoadBalancer,
    Network,
    NoOptions,
    SecurityGroups,
    component,
    json_copy,
)
from cloudwright.design.components.observability import checkov_skip, tags
from cloudwright.design.components.security import add_group, add_rule
from cloudwright.design.model import Tier
from cloudwright.units import JsonValue

SRC_NLB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/introduction.html"
SRC_NLB_SG = (
    "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html"
)
APP_PORT = 8080
CACHE_PORT = 6379


#: Security groups: logical id → (description, tier, ingress from anywhere).
GROUPS: list[tuple[str, str, Tier, list[dict[str, Any]]]] = [
    (
        "LbSecurityGroup",
        "Load balancer: TLS WebSocket traffic from the internet",
        "public",
        [
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "CidrIp": "0.0.0.0/0",
                "Description": "wss:// from anywhere",
            }
        ],
    ),
    ("AppSecurityGroup", "WebSocket tasks: only from the load balancer", "private", []),
    ("CacheSecurityGroup", "Pub/sub cache: only from the tasks", "data", []),
]
#: Rules between groups: (logical id, in/out, group, port, peer group or None for anywhere, description).
RULES: list[tuple[str, str, str, int, str | None, str]] = [
    ("LbToAppEgress", "out", "LbSecurityGroup", APP_PORT, "AppSecurityGroup", "NLB to tasks"),
    ("AppFromLbIngress", "in", "AppSecurityGroup", APP_PORT, "LbSecurityGroup", "tasks from NLB"),
    ("AppHttpsEgress", "out", "AppSecurityGroup", 443, None, "HTTPS to AWS APIs (image pulls, logs)"),
    ("AppToCacheEgress", "out", "AppSecurityGroup", CACHE_PORT, "CacheSecurityGroup", "tasks to cache"),
    ("CacheFromAppIngress", "in", "CacheSecurityGroup", CACHE_PORT, "AppSecurityGroup", "cache from tasks"),
]
#: The same paths as the design's network summary lists them.
SUMMARY_RULES: list[JsonValue] = [
    {"from": "0.0.0.0/0", "to": "LbSecurityGroup", "port": 443, "protocol": "tcp", "description": "wss"},
    {
        "from": "LbSecurityGroup",
        "to": "AppSecurityGroup",
        "port": APP_PORT,
        "protocol": "tcp",
        "description": "NLB to tasks",
    },
    {
        "from": "AppSecurityGroup",
        "to": "CacheSecurityGroup",
        "port": CACHE_PORT,
        "protocol": "tcp",
        "description": "pub/sub",
    },
    {
        "from": "AppSecurityGroup",
        "to": "0.0.0.0/0",
        "port": 443,
        "protocol": "tcp",
        "description": "HTTPS out",
    },
]


def _security_groups(ctx: BuildContext, vpc: str) -> None:
    for lid, desc, tier, ingress in GROUPS:
        add_group(ctx, lid, desc, tier, vpc, ingress, component_id="websocket-nlb")
    for lid, kind, group, port, peer, desc in RULES:
        add_rule(ctx, lid, kind, group, port, peer, desc, vpc, component_id="websocket-nlb")
    ctx.provided.security_groups = SecurityGroups(
        lb="LbSecurityGroup", app="AppSecurityGroup", cache="CacheSecurityGroup"
    )
    ctx.design.network["security_groups"] = {
        "groups": {"app": "AppSecurityGroup", "cache": "CacheSecurityGroup", "lb": "LbSecurityGroup"},
        "rules": json_copy(SUMMARY_RULES),
        "source": SRC_NLB_SG,
    }


def _add_load_balancer(ctx: BuildContext, cid: str, net: Network, ws: sizing.WebSocketLoad) -> None:
    """The internet-facing NLB (cross-zone), its usage in NLCU dimensions."""
    usage = sizing.nlb_usage(ws, ctx.requirements.avg_request_kb)
    ctx.add(
        "LoadBalancer",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        {
            "Type": "network",
            "Scheme": "internet-facing",
            "IpAddressType": "ipv4",
            "Subnets": [{"Ref": s} for s in net.public_subnets],
            "SecurityGroups": [{"Ref": "LbSecurityGroup"}],
            "LoadBalancerAttributes": [
                {"Key": "load_balancing.cross_zone.enabled", "Value": "true"},
                {"Key": "deletion_protection.enabled", "Value": "true" if ctx.is_prod else "false"},
            ],
            "Tags": tags(ctx, f"{ctx.name_prefix}-nlb"),
        },
        usage={k: d.value for k, d in usage.items()},
        label="Network Load Balancer (WebSockets)",
        role="load balancer",
        rationale="Layer 4: millions of long-lived connections at NLCU prices (100,000 active flows per "
        "NLCU), no per-message charge",
        sizing=[ws.peak_connections.note(), ws.monthly_messages.note(), *(d.note() for d in usage.values())],
        tier="public",
        vpc=net.vpc,
        azs=net.azs,
        component_id=cid,
        attributes=checkov_skip(
            (
                "CKV_AWS_91",
                "Access logs go to an S3 bucket in your log archive account (bucket policy depends on "
                "the Region's ELB log-delivery principal); enable access_logs.s3 there.",
            ),
        ),
    )


def _add_targets(ctx: BuildContext, cid: str, vpc: str) -> None:
    """The tasks' target group (HTTP health check, 2-minute draining) and the TCP :443 listener."""
    ctx.add(
        "TargetGroup",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        {
            "VpcId": {"Ref": vpc},
            "Port": APP_PORT,
            "Protocol": "TCP",
            "TargetType": "ip",
            "HealthCheckProtocol": "HTTP",
            "HealthCheckPath": "/health",
            "HealthCheckIntervalSeconds": 30,
            "HealthyThresholdCount": 2,
            "UnhealthyThresholdCount": 3,
            "TargetGroupAttributes": [
                {"Key": "deregistration_delay.timeout_seconds", "Value": "120"},
                {"Key": "deregistration_delay.connection_termination.enabled", "Value": "true"},
            ],
            "Tags": tags(ctx, f"{ctx.name_prefix}-ws-targets"),
        },
        label="target group (tasks, TCP :8080)",
        role="load balancer",
        rationale="HTTP health check on /health; draining closes sockets after 2 minutes so clients "
        "reconnect to healthy tasks",
        tier="private",
        vpc=vpc,
        component_id=cid,
    )
    ctx.add(
        "WebSocketListener",
        "AWS::ElasticLoadBalancingV2::Listener",
        {
            "LoadBalancerArn": {"Ref": "LoadBalancer"},
            "Port": 443,
            "Protocol": "TCP",
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": {"Ref": "TargetGroup"}}],
        },
        label="TCP :443 (TLS passthrough)",
        role="load balancer",
        rationale="TCP passthrough: the tasks terminate TLS, so the NLB is billed on TCP flow dimensions",
        sizing=[{"rule": "listener", "value": "TCP 443 → 8080", "source": SRC_NLB}],
        tier="public",
        vpc=vpc,
        component_id=cid,
    )


def _assume_fleet_load(ctx: BuildContext, ws: sizing.WebSocketLoad) -> None:
    """What the tasks are sized on (read by the capacity review check instead of requests per second),
    and the outbound messages' egress."""
    outbound = int(ws.monthly_messages.value) - int(ws.inbound_messages.value)
    avg_msgs = int(ws.monthly_messages.value) / sizing.SECONDS_PER_MONTH
    ctx.assume("websocket_peak_connections", int(ws.peak_connections.value))
    ctx.assume("websocket_peak_messages_per_s", round(avg_msgs * ctx.requirements.peak_to_average_ratio, 3))
    ctx.assume("data_transfer_out_gb", round(outbound * ctx.requirements.avg_request_kb / sizing.GB, 3))
    ctx.assume(
        "data_transfer_out_note",
        f"outbound WebSocket messages: {outbound:,} × {ctx.requirements.avg_request_kb:g} KB",
    )


@component(
    "websocket-nlb",
    options=NoOptions,
    needs=["network"],
    uses=["kms_key"],
    provides=["security_groups", "load_balancer"],
    stage="network",
)
def websocket_nlb(ctx: BuildContext, options: NoOptions) -> None:
    """Network Load Balancer (TCP :443 passthrough) for tasks that hold the WebSocket connections."""
    cid = "websocket-nlb"
    net = ctx.need(ctx.provided.network, "network")
    ws = sizing.websocket_load(ctx.requirements, ctx.load_factor)
    _security_groups(ctx, net.vpc)
    _add_load_balancer(ctx, cid, net, ws)
    _add_targets(ctx, cid, net.vpc)
    ctx.connect("LoadBalancer", "TargetGroup", "request", "TCP :8080")
    _assume_fleet_load(ctx, ws)
    ctx.warn(
        "websocket-nlb: the NLB passes TLS through on 443; give the WebSocket server a certificate for your "
        "domain (or switch the listener to TLS with an ACM certificate, billed on TLS NLCU dimensions)"
    )
    ctx.provided.load_balancer = LoadBalancer(
        load_balancer="LoadBalancer",
        target_group="TargetGroup",
        listener="WebSocketListener",
        target_type="ip",
        port=APP_PORT,
    )
