"""The pattern catalogue: every ``patterns/data/<id>.yaml``, validated, cached and sorted by id."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

from cloudwright.patterns.features import FEATURES
from cloudwright.patterns.model import Pattern

#: Builder ids a pattern may use (the public component vocabulary).
KNOWN_BUILDERS = frozenset(
    {
        # VPC-based components
        "network",
        "security-groups",
        "alb",
        "fargate-service",
        "ec2-asg",
        "aurora",
        "rds",
        "elasticache",
        "eks",
        "cdn-alb",
        "waf",
        "dns",
        "observability",
        "kms",
        # serverless / event / data / IoT components
        "static-site",
        "cognito",
        "rest-api",
        "http-api",
        "dynamodb",
        "sns-fanout",
        "eventbridge",
        "step-functions-saga",
        "kinesis",
        "firehose-datalake",
        "appsync",
        "iot-core",
        "global-tables",
        # workload-shape components: batch, content, websocket, GPU, media
        "batch-etl",
        "content-cdn",
        "websocket-api",
        "gpu-fleet",
        "websocket-nlb",
        "live-streaming",
        "video-on-demand",
        "video-calls",
    }
)


def _data_files() -> list[tuple[str, str]]:
    folder = resources.files("cloudwright.patterns").joinpath("data")
    out = []
    for entry in folder.iterdir():
        if entry.name.endswith(".yaml"):
            out.append((entry.name, entry.read_text(encoding="utf-8")))
    return sorted(out)


def forbidden_mentions(text: str) -> list[str]:
    """End-of-support service names found in a text (case-insensitive)."""
    from cloudwright.eligibility import end_of_support

    found = []
    for key, svc in sorted(end_of_support().items()):
        short = svc["name"].replace("AWS ", "").replace("Amazon ", "")
        for needle in (key, key.replace("-", " "), short):
            if re.search(re.escape(needle), text, flags=re.IGNORECASE):
                found.append(svc["name"])
                break
    return found


def validate_pattern(pattern: Pattern, *, source: str, text: str = "") -> None:
    """Cross-checks beyond the pydantic model (raise ValueError naming the file)."""
    from cloudwright.eligibility import services as eligible_services

    problems = []
    if f"{pattern.id}.yaml" != source:
        problems.append(f"id {pattern.id!r} does not match the file name")
    for comp in pattern.components:
        if comp.builder not in KNOWN_BUILDERS:
            problems.append(f"unknown builder {comp.builder!r}")
        for field in ("role", "service", "purpose", "alternative", "why"):
            if not getattr(comp, field):
                problems.append(f"component {comp.builder}: {field} is empty")
    known = eligible_services()
    for svc in pattern.services:
        if svc not in known:
            problems.append(f"service {svc!r} is not in data/eligibility.yaml")
    for crit in pattern.fit:
        if crit.feature not in FEATURES:
            problems.append(f"fit criterion on unknown feature {crit.feature!r}")
    for field in ("scale", "availability", "operational_burden", "cost"):
        if getattr(pattern, field) is None:
            problems.append(f"{field} is missing")
    if not pattern.seeds or not pattern.traceability:
        problems.append("seeds and traceability are required")
    if not pattern.pros or not pattern.cons or not pattern.scaling_limits:
        problems.append("pros, cons and scaling_limits are required")
    for lim in pattern.scaling_limits:
        if not lim.source:
            problems.append(f"scaling limit without source: {lim.limit}")
    bad = forbidden_mentions(text)
    if bad:
        problems.append(f"mentions end-of-support services: {', '.join(bad)}")
    if problems:
        raise ValueError(f"patterns/data/{source}: " + "; ".join(problems))


@cache
def load_patterns() -> Mapping[str, Pattern]:
    """All patterns, validated, keyed by id in sorted order (immutable, cached)."""
    from cloudwright.yamlfast import safe_load

    found: dict[str, Pattern] = {}
    for name, text in _data_files():
        data = safe_load(text)
        try:
            pattern = Pattern.model_validate(data)
        except Exception as exc:
            raise ValueError(f"patterns/data/{name}: {exc}") from exc
        validate_pattern(pattern, source=name, text=text)
        if pattern.id in found:
            raise ValueError(f"duplicate pattern id {pattern.id}")
        found[pattern.id] = pattern
    return MappingProxyType(dict(sorted(found.items())))


def get_pattern(pattern_id: str) -> Pattern:
    from cloudwright.errors import InputError

    patterns = load_patterns()
    if pattern_id not in patterns:
        raise InputError("unknown pattern", field="pattern", value=pattern_id, allowed=list(patterns))
    return patterns[pattern_id]
