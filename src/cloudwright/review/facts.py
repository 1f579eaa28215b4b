"""Loaders for the review's own data files (``review/data/*.yaml``), cached."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources as importlib_resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    from cloudwright import yamlfast

    text = importlib_resources.files("cloudwright.review").joinpath(f"data/{name}.yaml").read_text("utf-8")
    data = yamlfast.safe_load(text) or {}
    assert isinstance(data, dict)
    return data


def runtime_deprecation(runtime: str) -> date | None:
    raw = load("runtimes")["runtimes"].get(runtime)
    return date.fromisoformat(str(raw)) if raw else None


def runtime_replacement(runtime: str) -> str:
    reps: dict[str, str] = load("runtimes")["replacements"]
    for family in sorted(reps, key=len, reverse=True):
        if runtime.startswith(family):
            return reps[family]
    return "a supported runtime"


def services() -> dict[str, Any]:
    return load("services")
