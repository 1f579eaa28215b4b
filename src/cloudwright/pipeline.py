"""The design pipeline: requirements → recommendation → design → estimate → review → plan → result.

:func:`run_design` runs every stage; :func:`assemble` turns the stages' outputs into the one canonical
:class:`~cloudwright.result.DesignResult` every renderer reads. :func:`review_file` reviews a
requirements file (its recommended design) or any CloudFormation template.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cloudwright.design.model import Design, Placement, Resource
from cloudwright.errors import InputError
from cloudwright.gcpause import paused_collection
from cloudwright.pricing.memo import pricing_memo
from cloudwright.requirements import Requirements
from cloudwright.result import (
    Alternative,
    Budget,
    ComponentView,
    Crossover,
    DesignResult,
    DisasterRecovery,
    EdgeView,
    EstimateView,
    Fit,
    Flip,
    GateResult,
    LineItemView,
    LoadCost,
    PatternView,
    ResourceCost,
    ResourceView,
    TargetResult,
)
from cloudwright.units import ENVIRONMENTS, FREE_TIER_CHOICES, D, usd

if TYPE_CHECKING:
    from cloudwright.patterns.model import Pattern
    from cloudwright.patterns.recommend import Recommendation
    from cloudwright.patterns.search import Search
    from cloudwright.pricing.model import Estimate
    from cloudwright.review.model import Review


def build_design(
    requirements: Requirements, pattern_id: str | None = None, environment: str = "prod"
) -> Design:
    """The sized resource graph for ``pattern_id``, or for the recommended pattern when it is omitted
    (the public ``cloudwright.build_design``)."""
    from cloudwright.design.build import build_design as build

    if pattern_id is None:
        from cloudwright.patterns.recommend import recommend

        pattern_id = recommend(requirements).pattern.id
    return build(requirements, pattern_id, environment)


@paused_collection()
@pricing_memo()
def run_design(
    requirements: Requirements,
    environment: str = "prod",
    pattern_id: str | None = None,
    *,
    free_tier: str = "none",
) -> DesignResult:
    """Recommend, build, price and review a design for ``requirements`` in one environment."""
    from cloudwright.design.build import build_design
    from cloudwright.patterns.catalog import load_patterns
    from cloudwright.patterns.recommend import recommend
    from cloudwright.pricing.engine import PricingOptions, price_design
    from cloudwright.review.engine import review_design

    if environment not in ENVIRONMENTS:
        raise InputError("unknown environment", field="environment", value=environment, allowed=ENVIRONMENTS)
    if free_tier not in FREE_TIER_CHOICES:
        raise InputError(
            "unknown free-tier mode", field="free_tier", value=free_tier, allowed=FREE_TIER_CHOICES
        )
    patterns = load_patterns()
    if pattern_id is not None and pattern_id not in patterns:
        raise InputError("unknown pattern", field="pattern", value=pattern_id, allowed=sorted(patterns))
    # the search designs and prices every candidate for production (the budget and targets are prod's)
    recommendation = recommend(requirements, free_tier=free_tier, forced=pattern_id)
    assert recommendation.search is not None
    chosen = recommendation.search.chosen
    pricing = PricingOptions(free_tier=free_tier)
    # production: the chosen candidate as the search designed, priced and judged it, with its
    # disaster-recovery strategy built in (so its figures are the estimate's)
    dr = chosen.dr if environment == "prod" else None
    if environment == "prod" and dr is None:
        from cloudwright.dr import plan_dr

        dr = plan_dr(chosen.design, requirements, pricing=pricing)
    if dr is not None:
        design, estimate = dr.design, dr.estimate
    elif environment == "prod":
        design, estimate = chosen.design, chosen.estimate
    else:
        design = build_design(requirements, pattern_id=chosen.id, environment=environment)
        estimate = price_design(design, pricing)
    # the plan's table (completed, split per Region) is read before the review reads the design
    dr_view = DisasterRecovery.model_validate(dr.to_dict()) if dr is not None else None
    review = review_design(design, requirements, estimate=estimate)
    return assemble(
        requirements,
        design,
        estimate,
        pattern=patterns[chosen.id],
        recommendation=recommendation,
        review=review,
        forced=pattern_id is not None,
        dr=dr_view,
    )


# ------------------------------------------------------------------------------------------------
# assembly (pure: hand-made stage outputs work as well as real ones)
# ------------------------------------------------------------------------------------------------
def assemble(
    requirements: Requirements,
    design: Design,
    estimate: Estimate,
    *,
    pattern: Pattern,
    recommendation: Recommendation | None = None,
    review: Review | None = None,
    forced: bool = False,
    dr: DisasterRecovery | None = None,
) -> DesignResult:
    from cloudwright.design.plan import checklist, network_plan, roadmap
    from cloudwright.design.types import type_info

    est_view = estimate_view(estimate)
    costs = {r.logical_id: r for r in est_view.resources}
    resources = [
        _resource_view(r, costs.get(r.logical_id), type_info(r.type).category)
        for r in design.sorted_resources()
    ]
    pview, alternatives, flips = recommendation_views(pattern, recommendation, forced=forced)
    network = network_plan(design)
    phases = checklist(
        design,
        requirements,
        pattern_name=pview.name,
        review=review,
        unpriced_lines=est_view.unpriced_lines,
        encrypted=network.encryption,
    )
    warnings = list(design.warnings)
    if forced and recommendation is not None and recommendation.pattern.id != pattern.id:
        warnings.insert(
            0, f"pattern {pattern.id} was forced; the recommendation was {recommendation.pattern.id}"
        )
    if est_view.unsupported_types:
        warnings.append("not priced (unsupported types): " + ", ".join(est_view.unsupported_types))
    search = recommendation.search if recommendation is not None else None
    budget = budget_verdict(requirements.budget_monthly_usd, est_view, environment=design.environment)
    if search is not None:
        budget = budget.model_copy(update=cost_floor(search))
        warnings.extend(w for w in search.warnings if w not in warnings)
    return DesignResult(
        name=design.name,
        environment=design.environment,
        region=design.region,
        origin=design.origin,
        requirements=requirements,
        pattern=pview,
        fit=Fit(**search.fit.to_dict()) if search is not None else Fit(),
        alternatives=alternatives,
        flips=flips,
        crossovers=[
            Crossover(
                low_factor=x.low,
                high_factor=x.high,
                load_factor=round(x.at, 2),
                from_pattern=x.before,
                to_pattern=x.after,
                description=x.describe(),
            )
            for x in (search.crossovers if search is not None else [])
        ],
        ranking_basis=search.ranking_basis if search is not None else "",
        resources=resources,
        # an Edge is validated and frozen, and has the view's fields
        edges=[
            EdgeView.model_construct(source=e.source, target=e.target, kind=e.kind, label=e.label)
            for e in design.sorted_edges()
        ],
        estimate=est_view,
        budget=budget,
        review=review,
        network=network,
        checklist=phases,
        roadmap=roadmap(phases, design),
        warnings=warnings,
        assumptions=dict(sorted(design.assumptions.items())),
        dr=dr,
        design_obj=design,
    )


class _NotPlainJson(Exception):
    """A value the JSON field validators would convert or reject (not a plain dict/list/scalar)."""


_JSON_SCALARS = frozenset({str, bool, int, float, Decimal, type(None)})


def _json_dict(node: dict[str, Any]) -> dict[str, Any]:
    """A copy of a plain JSON object — the value ``JsonObject`` validation gives for it (new dicts and
    lists, the scalars themselves) without the validation; :class:`_NotPlainJson` for anything else."""
    out: dict[str, Any] = {}
    for k, v in node.items():
        t = type(v)
        if type(k) is not str:
            raise _NotPlainJson
        if t in _JSON_SCALARS:
            out[k] = v
        elif t is dict:
            out[k] = _json_dict(v)
        elif t is list:
            out[k] = _json_list(v)
        else:
            raise _NotPlainJson
    return out


def _json_list(node: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in node:
        t = type(v)
        if t in _JSON_SCALARS:
            out.append(v)
        elif t is dict:
            out.append(_json_dict(v))
        elif t is list:
            out.append(_json_list(v))
        else:
            raise _NotPlainJson
    return out


def _resource_view(r: Resource, cost: ResourceCost | None, category: str) -> ResourceView:
    """One resource of the result. Its JSON fields are copied as validation would copy them and the view
    is built without re-validating them (a fifth of a design's assembly); anything that is not plain
    JSON goes through the validators as before."""
    fields: dict[str, Any] = {
        "logical_id": r.logical_id,
        "type": r.type,
        "label": r.label,
        "role": str(r.metadata.get("role", "")),
        "rationale": str(r.metadata.get("rationale", "")),
        "component": str(r.metadata.get("component", "")),
        "category": category,
        "properties": r.properties,
        "usage": r.usage,
        "placement": r.placement,
        "metadata": r.metadata,
        "depends_on": sorted(r.depends_on),
        "monthly_usd": cost.monthly_usd if cost else None,
        "cost_status": cost.classification if cost else "not priced",
    }
    plain = (
        all(type(fields[k]) is str for k in ("logical_id", "type", "label", "category", "cost_status"))
        and all(type(d) is str for d in fields["depends_on"])
        and type(fields["placement"]) is Placement
        and type(fields["monthly_usd"]) in (Decimal, type(None))
        and type(r.properties) is dict
        and type(r.usage) is dict
        and type(r.metadata) is dict
    )
    if plain:
        try:
            copies = {k: _json_dict(fields[k]) for k in ("properties", "usage", "metadata")}
        except _NotPlainJson:
            pass
        else:
            return ResourceView.model_construct(**{**fields, **copies})
    return ResourceView(**fields)


def estimate_view(estimate: Estimate) -> EstimateView:
    """Flatten the pricing engine's estimate: one list of line items, each with its logical id."""
    lines: list[LineItemView] = []
    per_resource: list[ResourceCost] = []
    from cloudwright.pricing.verdict import total_sentence, unpriced_resources

    unpriced = 0
    usage_open = 0
    for r in sorted(estimate.resources, key=lambda r: r.logical_id):
        per_resource.append(
            ResourceCost(
                logical_id=r.logical_id,
                type=r.type,
                classification=r.classification,
                monthly_usd=r.monthly_usd,
            )
        )
        for li in r.line_items:
            if li.status != "priced":
                unpriced += 1
            if li.status == "usage-unknown":
                usage_open += 1
            lines.append(LineItemView(logical_id=r.logical_id, type=r.type, **li.model_dump()))
    missing = unpriced_resources(estimate.resources)
    return EstimateView(
        monthly_usd=D(estimate.monthly_usd),
        catalog_date=estimate.catalog_date,
        free_tier=estimate.free_tier,
        hours_per_month=D(estimate.hours_per_month),
        line_items=lines,
        resources=per_resource,
        unsupported_types=sorted(estimate.unsupported_types),
        unpriced_lines=unpriced,
        complete=not missing,
        unpriced=missing,
        usage_unknown_lines=usage_open,
        total=total_sentence(D(estimate.monthly_usd), missing, usage_open),
    )


def budget_verdict(
    budget: float | Decimal | None, estimate: EstimateView, *, environment: str = "prod"
) -> Budget:
    """Compare the estimate with the budget (one owner: :func:`cloudwright.pricing.verdict.judge`)."""
    from cloudwright.pricing.verdict import judge

    j = judge(
        budget,
        estimate.monthly_usd,
        estimate.unpriced,
        usage_open=estimate.usage_unknown_lines,
        environment=environment,
    )
    return Budget(
        monthly_usd=j.monthly_usd,
        estimate_usd=j.estimate_usd,
        over_budget=j.over_budget,
        overrun_usd=j.overrun_usd,
        headroom_usd=j.headroom_usd,
        utilisation_percent=j.utilisation_percent,
        verdict=j.verdict,
        message=j.message,
        near_budget=j.near_budget,
        complete=j.complete,
    )


def cost_floor(search: Search) -> dict[str, Any]:
    """The cost floor: the cheapest candidate meeting every target (its whole production design, DR
    strategy included), and what drives its cost."""
    floor = search.floor
    if floor is None:
        return {"floor_usd": None, "floor_pattern": "", "floor_drivers": []}
    ranked = sorted(
        (r for r in floor.estimate.resources if r.monthly_usd),
        key=lambda r: (-Decimal(r.monthly_usd), r.logical_id),
    )
    drivers = [f"{r.logical_id} ({r.type}) {usd(Decimal(r.monthly_usd))}/month" for r in ranked[:3]]
    return {"floor_usd": D(floor.monthly_usd), "floor_pattern": floor.id, "floor_drivers": drivers}


def candidate_fields(search: Search | None, pattern_id: str) -> dict[str, Any]:
    """The search's view of one pattern: cost, targets, burden, sensitivity and failed gates."""
    if search is None:
        return {}
    gates = [GateResult(**g.to_dict()) for g in search.rejected.get(pattern_id, [])]
    c = search.candidate(pattern_id)
    if c is None:
        return {"gates": gates}
    gates += [GateResult(**g.to_dict()) for g in c.gate_failures]
    return {
        "monthly_usd": D(c.monthly_usd),
        "dr_strategy": c.dr_strategy,
        "meets_targets": c.meets_targets,
        "targets": [TargetResult(**t.to_dict()) for t in c.targets],
        "burden": c.burden,
        "sensitivity": [
            LoadCost(load_factor=k, monthly_usd=None if v is None else D(v))
            for k, v in sorted(c.sensitivity.items())
        ],
        "gates": gates,
    }


def recommendation_views(
    pattern: Pattern, recommendation: Recommendation | None, *, forced: bool = False
) -> tuple[PatternView, list[Alternative], list[Flip]]:
    """The chosen pattern (with its scores and reasons), the ranked alternatives and the flip points."""
    chosen_score: float | None = None
    reasons: list[str] = []
    alternatives: list[Alternative] = []
    flips: list[Flip] = []
    search = recommendation.search if recommendation is not None else None
    if recommendation is not None:
        recommended = recommendation.pattern.id
        if recommended == pattern.id:
            chosen_score, reasons = recommendation.score, list(recommendation.reasons)
        else:
            alternatives.append(
                Alternative(
                    id=recommended,
                    name=recommendation.pattern.name,
                    score=round(recommendation.score, 1),
                    reasons=[f"the recommendation; {pattern.id} was forced instead", *recommendation.reasons],
                    candidate=True,
                    **candidate_fields(search, recommended),
                )
            )
        for alt in recommendation.alternatives:
            if alt.id == pattern.id:
                chosen_score = alt.score
                reasons = [f"forced with --pattern (recommended: {recommended})", *alt.reasons]
                continue
            fields = candidate_fields(search, alt.id)
            designed = search.candidate(alt.id) if search is not None else None
            alternatives.append(
                Alternative(
                    id=alt.id,
                    name=alt.name,
                    score=round(alt.score, 1),
                    reasons=list(alt.reasons),
                    excluded=alt.excluded,
                    candidate=designed is not None,
                    estimate_complete=designed.complete if designed is not None else None,
                    **fields,
                )
            )
        flips = [
            Flip(
                field=f.field,
                current=_plain(f.current),
                value=_plain(f.value),
                direction=f.direction,
                pattern_id=f.pattern,
                description=f.describe(),
            )
            for f in recommendation.flips
        ]
    scale: dict[str, str] = {}
    if pattern.scale is not None:
        scale["users"] = f"{pattern.scale.users[0]:,.0f} – {pattern.scale.users[1]:,.0f}"
        scale["peak requests/s"] = f"{pattern.scale.peak_rps[0]:,.0f} – {pattern.scale.peak_rps[1]:,.0f}"
    if pattern.availability is not None:
        scale["availability"] = f"up to {pattern.availability.max_target}% ({pattern.availability.basis})"
    burden = ""
    ob = pattern.operational_burden
    if ob is not None:
        burden = f"{ob.level} (team of {ob.min_team_size}+, {ob.min_experience} AWS experience): {ob.note}"
    view = PatternView(
        id=pattern.id,
        name=pattern.name,
        summary=pattern.summary,
        score=round(float(chosen_score), 1) if chosen_score is not None else None,
        reasons=reasons,
        when_to_use=list(pattern.fits_when),
        use_cases=list(pattern.use_cases),
        not_for=list(pattern.not_for),
        pros=list(pattern.pros),
        cons=list(pattern.cons),
        scaling=scale,
        scaling_limits=[{"limit": s.limit, "source": s.source} for s in pattern.scaling_limits],
        operational_burden=burden,
        seeds=list(pattern.seeds),
        **candidate_fields(search, pattern.id),
        components=[
            ComponentView(
                builder=c.builder,
                role=c.role,
                service=c.service,
                purpose=c.purpose,
                alternative=c.alternative,
                why=c.why,
            )
            for c in pattern.components
        ],
    )
    return view, alternatives, flips


def _plain(value: Any) -> Any:
    """Enum members and tuples as JSON-ready values."""
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return getattr(value, "value", value)


# ------------------------------------------------------------------------------------------------
# reviewing a file (requirements or any CloudFormation template)
# ------------------------------------------------------------------------------------------------
def review_file(
    path: str | Path,
    *,
    compliance: Sequence[str] = (),
    environment: str | None = None,
    external: bool = False,
    pattern_id: str | None = None,
    as_of: date | None = None,
    parameters: Mapping[str, str] | None = None,
) -> Review:
    """Review a file. Requirements → build the recommended design (or ``pattern_id``); a CloudFormation
    template → import it; then review the design."""
    from cloudwright.inputs import read_input
    from cloudwright.requirements import looks_like_requirements, requirements_from_mapping
    from cloudwright.review.engine import review_design

    p = Path(path)
    text = read_input(p, what="template", field="file")
    if environment is not None and environment not in ENVIRONMENTS:
        raise InputError("unknown environment", field="env", value=environment, allowed=ENVIRONMENTS)
    data = _parse_quietly(text, str(p))
    if looks_like_requirements(data):
        from cloudwright.design.build import build_design

        if parameters:
            raise InputError(
                "template parameters apply to CloudFormation templates, not to a requirements file",
                field="--param",
                value=next(iter(parameters)),
            )
        req = requirements_from_mapping(data)
        if pattern_id is None:
            from cloudwright.patterns.recommend import recommend

            pattern_id = recommend(req, flips=False).pattern.id
        design = build_design(req, pattern_id=pattern_id, environment=environment or "prod")
        return review_design(design, req, compliance=compliance, external=external, today=as_of)
    from cloudwright.design.cfn_import import import_template

    design = import_template(p, parameters=parameters)
    if environment is not None:
        design.environment = environment
    return review_design(design, None, compliance=compliance, external=external, today=as_of)


def _parse_quietly(text: str, source: str) -> object:
    """Parse as plain YAML/JSON; CloudFormation short-form tags (``!Ref``) mean "a template"."""
    from cloudwright.requirements import parse_document

    try:
        return parse_document(text, source=source)
    except InputError:
        return None


# ------------------------------------------------------------------------------------------------
# an imported template: priced, reviewed and written like a generated design
# ------------------------------------------------------------------------------------------------
def write_import(design: Design, out: Path) -> list[Path]:
    """Write the imported design (JSON), its re-rendered template(s), estimate and review to ``out``,
    as one atomic step (:func:`cloudwright.outputs.write_set`)."""
    from cloudwright.cfn.writer import render_templates
    from cloudwright.outputs import write_set

    files: dict[str, str | bytes] = {
        "design.json": json.dumps(design.model_dump(mode="json"), indent=2, sort_keys=True) + "\n"
    }
    files.update(render_templates(design))
    estimate, review = price_and_review(design)
    for name, obj in (("estimate.json", estimate), ("review.json", review)):
        files[name] = json.dumps(obj.to_dict(), indent=2, sort_keys=True, default=str) + "\n"
    return write_set(out, files)


def price_and_review(design: Design) -> tuple[Estimate, Review]:
    """Price and review an imported design exactly as a generated one."""
    from cloudwright.pricing.engine import price_design
    from cloudwright.review.engine import review_design

    estimate = price_design(design)
    return estimate, review_design(design, estimate=estimate)
