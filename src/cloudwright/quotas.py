"""Default AWS service quotas, as sourced data (``data/quotas.yaml``).

Sizing flags a design that would exceed a default quota (:func:`check`), and the review reads the
same table. Every quota has a value, unit, scope, whether it is adjustable, a source and a date.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Quota:
    key: str
    service: str
    name: str
    value: float
    unit: str
    scope: str
    adjustable: bool
    source: str
    date: str
    note: str = ""

    def describe(self) -> str:
        return f"{self.service}: {self.name} = {self.value:g} {self.unit} ({self.scope})"


@cache
def load_quotas() -> dict[str, Quota]:
    """All default quotas keyed by ``service.quota`` id (cached; sorted)."""
    from cloudwright import yamlfast

    text = resources.files("cloudwright").joinpath("data/quotas.yaml").read_text(encoding="utf-8")
    raw: dict[str, Any] = yamlfast.safe_load(text)["quotas"]
    out: dict[str, Quota] = {}
    for key in sorted(raw):
        row = raw[key]
        for field in ("service", "name", "value", "unit", "scope", "adjustable", "source", "date"):
            if field not in row:
                raise ValueError(f"quota {key} lacks {field}")
        out[key] = Quota(
            key=key,
            note=row.get("note", ""),
            **{k: row[k] for k in Quota.__dataclass_fields__ if k not in ("key", "note")},
        )
    return out


def get(key: str) -> Quota:
    return load_quotas()[key]


def check(key: str, needed: float) -> str | None:
    """A warning when ``needed`` exceeds the default quota ``key``, else ``None``."""
    q = get(key)
    if needed <= q.value:
        return None
    adjust = (
        "request an increase in Service Quotas" if q.adjustable else "this limit cannot be raised; redesign"
    )
    return (
        f"quota: needs {needed:,.0f} {q.unit} but the default {q.service} quota '{q.name}' is "
        f"{q.value:,.0f} ({q.scope}); {adjust} (source: {q.source})"
    )
