"""Renderers of a :class:`Review`: Markdown, HTML, JSON and SARIF 2.1.0 (the terminal view is the
CLI's, in :mod:`cloudwright.commands.review_terminal`).

All read the same model and sort the same way (severity, check id, resource), so outputs are
deterministic. The report helper embeds :func:`review_markdown` / :func:`review_html` in its reports.
"""

from __future__ import annotations

import html
import json
from datetime import date
from decimal import Decimal
from typing import Any

from cloudwright.errors import InputError
from cloudwright.review.model import PILLAR_ORDER, Finding, Review, Severity
from cloudwright.units import round_money, signed_usd

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def finding_delta(f: Finding) -> str:
    if f.cost_delta_usd is not None:
        return f"{signed_usd(f.cost_delta_usd)}/mo"
    return f.cost_note or ""


def availability_line(review: Review) -> str:
    a = review.availability
    if a is None or a.composite_percent is None:
        return "Composite availability: unknown (no published SLA for the services found)."
    bound = " (upper bound)" if a.is_upper_bound else ""
    target = f" vs target {a.target_percent}%" if a.target_percent is not None else ""
    unknown = f"; no published SLA found for: {', '.join(a.unknown_services)}" if a.unknown_services else ""
    limit = (
        f"; held below the target by: {', '.join(a.limiting_dependencies)}" if a.limiting_dependencies else ""
    )
    spof = (
        "; single points of failure: "
        + "; ".join(f"{p.resource} ({p.why} — {p.mitigation})" for p in a.single_points_of_failure)
        if a.single_points_of_failure
        else ""
    )
    return (
        f"Composite availability {a.composite_percent:.3f}%{bound}{target} — {a.verdict}{unknown}"
        f"{limit}{spof}."
    )


def recovery_line(review: Review) -> str:
    r = review.recovery
    if r is None:
        return ""

    def fmt(v: float | None) -> str:
        return "unknown" if v is None else f"{v:g} min"

    parts = [f"RTO {fmt(r.rto_minutes)}", f"RPO {fmt(r.rpo_minutes)}"]
    if r.rto_target_minutes is not None:
        parts.append(f"targets RTO {r.rto_target_minutes:g} min / RPO {r.rpo_target_minutes:g} min")
    region = r.region_failure
    if region is not None:
        parts.append(
            f"Region outage: {region.name}, RTO {fmt(region.rto_minutes)} / RPO {fmt(region.rpo_minutes)}"
        )
    elif r.scope:
        parts.append(r.scope)
    return "Recovery: " + ", ".join(parts) + "."


# --------------------------------------------------------------------------------------------------
# Markdown / HTML
# --------------------------------------------------------------------------------------------------
def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def review_markdown(review: Review, *, heading_level: int = 2) -> str:
    h = "#" * heading_level
    lines = [f"{h} Review", ""]
    counts = review.counts()
    lines.append(
        f"{len(review.findings)} findings in the {review.environment} design: "
        + ", ".join(f"{counts[s.value]} {s.value}" for s in Severity)
        + "."
        + (f" Runtime and service lifecycle dates are judged as of {review.as_of}." if review.as_of else "")
    )
    lines += [
        "",
        f"{h}# Scores by pillar",
        "",
        "| Pillar | Score | Passed | Failed | Unknown | Suppressed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for p in PILLAR_ORDER:
        s = review.scores.get(p.value)
        if s is None:
            continue
        score = "n/a" if s.score is None else str(s.score)
        lines.append(f"| {p.title} | {score} | {s.passed} | {s.failed} | {s.unknown} | {s.suppressed} |")
    lines += ["", f"{h}# Findings", ""]
    if not review.findings:
        lines.append("No findings.")
    else:
        lines += ["| Severity | Check | Resource | Finding | Fix | Cost delta |", "|---|---|---|---|---|---|"]
        for f in review.findings:
            msg = f.message + (f" *(expected: {f.expected_reason})*" if f.expected_reason else "")
            lines.append(
                f"| {f.severity.value} | {f.check_id} | {f.resource} | {_md_escape(msg)} | "
                f"{_md_escape(f.remediation)} | {_md_escape(finding_delta(f))} |"
            )
    lines += ["", f"{h}# Availability and recovery", "", availability_line(review), ""]
    rec = recovery_line(review)
    if rec:
        lines += [rec, ""]
    comps = review.availability.components if review.availability is not None else []
    if comps:
        lines += ["| Service | Form | Region | SLA | Source |", "|---|---|---|---:|---|"]
        for c in comps:
            sla = "unknown" if c.sla_percent is None else f"{c.sla_percent}%"
            lines.append(f"| {c.name} | {c.form} | {c.region} | {sla} | {c.source} ({c.date}) |")
        lines.append("")
    breaches = [q for q in review.quotas if q.breach]
    lines += [f"{h}# Service quotas", ""]
    if not review.quotas:
        lines.append("No default quota applies to this design.")
    elif not breaches:
        lines.append(f"All {len(review.quotas)} default quotas checked are sufficient.")
    else:
        for q in breaches:
            lines.append(
                f"- **{q.service} — {q.name}**: needs {q.needed:,.0f} {q.unit}, default "
                f"{q.default:,.0f}. {q.how_to_raise}"
            )
    lines.append("")
    for fw in review.compliance:
        lines += [
            f"{h}# Compliance evidence: {fw.framework}",
            "",
            f"{fw.title} ({fw.source})",
            "",
            "| Control | Requirement | Status | Evidence | Checks |",
            "|---|---|---|---|---|",
        ]
        for ctl in fw.controls:
            lines.append(
                f"| {ctl.id} | {_md_escape(ctl.requirement)} | **{ctl.status}** | "
                f"{_md_escape(ctl.evidence)} | {', '.join(ctl.checks)} |"
            )
        lines.append("")
    ext = review.external
    if ext is not None:
        lines += [f"{h}# External validators", ""]
        if ext.ran:
            lines.append(
                f"Ran {', '.join(ext.tools)}: "
                + (", ".join(f"{n} from {t}" for t, n in ext.counts.items()) or "no findings")
                + " (listed above with their tool as check id prefix)."
            )
        else:
            lines.append(ext.error)
        lines.append("")
    for note in review.notes:
        lines += [f"> {note}", ""]
    return "\n".join(lines).rstrip() + "\n"


def review_html(review: Review) -> str:
    """An HTML ``<section>`` (no page chrome) the report template can include."""
    e = html.escape
    out = ['<section class="review">', "<h2>Review</h2>"]
    out.append("<table><thead><tr><th>Pillar</th><th>Score</th><th>Failed</th></tr></thead><tbody>")
    for p in PILLAR_ORDER:
        s = review.scores.get(p.value)
        if s is not None:
            out.append(
                f"<tr><td>{e(p.title)}</td><td>{'n/a' if s.score is None else s.score}</td>"
                f"<td>{s.failed}</td></tr>"
            )
    out.append("</tbody></table>")
    out.append("<h3>Findings</h3>")
    if review.findings:
        out.append(
            "<table><thead><tr><th>Severity</th><th>Check</th><th>Resource</th><th>Finding</th>"
            "<th>Fix</th><th>Cost delta</th></tr></thead><tbody>"
        )
        for f in review.findings:
            exp = f" <em>(expected: {e(f.expected_reason)})</em>" if f.expected_reason else ""
            out.append(
                f'<tr class="sev-{f.severity.value}"><td>{f.severity.value}</td><td>{e(f.check_id)}</td>'
                f"<td>{e(f.resource)}</td><td>{e(f.message)}{exp}</td><td>{e(f.remediation)}</td>"
                f"<td>{e(finding_delta(f))}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append("<p>No findings.</p>")
    out.append(f"<h3>Availability and recovery</h3><p>{e(availability_line(review))}</p>")
    rec = recovery_line(review)
    if rec:
        out.append(f"<p>{e(rec)}</p>")
    breaches = [q for q in review.quotas if q.breach]
    if breaches:
        out.append("<h3>Service quotas</h3><ul>")
        for q in breaches:
            out.append(
                f"<li><strong>{e(q.service)} — {e(q.name)}</strong>: needs {q.needed:,.0f}, default "
                f"{q.default:,.0f}. {e(q.how_to_raise)}</li>"
            )
        out.append("</ul>")
    for fw in review.compliance:
        out.append(f"<h3>Compliance evidence: {e(fw.framework)}</h3>")
        out.append(
            "<table><thead><tr><th>Control</th><th>Requirement</th><th>Status</th><th>Evidence</th></tr>"
            "</thead><tbody>"
        )
        for ctl in fw.controls:
            out.append(
                f"<tr><td>{e(ctl.id)}</td><td>{e(ctl.requirement)}</td><td>{e(ctl.status)}</td>"
                f"<td>{e(ctl.evidence)}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</section>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------
# JSON / SARIF
# --------------------------------------------------------------------------------------------------
def review_json(review: Review) -> str:
    return json.dumps(review.to_dict(), indent=2, sort_keys=True, default=_json_default) + "\n"


def _json_default(o: Any) -> Any:
    if isinstance(o, Decimal):
        return float(o)
    raise TypeError(type(o).__name__)


def review_sarif(review: Review, *, artifact: str = "template.yaml") -> str:
    """SARIF 2.1.0 log: one run, one rule per check id that produced a finding."""
    from cloudwright.review.registry import load_checks

    checks = load_checks()
    rule_ids = sorted({f.check_id for f in review.findings})
    rules = []
    for rid in rule_ids:
        chk = checks.get(rid)
        if chk is not None:
            rules.append(
                {
                    "id": rid,
                    "name": rid.replace("-", ""),
                    "shortDescription": {"text": chk.meta.title},
                    "fullDescription": {"text": chk.meta.rationale},
                    "help": {"text": chk.meta.remediation},
                    "properties": {
                        "pillar": chk.meta.pillar.value,
                        "severity": chk.meta.severity.value,
                        "tags": [chk.meta.pillar.value, *chk.meta.references],
                    },
                    "defaultConfiguration": {"level": SARIF_LEVEL[chk.meta.severity.value]},
                }
            )
        else:
            f0 = next(f for f in review.findings if f.check_id == rid)
            rules.append(
                {
                    "id": rid,
                    "name": rid,
                    "shortDescription": {"text": f0.title},
                    "defaultConfiguration": {"level": SARIF_LEVEL[f0.severity.value]},
                }
            )
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for f in review.findings:
        logical = "/".join(f.path) if f.path else f"Resources/{f.resource}"
        results.append(
            {
                "ruleId": f.check_id,
                "ruleIndex": index[f.check_id],
                "level": SARIF_LEVEL[f.severity.value],
                "message": {"text": f"{f.resource}: {f.message}"},
                "locations": [
                    {
                        "physicalLocation": {"artifactLocation": {"uri": artifact}},
                        "logicalLocations": [
                            {"name": f.resource, "fullyQualifiedName": logical, "kind": "resource"}
                        ],
                    }
                ],
                "partialFingerprints": {"cloudwright/v1": f"{f.check_id}:{f.resource}:{logical}"},
                "properties": {
                    "severity": f.severity.value,
                    "pillar": f.pillar.value,
                    "remediation": f.remediation,
                    "costDeltaUsd": None
                    if f.cost_delta_usd is None
                    else float(round_money(f.cost_delta_usd)),
                    "source": f.source,
                },
            }
        )
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cloudwright",
                        "rules": rules,
                    }
                },
                "artifacts": [{"location": {"uri": artifact}}],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, sort_keys=True) + "\n"


FORMATS = ("table", "markdown", "json", "sarif", "html")


def validate_options(fmt: str, fail_on: str | None = None) -> None:
    """Reject an unknown output format or ``--fail-on`` severity before any work is done."""
    from cloudwright.errors import InputError

    if fmt not in FORMATS:
        raise InputError("unknown format", field="format", value=fmt, allowed=FORMATS)
    levels = [s.value for s in Severity]
    if fail_on is not None and fail_on not in levels:
        raise InputError("unknown severity", field="fail-on", value=fail_on, allowed=levels)


def render_review(review: Review, fmt: str, *, artifact: str = "template.yaml") -> str:
    """Text of a review in one of :data:`FORMATS` (``table`` is Markdown when written to a file)."""
    validate_options(fmt)
    if fmt == "json":
        return review_json(review)
    if fmt == "html":
        return review_html(review)
    if fmt == "sarif":
        return review_sarif(review, artifact=artifact)
    return review_markdown(review)


def fails_threshold(review: Review, threshold: str | None) -> bool:
    """True when a finding is at least as severe as ``threshold`` (``--fail-on``)."""
    if threshold is None:
        return False
    limit = Severity(threshold).rank
    return any(f.severity.rank <= limit for f in review.findings)


def parse_as_of(value: str | None) -> date | None:
    """``--as-of``: None (the data's review date), ``today``, or an ISO date."""
    if value is None:
        return None
    if value.strip().lower() == "today":
        return date.today()
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError("not a date", field="--as-of", value=value, allowed="YYYY-MM-DD or today") from None
