"""The check registry.

Two kinds of checks, one metadata model (:class:`~cloudwright.review.model.CheckMeta`):

* **declarative** — "property at path has this value" checks, as data in ``review/data/declarative.yaml``,
  evaluated by :mod:`cloudwright.review.declarative`;
* **logic** — one module per check in ``review/checks/<pillar>/<id>_<slug>.py`` declaring a function with
  :func:`check`.

Decorators only *declare*; :func:`load_checks` imports the check modules (``pkgutil``) and collects them.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, Literal

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.model import CheckMeta, Pillar, Severity
from cloudwright.units import ENVIRONMENTS

CheckFn = Callable[[ReviewContext], Iterable[Outcome]]


@dataclass(frozen=True)
class Check:
    meta: CheckMeta
    run: CheckFn
    #: Module file (logic) or "declarative.yaml" (data) — shown by ``cloudwright checks show``.
    origin: str


_DECLARED: dict[str, Check] = {}


def check(
    *,
    id: str,
    title: str,
    severity: str,
    rationale: str,
    remediation: str,
    references: Iterable[str],
    types: Iterable[str] = (),
    environments: Iterable[str] = ENVIRONMENTS,
    complexity: Literal["linear", "quadratic"] = "linear",
) -> Callable[[CheckFn], CheckFn]:
    """Declare a logic check. The pillar comes from the id prefix (``REL-RDS-001`` → reliability)."""
    from cloudwright.review.model import PILLAR_PREFIX

    meta = CheckMeta(
        id=id,
        title=title,
        pillar=PILLAR_PREFIX[id.split("-")[0]],
        severity=Severity(severity),
        rationale=rationale,
        remediation=remediation,
        references=tuple(references),
        types=tuple(types),
        environments=tuple(environments),
        kind="logic",
        complexity=complexity,
    )

    def deco(fn: CheckFn) -> CheckFn:
        existing = _DECLARED.get(id)
        if existing is not None and existing.run is not fn:
            raise ValueError(f"check {id} declared twice")
        _DECLARED[id] = Check(meta=meta, run=fn, origin=fn.__module__)
        return fn

    return deco


@cache
def load_checks() -> Mapping[str, Check]:
    """Every check (declarative + logic), keyed by id, sorted."""
    import cloudwright.review.checks as pkg
    from cloudwright.review.declarative import load_declarative

    for info in sorted(pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."), key=lambda i: i.name):
        importlib.import_module(info.name)
    checks: dict[str, Check] = dict(_DECLARED)
    for decl in load_declarative():
        if decl.meta.id in checks:
            raise ValueError(f"check {decl.meta.id} is both declarative and logic")
        checks[decl.meta.id] = decl
    for cid, chk in checks.items():
        prefix = {p: k for k, p in _prefixes().items()}[chk.meta.pillar]
        if not cid.startswith(prefix + "-"):
            raise ValueError(f"check {cid}: id prefix does not match pillar {chk.meta.pillar}")
    return MappingProxyType(dict(sorted(checks.items())))


def _prefixes() -> dict[str, Pillar]:
    from cloudwright.review.model import PILLAR_PREFIX

    return PILLAR_PREFIX


def get_check(check_id: str) -> Check:
    from cloudwright.errors import InputError

    checks = load_checks()
    key = check_id.strip().upper()
    if key not in checks:
        raise InputError("unknown check id", field="check", value=check_id, allowed=[*list(checks)[:10], "…"])
    return checks[key]


def check_to_dict(chk: Check) -> dict[str, Any]:
    data = chk.meta.model_dump(mode="json")
    data["origin"] = chk.origin
    return data


_SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")


@cache
def checkov_severities() -> MappingProxyType[str, str]:
    """checkov id → the highest severity of the checks that name it in their references
    (``checkov:CKV_AWS_18``): how :mod:`cloudwright.validate` rates a checkov check offline."""
    out: dict[str, str] = {}
    for chk in load_checks().values():
        for ref in chk.meta.references:
            if ref.upper().startswith("CHECKOV:"):
                key = ref.split(":", 1)[1].upper()
                sev = chk.meta.severity.value
                if _SEVERITY_ORDER.index(sev) > _SEVERITY_ORDER.index(out.get(key, "info")):
                    out[key] = sev
    return MappingProxyType(dict(sorted(out.items())))
