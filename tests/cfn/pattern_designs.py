"""Every pattern × environment, built once per test process (the patterns × envs tests share them).

Tests of one case carry the same ``xdist_group`` (see :func:`case_params`): under ``--dist loadgroup``
one worker builds, renders and parses a case, instead of every worker doing it again."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from cloudwright.cfn.writer import render_templates
from cloudwright.design.build import build_design
from cloudwright.design.model import Design
from cloudwright.patterns.catalog import load_patterns
from cloudwright.requirements import Requirements, requirements_from_mapping
from cloudwright.units import ENVIRONMENTS
from cloudwright.yamlfast import safe_load

#: Designs outside us-east-1 too (CloudFront's WAF and certificates live only in us-east-1).
OTHER_REGION_CASES = (("three-tier-fargate", "prod", "eu-west-1"), ("serverless-web", "prod", "eu-west-1"))


@cache
def requirements(region: str = "us-east-1") -> Requirements:
    return requirements_from_mapping(
        {
            "region": region,
            "name": "shop",
            "application_type": "web_application",
            "expected_users": 20000,
            "requests_per_second": 50,
            "budget_monthly_usd": 5000,
            "data_size_gb": 50,
        }
    )


def pattern_ids() -> list[str]:
    return sorted(load_patterns())


def cases() -> list[tuple[str, str]]:
    return [(p, e) for p in pattern_ids() for e in ENVIRONMENTS]


def case_id(case: tuple[str, str]) -> str:
    return f"{case[0]}-{case[1]}"


@cache
def design(pattern_id: str, environment: str, region: str = "us-east-1") -> Design:
    return build_design(requirements(region), pattern_id, environment)


@cache
def templates(pattern_id: str, environment: str, region: str = "us-east-1") -> dict[str, str]:
    return render_templates(design(pattern_id, environment, region))


@cache
def parsed(pattern_id: str, environment: str, region: str = "us-east-1") -> dict[str, dict[str, Any]]:
    """The rendered templates parsed (libyaml), once per case; read-only for the tests that share it."""
    return {name: safe_load(text) for name, text in templates(pattern_id, environment, region).items()}


def case_params(items: list[tuple[str, ...]]) -> list[Any]:
    """Cases as parameters grouped per case for xdist, so a case's design is built on one worker."""
    return [
        pytest.param(case, id="-".join(case), marks=pytest.mark.xdist_group(f"case-{'-'.join(case)}"))
        for case in items
    ]
