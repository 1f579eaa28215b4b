"""``review_design``: run every check on a design and assemble the :class:`Review`.

Steps: checks (declarative + logic) → suppressions → cost delta of each fix (pricing engine on a fixed
copy of the design) → availability and recovery maths → quotas → compliance evidence → optional
external validators (cfn-lint, checkov) → pillar scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from cloudwright.design.model import Design, dict_or_empty, list_or_empty
from cloudwright.requirements import Requirements
from cloudwright.review.context import LIFECYCLE_AS_OF, Outcome, ReviewContext
from cloudwright.review.model import CheckResult, Finding, Review, Severity, Status
from cloudwright.review.registry import Check, load_checks
from cloudwright.review.scoring import pillar_scores

if TYPE_CHECKING:
    from cloudwright.pricing.model import Estimate


def _suppressions(design: Design) -> dict[tuple[str, str], str]:
    """``(check_id, logical_id) → reason`` from resource Metadata.

    ``Metadata: {cloudwright-review: {skip: [{id: CHECK-ID, reason: why}]}}`` suppresses a check, and a
    checkov suppression with a written reason (``Metadata: {checkov: {skip: [{id, comment}]}}``) suppresses
    our checks that reference that checkov id — the reason is shown, never dropped.

    The design may also carry ``metadata["review_suppressions"] = [{id, resource, reason}]``.
    """
    out: dict[tuple[str, str], str] = {}
    for r in design.resources:
        meta = dict_or_empty(r.attributes.get("Metadata"))
        for item in list_or_empty(dict_or_empty(meta.get("cloudwright-review")).get("skip")):
            if isinstance(item, dict) and item.get("id"):
                out[(str(item["id"]).upper(), r.logical_id)] = str(
                    item.get("reason") or item.get("comment") or ""
                )
        # a reasoned checkov suppression also covers our checks that cross-reference that checkov id
        for item in list_or_empty(dict_or_empty(meta.get("checkov")).get("skip")):
            if isinstance(item, dict) and item.get("id") and item.get("comment"):
                out.setdefault((f"CHECKOV:{str(item['id']).upper()}", r.logical_id), str(item["comment"]))
    for item in list_or_empty(design.metadata.get("review_suppressions")):
        if isinstance(item, dict) and item.get("id"):
            out[(str(item["id"]).upper(), str(item.get("resource", "design")))] = str(item.get("reason", ""))
    return out


#: Checks whose metadata says ``complexity: quadratic`` are skipped above this many resources, with a note.
QUADRATIC_MAX_RESOURCES = 2000


def run_checks(ctx: ReviewContext, checks: Iterable[Check] | None = None) -> list[tuple[Check, Outcome]]:
    """Run checks applicable to the context's environment; return (check, outcome) pairs, sorted."""
    out: list[tuple[Check, Outcome]] = []
    size = len(ctx.design.resources)
    for chk in checks if checks is not None else load_checks().values():
        if ctx.environment not in chk.meta.environments:
            continue
        if chk.meta.complexity == "quadratic" and size > QUADRATIC_MAX_RESOURCES:
            ctx.notes.append(
                f"{chk.meta.id} not run: its cost grows with the square of the design, and this design has "
                f"{size:,} resources (the check runs up to {QUADRATIC_MAX_RESOURCES:,})."
            )
            continue
        for outcome in chk.run(ctx):
            out.append((chk, outcome))
    out.sort(key=lambda p: (p[0].meta.id, p[1].resource, "/".join(p[1].path)))
    return out


def review_design(
    design: Design,
    requirements: Requirements | None = None,
    *,
    compliance: Sequence[str] | None = None,
    estimate: Estimate | None = None,
    external: bool = False,
    environment: str | None = None,
    today: date | None = None,
    checks: Iterable[Check] | None = None,
    cost_deltas: bool = True,
) -> Review:
    """Review a design (generated or imported) against the checks, SLAs, quotas and compliance maps."""
    from cloudwright import progress
    from cloudwright.review import availability, costs, quotas
    from cloudwright.review import compliance as compliance_mod

    env = environment or design.environment or "prod"
    selected = list(checks) if checks is not None else None
    frameworks = _frameworks(requirements, compliance)
    pricer = costs.CostDeltas(design, enabled=cost_deltas, estimate=estimate)
    ctx = ReviewContext(
        design=design,
        requirements=requirements,
        environment=env,
        today=today or LIFECYCLE_AS_OF,
        compliance=tuple(frameworks),
        monthly_cost=pricer.total() if requirements is not None and cost_deltas else pricer.given(),
    )
    ctx.estimate = pricer.estimate

    with progress.task(f"Running checks on {len(design.resources):,} resources"):
        pairs = run_checks(ctx, selected)
    suppress = _suppressions(design)
    results: list[CheckResult] = []
    failing: list[tuple[Check, Outcome]] = []
    for chk, o in pairs:
        status = o.status
        reason = o.message if status is not Status.FAIL else ""
        key = (chk.meta.id, o.resource)
        if status is Status.FAIL and key not in suppress:
            for ref in chk.meta.references:
                if ref.upper().startswith("CHECKOV:") and (ref.upper(), o.resource) in suppress:
                    key = (ref.upper(), o.resource)
                    break
        if status is Status.FAIL and key in suppress:
            status, reason = Status.SUPPRESSED, suppress[key] or "suppressed without a reason"
        results.append(CheckResult(check_id=chk.meta.id, resource=o.resource, status=status, reason=reason))
        if status is Status.FAIL:
            failing.append((chk, o))

    findings: list[Finding] = []
    step = progress.task("Pricing the fixes", total=len(failing))
    pricer.prepare(o for _, o in failing)
    for chk, o in failing:
        delta, note = pricer.delta(o)
        step.advance()
        findings.append(
            Finding(
                check_id=chk.meta.id,
                title=chk.meta.title,
                pillar=chk.meta.pillar,
                severity=o.severity or chk.meta.severity,
                resource=o.resource,
                path=o.path,
                message=o.message,
                remediation=chk.meta.remediation,
                cost_delta_usd=delta,
                cost_note=note,
            )
        )

    review = Review(
        design_name=design.name,
        environment=env,
        origin=design.origin,
        compliance_frameworks=frameworks,
        results=results,
        as_of=ctx.today.isoformat(),
    )
    step.done()
    review.availability = availability.composite_availability(ctx)
    review.recovery = availability.recovery_summary(ctx)
    review.quotas = quotas.check_quotas(ctx)
    if external:
        from cloudwright.review import external as external_mod

        review.external, ext_findings = external_mod.run_external(design)
        findings.extend(ext_findings)
    _mark_expected(findings, env)
    findings.sort(key=Finding.sort_key)
    review.findings = findings
    review.compliance = compliance_mod.evaluate(frameworks, review, design)
    review.scores = pillar_scores(
        results, load_checks() if selected is None else {c.meta.id: c for c in selected}
    )
    review.notes.extend(ctx.notes)
    if pricer.note:
        review.notes.append(pricer.note)
    return review


def _frameworks(requirements: Requirements | None, compliance: Sequence[str] | None) -> list[str]:
    from cloudwright.review.compliance import normalise_frameworks

    names: list[str] = []
    if requirements is not None:
        names.extend(c.value for c in requirements.compliance)
    names.extend(compliance or [])
    return normalise_frameworks(names)


def _mark_expected(findings: list[Finding], environment: str) -> None:
    """Attach the documented reason to findings the environment is expected to have (dev allow-list)."""
    from cloudwright.review.allowlist import expected_findings

    allowed = expected_findings(environment)
    for f in findings:
        if f.check_id in allowed:
            f.expected_reason = allowed[f.check_id]


def high_findings(review: Review) -> list[Finding]:
    """Own findings of high or critical severity (the acceptance bar for prod designs)."""
    return [f for f in review.own_findings() if f.severity in (Severity.CRITICAL, Severity.HIGH)]
