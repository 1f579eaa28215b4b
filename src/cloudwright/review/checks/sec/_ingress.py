"""Shared helper: security-group ingress rules open to the whole internet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cloudwright.review.context import UNKNOWN, Outcome, ReviewContext

WORLD = ("0.0.0.0/0", "::/0")


def is_world(cidr: Any) -> bool:
    """True for a range that covers every address: any /0 (``0.0.0.0/0``, ``::/0``, and also
    ``192.168.1.0/0``, which AWS reads as 0.0.0.0/0)."""
    import ipaddress

    if not isinstance(cidr, str):
        return False
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False).prefixlen == 0
    except ValueError:
        return False


def _ports(ctx: ReviewContext, rule: dict[str, Any]) -> tuple[int, int] | None:
    proto = ctx.resolve(rule.get("IpProtocol"))
    if proto in ("-1", -1, "all"):
        return (0, 65535)
    lo, hi = ctx.as_number(rule.get("FromPort")), ctx.as_number(rule.get("ToPort"))
    if lo is None or hi is None:
        return None
    if lo == -1:
        return (0, 65535)
    return (int(lo), int(hi))


def world_ingress(ctx: ReviewContext, matches: Callable[[int, int], bool], what: str) -> Iterator[Outcome]:
    for r in ctx.resources("AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"):
        if r.type == "AWS::EC2::SecurityGroup":
            rules = r.properties.get("SecurityGroupIngress") or []
            base = "SecurityGroupIngress"
        else:
            rules = [r.properties]
            base = ""
        if not isinstance(rules, list):
            yield ctx.unknown(r.logical_id, "ingress rules set by an intrinsic function")
            continue
        bad: str | None = None
        unknown = False
        for i, rule in enumerate(rules):
            if not isinstance(rule, dict):
                unknown = True
                continue
            cidr = ctx.resolve(rule.get("CidrIp", rule.get("CidrIpv6")))
            if cidr is UNKNOWN:
                unknown = True
                continue
            if not is_world(cidr):
                continue
            ports = _ports(ctx, rule)
            if ports is None:
                unknown = True
                continue
            if matches(*ports):
                bad = f"{base}.{i}.CidrIp" if base else "CidrIp"
                desc = f"ports {ports[0]}-{ports[1]}" if ports[0] != ports[1] else f"port {ports[0]}"
                break
        if bad is not None:
            yield ctx.fail(r.logical_id, f"{what}: {desc} open to {cidr}", bad)
        elif unknown:
            yield ctx.unknown(r.logical_id, "an ingress rule uses values that cannot be resolved")
        else:
            yield ctx.ok(r.logical_id)


#: Resources that put a security group in front of a load balancer.
LOAD_BALANCER_TYPES = frozenset(
    {"AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer"}
)
_GROUP_TYPES = frozenset(
    {"AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"}
)


def group_users(ctx: ReviewContext) -> dict[str, list[Any]]:
    """Security group → the resources that use it (not the rules that name it as a source). One pass."""
    from cloudwright.cfn.intrinsics import references

    groups = {r.logical_id for r in ctx.resources("AWS::EC2::SecurityGroup")}
    users: dict[str, list[Any]] = {}
    for r in ctx.resources():
        if r.type in _GROUP_TYPES:
            continue
        for name in sorted(references(r.properties) & groups):
            users.setdefault(name, []).append(r)
    return users


def load_balancer_ports(ctx: ReviewContext) -> dict[str, set[int]]:
    """Load balancer → the ports its listeners accept traffic on."""
    out: dict[str, set[int]] = {}
    for lb in ctx.resources("AWS::ElasticLoadBalancing::LoadBalancer"):
        listeners = ctx.value(lb, "Listeners", resolve_leaf=False)
        for item in listeners if isinstance(listeners, list) else []:
            port = ctx.as_number(item.get("LoadBalancerPort")) if isinstance(item, dict) else None
            if port is not None:
                out.setdefault(lb.logical_id, set()).add(int(port))
    for listener in ctx.resources("AWS::ElasticLoadBalancingV2::Listener"):
        target = ctx.ref_target(listener.properties.get("LoadBalancerArn"))
        port = ctx.as_number(listener.properties.get("Port"))
        if target and port is not None:
            out.setdefault(target, set()).add(int(port))
    return out
