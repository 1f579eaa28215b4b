"""Choose a pattern by designing and pricing every candidate that can serve the workload.

1. **Gates** (hard, before any price): a pattern is a candidate only when it serves the application type,
   the interaction, the accelerator and the media (``serves:`` in its file), uses only services eligible
   for the compliance regimes (``services:`` against ``data/eligibility.yaml``), matches a stated compute
   preference and passes its ``team_gate`` (overridden only by forcing the pattern).
2. **Design and price** every candidate with the same pipeline (build, size, price) and, for production,
   with the disaster-recovery strategy it would get (:func:`cloudwright.dr.plan_dr`: the cheapest meeting
   ``rto_minutes``/``rpo_minutes``), so its cost is the whole design's; then check it against the
   targets: availability (the pattern's designed-for availability), p95 latency (its latency floor), RTO
   and RPO (computed on the built design from ``data/slas/recovery.yaml``, a Region outage from the DR
   strategy's failover steps when the targets are stated), and residency (every resource, replica and
   recovery Region placed in ``allowed_regions``).
3. **Choose** the cheapest candidate meeting every target; ties go to the lower operational burden, then
   the id. A total with lines lacking a price is a lower bound: it is never ranked cheaper than a complete
   total (``ranking_basis``). When none meets every target, the one missing the fewest is chosen and the
   gap is named.

The cost of each candidate at 0.5×, 2×, 5× and 10× the stated load (the sensitivity) comes from
rebuilding and re-pricing it at that load with the same DR strategy, so sizing steps (instances, shards,
tasks) are in the figures;
the crossover is the load at which the cheapest candidate meeting the targets changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from cloudwright.errors import InputError
from cloudwright.gcpause import paused_collection
from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.model import Pattern
from cloudwright.pricing.memo import pricing_memo
from cloudwright.pricing.verdict import judge_estimate
from cloudwright.requirements import ComputePreference, Requirements
from cloudwright.units import usd

if TYPE_CHECKING:
    from cloudwright.review.model import Recovery

#: How the search compared the candidates' costs (``ranking_basis`` in design.json):
#: ``totals`` (every total compared is complete, or all lack exactly the same lines), ``complete-first``
#: (complete totals ranked before incomplete ones, which are lower bounds), ``priced-parts`` (every total
#: compared lacks prices for different lines: ranked on their priced parts, lower bounds) and ``burden``
#: (most lines have no price: the lower operational burden decides).
RANKING_BASES = ("totals", "complete-first", "priced-parts", "burden")
#: Load multipliers of the cost sensitivity (1 is the stated load).
LOAD_FACTORS: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0, 10.0)
BURDEN_ORDER = {"low": 0, "medium": 1, "high": 2, "very-high": 3}
_LEVELS = {"beginner": 0, "intermediate": 1, "advanced": 2}
#: Gates that may be relaxed (in this order) when no pattern passes them all; the fit then says so.
#: Compliance, residency and the team gate are never relaxed.
_RELAXABLE = ("compute_preference", "media", "accelerator", "interaction", "application_type")
_CORE = {"accelerator", "interaction", "application_type"}
_MEDIA_NAMES = {
    "video_calls": "video calls",
    "live_streaming": "live video streaming",
    "video_on_demand": "video on demand",
}


@dataclass(frozen=True)
class GateFailure:
    gate: str
    reason: str
    #: What it would take to pass (shown in the report).
    would_take: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"gate": self.gate, "reason": self.reason, "would_take": self.would_take}


@dataclass(frozen=True)
class TargetCheck:
    """One target of the requirements checked on one candidate (``met`` None: cannot be told)."""

    target: str
    required: Any
    achieved: Any
    met: bool | None
    basis: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "required": self.required,
            "achieved": self.achieved,
            "met": self.met,
            "basis": self.basis,
        }


@dataclass
class Candidate:
    pattern: Pattern
    design: Any
    estimate: Any
    targets: list[TargetCheck]
    #: Gates it failed (only for candidates admitted by relaxing a gate, or forced).
    gate_failures: list[GateFailure] = field(default_factory=list)
    #: Monthly cost at each load factor (None: that point was not priced).
    sensitivity: dict[float, Decimal | None] = field(default_factory=dict)
    #: The disaster-recovery plan built into ``design`` (a :class:`~cloudwright.dr.DrPlan`; None outside
    #: production): ``design``, ``estimate`` and the targets are those of the whole design with it.
    dr: Any = None

    @property
    def dr_strategy(self) -> str | None:
        return None if self.dr is None else str(self.dr.strategy)

    @property
    def signature(self) -> tuple[tuple[str, str, str], ...]:
        """The lines of its estimate without a price (:func:`cloudwright.dr.unpriced_signature`)."""
        from cloudwright.dr import unpriced_signature

        return unpriced_signature(self.estimate)

    @property
    def id(self) -> str:
        return self.pattern.id

    @property
    def monthly_usd(self) -> Decimal:
        return Decimal(self.estimate.monthly_usd)

    @property
    def complete(self) -> bool:
        """Every line of the estimate has a known price (usage-dependent lines aside) and every type a cost
        model: the estimate's own ``complete`` (pricing/verdict.py owns what complete means)."""
        return bool(self.estimate.complete)

    @property
    def mostly_unpriced(self) -> bool:
        """More than half the lines have no price (e.g. a Region the catalogue does not carry)."""
        lines = [li for r in self.estimate.resources for li in r.line_items]
        return bool(lines) and sum(li.status == "price-unknown" for li in lines) * 2 > len(lines)

    @property
    def meets_targets(self) -> bool:
        return all(t.met is True for t in self.targets)

    @property
    def unmet(self) -> list[TargetCheck]:
        return [t for t in self.targets if t.met is not True]

    @property
    def burden(self) -> str:
        ob = self.pattern.operational_burden
        return ob.level if ob is not None else "unknown"

    @property
    def sort_key(self) -> tuple[int, int, Decimal, int, str]:
        """Fewest unmet targets, then complete totals before incomplete ones (a partial total is a lower
        bound: it never wins "cheapest" over a complete total), then the monthly cost, then the lower
        operational burden, then the id."""
        return (
            len(self.unmet),
            0 if self.complete else 1,
            self.monthly_usd,
            BURDEN_ORDER.get(self.burden, 9),
            self.id,
        )


@dataclass
class Fit:
    status: str  # fits | partial | none
    gaps: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "gaps": list(self.gaps)}


@dataclass
class Crossover:
    """Between two load factors the cheapest candidate meeting the targets changes."""

    low: float
    high: float
    at: float
    before: str
    after: str

    def describe(self) -> str:
        return (
            f"at about {self.at:.1f}× the stated load (between {self.low:g}× and {self.high:g}×) "
            f"{self.after} becomes cheaper than {self.before}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "low_factor": self.low,
            "high_factor": self.high,
            "load_factor": round(self.at, 2),
            "from": self.before,
            "to": self.after,
            "text": self.describe(),
        }


@dataclass
class Change:
    """A requirement change that would change the answer, found by the search itself."""

    field: str
    current: Any
    value: Any
    direction: str
    pattern: str
    why: str

    def describe(self) -> str:
        return self.why


@dataclass
class Search:
    requirements: Requirements
    candidates: list[Candidate]
    rejected: dict[str, list[GateFailure]]
    #: The candidate the search chooses (the recommendation).
    best: Candidate
    #: The candidate designed: ``best``, or the forced pattern.
    chosen: Candidate
    fit: Fit
    forced: bool = False
    crossovers: list[Crossover] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: How the candidates' costs were compared (:data:`RANKING_BASES`).
    ranking_basis: str = "totals"

    @property
    def meeting(self) -> list[Candidate]:
        return [c for c in self.candidates if c.meets_targets]

    @property
    def floor(self) -> Candidate | None:
        """The cheapest candidate meeting every target (the cost floor)."""
        meeting = sorted(self.meeting, key=lambda c: c.sort_key)
        return meeting[0] if meeting else None

    def candidate(self, pattern_id: str) -> Candidate | None:
        for c in self.candidates:
            if c.id == pattern_id:
                return c
        return None


# ------------------------------------------------------------------------------------------------
# gates
# ------------------------------------------------------------------------------------------------
def gate_failures(pattern: Pattern, req: Requirements) -> list[GateFailure]:
    """Every hard gate the pattern fails for these requirements (empty: it is a candidate)."""
    out: list[GateFailure] = []
    s = pattern.serves
    app = str(req.application_type)
    if app not in s.application_types:
        out.append(
            GateFailure(
                "application_type",
                f"built for {', '.join(s.application_types)}, not {app}",
                f"application_type in [{', '.join(s.application_types)}]",
            )
        )
    inter = str(req.interaction)
    if inter not in s.interactions:
        out.append(
            GateFailure(
                "interaction",
                f"serves {' / '.join(s.interactions)} workloads, not {inter}",
                f"interaction in [{', '.join(s.interactions)}]",
            )
        )
    acc = str(req.accelerator)
    if acc not in s.accelerators:
        out.append(
            GateFailure(
                "accelerator",
                "has no GPU capacity" if acc == "gpu" else f"is built for {', '.join(s.accelerators)}",
                f"accelerator in [{', '.join(s.accelerators)}]",
            )
        )
    media = str(req.media)
    if media not in s.media:
        out.append(
            GateFailure(
                "media",
                f"has no {_MEDIA_NAMES.get(media, media)} component",
                f"media in [{', '.join(s.media)}]",
            )
        )
    elif media_blocked(req):
        out.append(
            GateFailure(
                "media",
                f"its {_MEDIA_NAMES.get(media, media)} service is not confirmed eligible: "
                + ", ".join(media_blocked(req)),
                "a media service on the HIPAA eligible services reference",
            )
        )
    if req.compliance:
        from cloudwright.eligibility import ineligible

        bad = ineligible(pattern.services, [str(c) for c in req.compliance])
        if bad:
            out.append(
                GateFailure(
                    "compliance",
                    f"uses services not confirmed HIPAA eligible: {', '.join(bad)}",
                    "every service on the HIPAA eligible services reference",
                )
            )
    pref = str(req.compute_preference)
    if pref != ComputePreference.AUTO and pattern.compute != pref:
        out.append(
            GateFailure(
                "compute_preference",
                f"uses {pattern.compute.replace('_', ' ')}, not the preferred {pref.replace('_', ' ')}",
                f"compute_preference auto or {pattern.compute}",
            )
        )
    gate = pattern.team_gate
    if gate is not None:
        short = []
        if _LEVELS[str(req.aws_experience)] < _LEVELS[gate.min_experience]:
            short.append(f"{gate.min_experience} AWS experience (team is {req.aws_experience})")
        if req.team_size < gate.min_team_size:
            short.append(f"a team of {gate.min_team_size}+ (team of {req.team_size})")
        if short:
            out.append(
                GateFailure(
                    "team",
                    f"needs {' and '.join(short)}: {gate.why}",
                    f"aws_experience ≥ {gate.min_experience} and team_size ≥ {gate.min_team_size}, "
                    f"or --pattern {pattern.id} to override",
                )
            )
    return out


# ------------------------------------------------------------------------------------------------
# targets
# ------------------------------------------------------------------------------------------------
def check_targets(pattern: Pattern, design: Any, req: Requirements) -> list[TargetCheck]:
    """Availability, latency, RTO, RPO and residency of one built candidate."""
    from cloudwright.review.availability import recovery_summary
    from cloudwright.review.context import ReviewContext

    checks: list[TargetCheck] = []
    av = pattern.availability
    if av is None:
        checks.append(TargetCheck("availability", req.availability_target, None, None, "not declared"))
    else:
        checks.append(
            TargetCheck(
                "availability",
                req.availability_target,
                av.max_target,
                av.max_target >= req.availability_target,
                av.basis,
            )
        )
    floor = pattern.latency_floor
    if floor is None:
        checks.append(
            TargetCheck("latency_p95_ms", req.latency_p95_ms, None, True, "no latency floor within the range")
        )
    else:
        checks.append(
            TargetCheck(
                "latency_p95_ms",
                req.latency_p95_ms,
                floor.p95_ms,
                floor.p95_ms <= req.latency_p95_ms,
                floor.basis,
            )
        )
    remote = _unserved_audiences(design, req)
    if remote:
        checks.append(
            TargetCheck(
                "audience_latency",
                req.latency_p95_ms,
                None,
                None,
                f"users in {', '.join(remote)} are served from "
                f"{', '.join(sorted(_serving_regions(design)))}: "
                "their p95 includes an inter-continent round trip the catalogue has no figure for",
            )
        )
    ob = pattern.operational_burden
    if ob is not None:
        short = []
        if _LEVELS[str(req.aws_experience)] < _LEVELS[ob.min_experience]:
            short.append(f"{ob.min_experience} AWS experience")
        if req.team_size < ob.min_team_size:
            short.append(f"a team of {ob.min_team_size}+")
        checks.append(
            TargetCheck(
                "team",
                f"a team of {ob.min_team_size}+ with {ob.min_experience} AWS experience",
                f"a team of {req.team_size} with {req.aws_experience} AWS experience",
                not short,
                f"{ob.level} operational burden: {ob.note}",
            )
        )
    from cloudwright.dr import targets as dr_targets

    rec = recovery_summary(ReviewContext(design=design, requirements=req))
    region = rec.region_failure
    stated = dict(zip(("rto_minutes", "rpo_minutes"), dr_targets(req), strict=True))
    for name, target in (("rto_minutes", req.rto_minutes), ("rpo_minutes", req.rpo_minutes)):
        # a Region outage counts against a stated target (the DR strategy's failover steps); the default
        # 15 / 60 min stand for "not stated" and are held against component and AZ failures only
        if region is not None and stated[name] is not None:
            value = getattr(rec, name)
            basis = (
                f"worst of component, AZ and Region failures: {region.name} "
                f"{name.split('_')[0].upper()} {getattr(region, name):g} min (data/dr/strategies.yaml, "
                "data/slas/recovery.yaml)"
            )
        else:
            value = _component_objective(rec, name)
            basis = "worst component failure of the built design (data/slas/recovery.yaml)"
        checks.append(
            TargetCheck(
                name,
                target,
                value,
                None if value is None else bool(value <= target),
                basis if value is not None else "unknown: a component's recovery time or point has no figure",
            )
        )
    if req.allowed_regions:
        allowed = set(req.allowed_region_codes)
        used = sorted(design.regions())
        outside = [r for r in used if r not in allowed]
        checks.append(
            TargetCheck(
                "allowed_regions",
                list(req.allowed_regions),
                used,
                not outside,
                "every resource and replica Region" + (f"; outside: {', '.join(outside)}" if outside else ""),
            )
        )
    return checks


def _component_objective(rec: Recovery, name: str) -> float | None:
    """The worst component/AZ recovery time or point of a :class:`Recovery` (no Region outage)."""
    from cloudwright.review.availability import component_objectives

    rto, rpo = component_objectives(rec.components)
    return rto if name == "rto_minutes" else rpo


def _serving_regions(design: Any) -> set[str]:
    """Regions that serve users: the primary, a multi-Region pattern's Regions and active-active copies
    (a pilot-light or warm-standby Region serves nobody until a failover)."""
    dr = design.metadata.get("dr")
    if isinstance(dr, dict) and dr.get("strategy") not in (None, "active-active"):
        out = {design.region}
        for sec in design.metadata.get("secondary_regions", []) or []:
            if isinstance(sec, dict) and isinstance(sec.get("region"), str):
                out.add(sec["region"])
        return out
    return design.regions()


def _unserved_audiences(design: Any, req: Requirements) -> list[str]:
    """Audience regions with no Region of the design on their continent (and no edge for static pages)."""
    from cloudwright.patterns.features import region_geography

    served = {region_geography(r) for r in _serving_regions(design)}
    return [str(a) for a in req.audience_regions if str(a) not in served]


# ------------------------------------------------------------------------------------------------
# the search
# ------------------------------------------------------------------------------------------------
def scaled(req: Requirements, factor: float) -> Requirements:
    """The same requirements at ``factor`` × the stated load (users, requests, connections, batch input)."""
    if factor == 1.0:
        return req
    update: dict[str, Any] = {
        "requests_per_second": req.requests_per_second * factor,
        "expected_users": round(req.expected_users * factor),
    }
    if req.concurrent_connections is not None:
        update["concurrent_connections"] = round(req.concurrent_connections * factor)
    if req.batch is not None:
        update["batch"] = req.batch.model_copy(
            update={"input_gb_per_run": req.batch.input_gb_per_run * factor}
        )
    return req.model_copy(update=update)


Pricer = Callable[[Any], Any]


def _build(req: Requirements, pattern_id: str, environment: str, price: Pricer) -> tuple[Any, Any]:
    from cloudwright.design.build import build_design

    design = build_design(req, pattern_id=pattern_id, environment=environment)
    return design, price(design)


def _build_with_dr(
    req: Requirements, pattern_id: str, environment: str, price: Pricer, dr_pricing: Any
) -> tuple[Any, Any, Any, list[dict[str, str]]]:
    """The candidate as it would be delivered: built, with the disaster-recovery strategy it would get
    (the cheapest meeting ``rto_minutes``/``rpo_minutes``, :func:`cloudwright.dr.plan_dr`) built in and
    priced. ``dr_pricing`` None, or not production: no DR plan.

    Also returns the resources of the pattern's own design (before DR) whose service is not confirmed
    eligible for the compliance regimes: the eligibility gate judges the pattern; the recovery pieces
    every candidate gets alike (backup vaults, health checks) are reported by the review. A candidate
    failing it is not planned for DR (it is dropped)."""
    from cloudwright.design.build import build_design

    design = build_design(req, pattern_id=pattern_id, environment=environment)
    bad: list[dict[str, str]] = []
    if req.compliance:
        from cloudwright.eligibility import check_design

        bad = check_design(design, [str(c) for c in req.compliance])
    if dr_pricing is not None and not bad:
        from functools import partial

        from cloudwright.dr import plan_dr

        # only the strategies that decide the choice are built; the chosen candidate's plan completes its
        # table of options when it is rendered (DrPlan.complete). The design is not used after the plan:
        # the last strategy is built into it, and the same build gives it again if the table is completed
        rebuild = partial(build_design, req, pattern_id=pattern_id, environment=environment)
        plan = plan_dr(design, req, pricing=dr_pricing, lazy=True, rebuild=rebuild)
        if plan is not None:
            return plan.design, plan.estimate, plan, bad
    return design, price(design), None, bad


@paused_collection()
@pricing_memo()
def search(
    req: Requirements,
    *,
    environment: str = "prod",
    price: Pricer | None = None,
    forced: str | None = None,
    sensitivity: bool = True,
    dr_pricing: Any = None,
) -> Search:
    """Gate, design, price and check every pattern; choose the cheapest meeting every target.

    ``dr_pricing`` (:class:`~cloudwright.pricing.engine.PricingOptions`): each production candidate is
    designed, priced and judged with the disaster-recovery strategy it would get, so its cost, targets,
    sensitivity and the cost floor are those of the whole design. None: single-Region candidates.
    """
    if price is None:
        from cloudwright.pricing.engine import price_design

        price = price_design
    patterns = load_patterns()
    failures = {pid: gate_failures(p, req) for pid, p in patterns.items()}
    fit_gaps: list[str] = []
    status = "fits"
    warnings: list[str] = []

    admitted = [pid for pid, f in failures.items() if not f]
    relaxed: set[str] = set()
    for gate in _RELAXABLE:
        if admitted:
            break
        relaxed.add(gate)
        admitted = [pid for pid, f in failures.items() if f and all(x.gate in relaxed for x in f)]
    if not admitted:
        hard = sorted({x.gate for f in failures.values() for x in f} - set(_RELAXABLE))
        reasons = sorted({x.reason for f in failures.values() for x in f if x.gate in hard})
        raise InputError(
            f"no pattern in the catalogue passes the {' and '.join(hard)} gate(s): " + "; ".join(reasons[:3]),
            field=hard[0] if hard else "requirements",
            value=[str(c) for c in req.compliance] if "compliance" in hard else str(req.aws_experience),
        )
    for gate in _RELAXABLE:
        if gate not in relaxed:
            continue
        if not any(x.gate == gate for pid in admitted for x in failures[pid]):
            continue
        fit_gaps.append(_gap(gate, req))
        status = "none" if gate in _CORE else ("partial" if status == "fits" else status)

    ids = sorted(set(admitted) | ({forced} if forced else set()))
    candidates: list[Candidate] = []
    for pid in ids:
        design, estimate, plan, bad = _build_with_dr(req, pid, environment, price, dr_pricing)
        if bad and pid == forced and dr_pricing is not None and environment == "prod":
            # a forced pattern is designed whatever its eligibility: with its DR strategy, like the others
            from cloudwright.dr import plan_dr

            plan = plan_dr(design, req, pricing=dr_pricing, copy=False)
            if plan is not None:
                design, estimate = plan.design, plan.estimate
        targets = check_targets(patterns[pid], design, req)
        cand = Candidate(patterns[pid], design, estimate, targets, gate_failures=failures[pid], dr=plan)
        if req.compliance and bad and pid != forced:
            failures[pid] = [
                *failures[pid],
                GateFailure(
                    "compliance",
                    "built design uses resources not confirmed eligible: "
                    + ", ".join(sorted({b["service"] for b in bad})),
                    "only eligible services",
                ),
            ]
            continue
        candidates.append(cand)
    if not candidates:
        raise InputError(
            "no candidate design uses only eligible services",
            field="compliance",
            value=[str(c) for c in req.compliance],
        )
    candidates.sort(key=lambda c: c.sort_key)
    basis = _ranking_basis(candidates)
    if len(candidates) > 1 and any(c.mostly_unpriced for c in candidates):
        # no estimate is complete: costs cannot be compared, so the lower operational burden decides
        candidates.sort(key=lambda c: (len(c.unmet), BURDEN_ORDER.get(c.burden, 9), c.monthly_usd, c.id))
        basis = "burden"
        fit_gaps.append(
            f"the price catalogue lacks most prices for {req.region}; candidates were not compared on cost "
            "and the lowest operational burden was chosen"
        )
        status = "partial" if status == "fits" else status
    natural = [c for c in candidates if c.id in admitted]
    best = natural[0] if natural else candidates[0]
    chosen = next(c for c in candidates if c.id == forced) if forced else best

    if forced and chosen is not best and not chosen.meets_targets:
        warnings.append(
            f"the forced pattern {chosen.id} misses: "
            + "; ".join(f"{t.target} (needs {t.required}, {t.achieved})" for t in chosen.unmet)
        )
    if not best.meets_targets:
        if status == "fits":
            status = "partial"
        for t in best.unmet:
            fit_gaps.append(_unmet_text(t, best))
    if not chosen.complete:
        warnings.append(
            f"the {chosen.id} estimate has lines without a price: its total is a lower bound, and so is the "
            "comparison with the other candidates"
        )
    basis_note = _basis_note(basis, candidates)
    if basis_note:
        warnings.append(basis_note)
    result = Search(
        requirements=req,
        candidates=candidates,
        rejected={pid: f for pid, f in failures.items() if pid not in {c.id for c in candidates}},
        best=best,
        chosen=chosen,
        fit=Fit(status, fit_gaps),
        forced=forced is not None,
        warnings=warnings,
        ranking_basis=basis,
    )
    if sensitivity:
        _sensitivity(result, environment, price, dr_pricing)
    result.changes = _changes(result, patterns)
    return result


def _ranking_basis(candidates: list[Candidate]) -> str:
    """How the costs of the candidates that can be chosen (those missing the fewest targets) compare."""
    from cloudwright.dr import comparable

    if not candidates:
        return "totals"
    fewest = min(len(c.unmet) for c in candidates)
    pool = [c for c in candidates if len(c.unmet) == fewest]
    if comparable([c.signature for c in pool]):
        return "totals"
    if any(c.complete for c in pool):
        return "complete-first"
    return "priced-parts"


def _basis_note(basis: str, candidates: list[Candidate]) -> str:
    if basis == "complete-first":
        fewest = min(len(c.unmet) for c in candidates)
        complete = min(
            (c for c in candidates if c.complete and len(c.unmet) == fewest), key=lambda c: c.sort_key
        )
        lower = sorted(
            c.id
            for c in candidates
            if not c.complete and len(c.unmet) == fewest and c.monthly_usd < complete.monthly_usd
        )
        if lower:
            return (
                f"{', '.join(lower)} {'has' if len(lower) == 1 else 'have'} a lower priced total than "
                f"{complete.id} but lines without a price: a partial total is a lower bound, so "
                f"{'it is' if len(lower) == 1 else 'they are'} not ranked cheaper than a complete one"
            )
        return ""
    if basis == "priced-parts":
        return (
            "every candidate's total lacks prices for some lines (e.g. a Region outside the price "
            "catalogue): the candidates are ranked on their priced parts, which are lower bounds"
        )
    return ""


def media_blocked(req: Requirements) -> list[str]:
    """Services providing the requested media that the compliance regimes do not allow (empty: none)."""
    from cloudwright.eligibility import MEDIA_SERVICES, ineligible

    return ineligible(MEDIA_SERVICES.get(str(req.media), ()), [str(c) for c in req.compliance])


def _gap(gate: str, req: Requirements) -> str:
    if gate == "accelerator":
        return "needs GPU inference; no pattern in the catalogue provides it"
    if gate == "media":
        name = _MEDIA_NAMES.get(str(req.media), str(req.media))
        if media_blocked(req):
            return (
                f"needs {name}; the service that provides it ({', '.join(media_blocked(req))}) is not "
                "confirmed HIPAA eligible, so the design leaves it out"
            )
        return f"needs {name}; no pattern in the catalogue that serves this workload provides it"
    if gate == "interaction":
        kind = str(req.interaction).replace("_", "/")
        return f"needs a {kind} workload; no pattern in the catalogue serves it"
    if gate == "application_type":
        return f"no pattern in the catalogue is built for {req.application_type}"
    return (
        f"no pattern serving this workload uses {str(req.compute_preference).replace('_', ' ')}; "
        "the compute preference was set aside"
    )


def _unmet_text(t: TargetCheck, c: Candidate) -> str:
    if t.met is None:
        return f"{t.target}: cannot be told for {c.id} ({t.basis})"
    return (
        f"{t.target} {t.required} cannot be met by any candidate; closest: {c.id} ({t.achieved}; {t.basis})"
    )


def _sensitivity(result: Search, environment: str, price: Pricer, dr_pricing: Any = None) -> None:
    req = result.requirements
    # only candidates that can be chosen and the designed one are rebuilt at the other loads; the others
    # show their stated-load cost only
    # the candidates that can be chosen: those meeting every target, or when none does, those missing
    # the fewest (a candidate missing more targets than another is never chosen, at any load)
    fewest = min(len(c.unmet) for c in result.candidates)
    choosable = result.meeting or [c for c in result.candidates if len(c.unmet) == fewest]
    pool_ids = {c.id for c in choosable} | {result.chosen.id}
    loads = {k: scaled(req, k) for k in LOAD_FACTORS if k != 1.0}
    for c in result.candidates:
        c.sensitivity[1.0] = c.monthly_usd
        for k in LOAD_FACTORS:
            if k == 1.0:
                continue
            if c.id not in pool_ids:
                c.sensitivity[k] = None
                continue
            c.sensitivity[k] = Decimal(_price_at(loads[k], c, environment, price, dr_pricing).monthly_usd)
    # crossover: where the cheapest candidate meeting every target changes
    pool = choosable
    if len(pool) < 2:
        return
    leaders = []
    for k in LOAD_FACTORS:
        leaders.append(
            min(pool, key=lambda c: (c.sort_key[1], c.sensitivity[k] or Decimal(0), c.sort_key[3], c.id))
        )
    for i in range(1, len(LOAD_FACTORS)):
        a, b = leaders[i - 1], leaders[i]
        if a.id == b.id:
            continue
        lo, hi = LOAD_FACTORS[i - 1], LOAD_FACTORS[i]
        # linear interpolation of the cost difference between the two priced points
        d_lo = float((a.sensitivity[lo] or 0) - (b.sensitivity[lo] or 0))
        d_hi = float((a.sensitivity[hi] or 0) - (b.sensitivity[hi] or 0))
        at = lo + (hi - lo) * (d_lo / (d_lo - d_hi)) if d_lo != d_hi else hi
        result.crossovers.append(Crossover(lo, hi, min(max(at, lo), hi), a.id, b.id))


def _price_at(req: Requirements, c: Candidate, environment: str, price: Pricer, dr_pricing: Any) -> Any:
    """The estimate of candidate ``c`` rebuilt for ``req`` (another load) with the same DR strategy."""
    from cloudwright.design.build import build_design

    design = build_design(req, pattern_id=c.id, environment=environment)
    if c.dr is not None and dr_pricing is not None:
        from cloudwright.dr import build_strategy

        return build_strategy(design, req, c.dr.strategy, pricing=dr_pricing, copy=False)[1]
    return price(design)


_RELAXED_FIELD = {
    "latency_p95_ms": ("latency_p95_ms", "at or above"),
    "availability": ("availability_target", "at or below"),
    "rto_minutes": ("rto_minutes", "at or above"),
    "rpo_minutes": ("rpo_minutes", "at or above"),
    "team": ("team", "set to"),
}


def _passes(t: TargetCheck, value: Any, holder: Candidate, d: Candidate) -> bool:
    """Would ``d``'s check of target ``t.target`` pass once the requirement moves to ``value``?"""
    mine = next((x for x in d.targets if x.target == t.target), None)
    if mine is None or mine.met is True:
        return True
    if mine.met is None or mine.achieved is None:
        return False
    if t.target == "availability":
        return bool(mine.achieved >= value)
    if t.target == "team":
        return d.id == holder.id  # a team able to run ``holder`` is assumed for it alone
    return bool(mine.achieved <= value)


def _winner_with(result: Search, t: TargetCheck, value: Any, holder: Candidate) -> Candidate | None:
    """The candidate the search would choose if the requirement behind ``t`` moved to ``value``."""
    ok = [
        d
        for d in result.candidates
        if all(x.met is True or x.target == t.target for x in d.targets) and _passes(t, value, holder, d)
    ]
    return min(ok, key=lambda d: d.sort_key[1:]) if ok else None


def _changes(result: Search, patterns: Any) -> list[Change]:
    """What would change the answer: read off the search (gates, targets, load), never probed.

    A target change is listed only when, re-checked against every candidate, it really changes the choice.
    """
    req = result.requirements
    chosen = result.chosen
    out: list[Change] = []
    seen: set[tuple[str, str]] = set()
    for c in result.candidates:
        if c.id == chosen.id or c.meets_targets or c.monthly_usd >= chosen.monthly_usd:
            continue
        if len(c.unmet) != 1 or c.unmet[0].met is None or c.unmet[0].target not in _RELAXED_FIELD:
            continue
        t = c.unmet[0]
        winner = _winner_with(result, t, t.achieved, c)
        if winner is None or winner.id == chosen.id or (t.target, winner.id) in seen:
            continue
        seen.add((t.target, winner.id))
        field, direction = _RELAXED_FIELD[t.target]
        if t.target == "team":
            text = (
                f"with {t.required} (now {t.achieved}), {winner.id} would meet every target at "
                f"{usd(winner.monthly_usd)}/month"
            )
            ob = c.pattern.operational_burden
            value: Any = (
                {"team_size": max(req.team_size, ob.min_team_size), "aws_experience": ob.min_experience}
                if ob is not None
                else t.required
            )
            current_team = {"team_size": req.team_size, "aws_experience": str(req.aws_experience)}
            out.append(Change(field, current_team, value, direction, winner.id, text))
        else:
            current = getattr(req, field)
            text = (
                f"{field} {direction} {t.achieved} (now {current}) → {winner.id}, "
                f"{usd(winner.monthly_usd)}/month"
            )
            out.append(Change(field, current, t.achieved, direction, winner.id, text))
    by_compute: dict[str, list[str]] = {}
    for pid, fails in sorted(result.rejected.items()):
        gates = {f.gate for f in fails}
        if gates == {"team"}:
            out.append(
                Change(
                    "team",
                    [str(req.aws_experience), req.team_size],
                    fails[0].would_take,
                    "set to",
                    pid,
                    f"{pid} is ruled out for this team: {fails[0].reason}; it would take "
                    f"{fails[0].would_take}",
                )
            )
        elif gates == {"compute_preference"}:
            by_compute.setdefault(patterns[pid].compute, []).append(pid)
    for compute, pids in sorted(by_compute.items()):
        out.append(
            Change(
                "compute_preference",
                str(req.compute_preference),
                compute,
                "set to",
                pids[0],
                f"compute_preference {compute} (now {req.compute_preference}) → "
                f"{', '.join(pids)} {'becomes a candidate' if len(pids) == 1 else 'become candidates'}",
            )
        )
    for x in result.crossovers:
        if x.before == chosen.id:
            out.append(
                Change(
                    "requests_per_second",
                    req.requests_per_second,
                    round(req.requests_per_second * x.at, 2),
                    "at or above",
                    x.after,
                    f"load at about {x.at:.1f}× "
                    f"(requests_per_second ≈ {req.requests_per_second * x.at:,.0f}, "
                    f"expected_users ≈ {req.expected_users * x.at:,.0f}) → {x.after}",
                )
            )
    floor = result.floor
    if floor is not None and judge_estimate(req.budget_monthly_usd, floor.estimate).over_budget:
        out.append(
            Change(
                "budget_monthly_usd",
                req.budget_monthly_usd,
                float(round(floor.monthly_usd, 2)),
                "at or above",
                floor.id,
                f"no candidate meeting the targets fits the {usd(req.budget_monthly_usd, 0)} budget; "
                f"the cost floor is {usd(floor.monthly_usd)}/month ({floor.id})",
            )
        )
    return out
