"""Findings an environment is expected to have, each with its reason (``review/data/expected.yaml``).

Dev is deliberately single-AZ and cheap (seed 003), so some reliability checks fail there by design.
The review shows the reason next to each such finding, and a test asserts that every finding the dev
design of every pattern gets is on this list.
"""

from __future__ import annotations

from functools import cache
from importlib import resources as importlib_resources


@cache
def _load() -> dict[str, dict[str, str]]:
    from cloudwright import yamlfast

    text = importlib_resources.files("cloudwright.review").joinpath("data/expected.yaml").read_text("utf-8")
    raw = yamlfast.safe_load(text) or {}
    out: dict[str, dict[str, str]] = {}
    for env, items in (raw.get("environments") or {}).items():
        out[str(env)] = {str(i["id"]): str(i["reason"]) for i in items or []}
    return out


def expected_findings(environment: str) -> dict[str, str]:
    """``check id → reason`` of the findings expected in ``environment``."""
    return dict(_load().get(environment, {}))
