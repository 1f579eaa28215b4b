"""Shared helper: security-group ingress rules open to the whole internet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cloudwright.review.context import UNKNOWN, Outcome, ReviewContext

WORLD = ("0.0.0.0/0", "::/0")


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
            if cidr not in WORLD:
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
