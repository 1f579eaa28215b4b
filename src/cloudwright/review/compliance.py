"""Compliance mapping as open data: requirement → control → resource settings → check ids.

One file per framework in ``data/compliance/`` (HIPAA, PCI-DSS, SOC 2, GDPR, ISO 27001). Evidence per
control, from the review's check results:

* **met** — at least one mapped check passed and none failed, and the control's own conditions hold: a
  control may require a resource type in the design (``requires_types``: HIPAA audit controls need a
  CloudTrail trail), or be one a template can never show as met (``at_most: unknown``: PCI DSS 3.5 needs
  tokenisation or field-level encryption of PAN, which storage encryption does not replace) — then it is
  **unknown**, never met from a weaker control;
* **not met** — a mapped check failed (the failing resources are listed);
* **unknown** — mapped checks could only return unknown;
* **not assessed** — no resource in the design is covered by the mapped checks;
* **process** — the control needs a process outside the architecture (training, risk analysis …).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from cloudwright.design.model import Design
from cloudwright.review.model import (
    CheckResult,
    ControlEvidence,
    ControlStatus,
    FrameworkEvidence,
    Review,
    Status,
)

FILES = {"HIPAA": "hipaa", "PCI-DSS": "pci-dss", "SOC2": "soc2", "GDPR": "gdpr", "ISO27001": "iso27001"}


@cache
def load_framework(name: str) -> dict[str, Any]:
    from cloudwright import yamlfast

    text = importlib_resources.files("cloudwright").joinpath(f"data/compliance/{FILES[name]}.yaml")
    data = yamlfast.safe_load(text.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def frameworks() -> list[str]:
    return sorted(FILES)


def normalise_frameworks(names: Iterable[str]) -> list[str]:
    """``["hipaa", "pci"]`` → ``["HIPAA", "PCI-DSS"]`` (unknown names raise InputError)."""
    from cloudwright.requirements import requirements_from_mapping

    raw = [n.strip() for n in names if n and n.strip()]
    if not raw:
        return []
    req = requirements_from_mapping({"compliance": raw})
    return sorted({c.value for c in req.compliance})


def evaluate(names: Iterable[str], review: Review, design: Design) -> list[FrameworkEvidence]:
    by_check: dict[str, list[CheckResult]] = {}
    for res in review.results:
        by_check.setdefault(res.check_id, []).append(res)
    out: list[FrameworkEvidence] = []
    for name in names:
        fw = load_framework(name)
        controls = []
        for c in fw["controls"]:
            checks = list(c.get("checks", []))
            status, evidence = _evidence(c, [r for cid in checks for r in by_check.get(cid, [])], design)
            controls.append(
                ControlEvidence(
                    id=c["id"],
                    requirement=c["requirement"],
                    control=c["control"],
                    settings=c.get("settings", ""),
                    checks=checks,
                    references=list(c.get("references", [])),
                    status=status,
                    evidence=evidence,
                )
            )
        counts: dict[str, int] = {}
        for ce in controls:
            counts[ce.status] = counts.get(ce.status, 0) + 1
        out.append(
            FrameworkEvidence(
                framework=name,
                title=fw["title"],
                source=fw["source"],
                date=fw["date"],
                counts=dict(sorted(counts.items())),
                controls=controls,
            )
        )
    return out


def _evidence(c: dict[str, Any], results: list[CheckResult], design: Design) -> tuple[ControlStatus, str]:
    """The status of one control (from the mapped checks' results) and the evidence behind it."""
    if c.get("kind") == "process":
        return "process", "needs a process outside the architecture"
    failed = sorted({f"{r.check_id} on {r.resource}" for r in results if r.status is Status.FAIL})
    passed = [r for r in results if r.status is Status.PASS]
    unknown = [r for r in results if r.status is Status.UNKNOWN]
    if failed:
        return "not met", "; ".join(failed)
    if passed:
        missing = [t for t in c.get("requires_types", []) if not design.by_type(t)]
        if missing:
            return "unknown", (
                f"{len(passed)} passing check result(s), but no {', '.join(missing)} in the "
                "template (one outside it may cover this control)"
            )
        if c.get("at_most") == "unknown":
            return "unknown", f"{c['at_most_reason']} ({len(passed)} passing check result(s))"
        return "met", f"{len(passed)} passing check result(s)"
    if unknown:
        reasons = sorted({r.reason for r in unknown if r.reason}) or ["values could not be resolved"]
        return "unknown", "; ".join(reasons)
    return "not assessed", "no resource in the design is covered"
