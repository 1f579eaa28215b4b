"""External validators folded into the review: cfn-lint and checkov on the rendered template.

The tools run through :mod:`cloudwright.validate` (not re-implemented here); their results are mapped
into the review's :class:`~cloudwright.review.model.Finding` shape with ``source`` set to the tool.
cfn-lint findings count under operational excellence (template correctness), checkov's under security.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloudwright.design.model import Design
from cloudwright.review.model import ExternalValidators, Finding, Pillar, Severity, SuppressedRule

if TYPE_CHECKING:
    from cloudwright.validate import ExternalFinding

_PILLAR = {"cfn-lint": Pillar.OPERATIONAL_EXCELLENCE, "checkov": Pillar.SECURITY}


def to_finding(ext: ExternalFinding) -> Finding:
    path = [str(p) for p in ext.path]
    return Finding(
        check_id=f"{ext.tool}:{ext.rule_id}",
        title=f"{ext.tool} {ext.rule_id}",
        pillar=_PILLAR.get(ext.tool, Pillar.SECURITY),
        severity=Severity(ext.severity) if ext.severity in Severity.__members__.values() else Severity.MEDIUM,
        resource=ext.resource or "template",
        path=path,
        message=ext.message,
        remediation=f"See the {ext.tool} documentation for {ext.rule_id}.",
        source=ext.tool,
    )


def run_external(design: Design, *, checkov: bool = True) -> tuple[ExternalValidators, list[Finding]]:
    """(section, findings) — the section says which tools ran and what they found (or why not)."""
    section = ExternalValidators()
    try:
        from cloudwright.cfn.writer import render_template
        from cloudwright.review.registry import checkov_severities
        from cloudwright.validate import checkov_available, external_findings

        text = render_template(design)
        results = external_findings(
            text, checkov=checkov, regions=(design.region,), severities=checkov_severities()
        )
        section.tools = ["cfn-lint"] + (["checkov"] if checkov and checkov_available() else [])
    except Exception as exc:  # a validator failing must not take the review down
        section.error = f"external validators did not run: {type(exc).__name__}: {exc}"
        return section, []
    section.ran = True
    findings: list[Finding] = []
    for ext in results:
        if ext.level == "suppressed":
            section.suppressed.append(
                SuppressedRule(tool=ext.tool, rule_id=ext.rule_id, resource=ext.resource, reason=ext.message)
            )
            continue
        findings.append(to_finding(ext))
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.source] = counts.get(f.source, 0) + 1
    section.counts = dict(sorted(counts.items()))
    return section, findings
