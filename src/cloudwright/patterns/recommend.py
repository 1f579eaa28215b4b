"""Score every pattern against the requirements and explain the choice.

The score of a pattern is ``BASE`` plus:

* its own fit criteria (``fit:`` in the pattern file — weight when a criterion holds, penalty when not);
* generic terms every pattern gets from its data: load within ``scale`` (users, peak RPS), availability
  target within ``availability.max_target``, team size and experience against ``operational_burden``,
  a rough prod cost (``cost``: floor + per-million-requests + per-GB) against the budget, the compute
  preference against ``compute``, and distance between the audience and the primary Region;
* HIPAA: a pattern with any service not confirmed eligible (``cloudwright.eligibility``) is excluded.

Ties are broken by pattern id. :func:`recommend` also probes the scorer to find the requirement values
at which the winner would change (``flips``); nothing there is hand-written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from cloudwright.errors import InputError
from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.features import features
from cloudwright.patterns.model import FitCriterion, Pattern
from cloudwright.requirements import (
    ApplicationType,
    AudienceRegion,
    Compliance,
    ComputePreference,
    Environment,
    Experience,
    Requirements,
)

BASE = 50.0
_LEVELS = {"beginner": 0, "intermediate": 1, "advanced": 2}
_EDGE_BUILDERS = {"static-site", "cdn-alb", "global-tables"}


@dataclass(frozen=True)
class PatternScore:
    id: str
    name: str
    score: float
    fits: tuple[str, ...]
    misses: tuple[tuple[float, str], ...]
    excluded: str | None = None
    estimate_usd: float = 0.0

    @property
    def sort_key(self) -> tuple[bool, float, str]:
        return (self.excluded is not None, -round(self.score, 6), self.id)


@dataclass(frozen=True)
class Alternative:
    id: str
    name: str
    score: float
    reasons: list[str]
    excluded: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "score": round(self.score, 1),
            "reasons": list(self.reasons),
            "excluded": self.excluded,
        }


@dataclass(frozen=True)
class Flip:
    """Changing ``field`` to ``value`` (and beyond, for numbers) makes ``pattern`` the recommendation."""

    field: str
    current: Any
    value: Any
    pattern: str
    direction: str  # "at or above" | "at or below" | "set to" | "add" | "remove"

    def describe(self) -> str:
        if self.direction in ("add", "remove"):
            return f"{self.direction} {self.value} to/from {self.field} → {self.pattern}"
        return f"{self.field} {self.direction} {_fmt(self.value)} (now {_fmt(self.current)}) → {self.pattern}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "current": _jsonable(self.current),
            "value": _jsonable(self.value),
            "direction": self.direction,
            "pattern": self.pattern,
            "text": self.describe(),
        }


@dataclass(frozen=True)
class Recommendation:
    pattern: Pattern
    score: float
    reasons: list[str]
    alternatives: list[Alternative]
    flips: list[Flip] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    estimate_usd: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "pattern": {"id": self.pattern.id, "name": self.pattern.name, "summary": self.pattern.summary},
            "score": round(self.score, 1),
            "reasons": list(self.reasons),
            "ranking_cost_usd": round(self.estimate_usd, 2),
            "alternatives": [a.to_dict() for a in self.alternatives],
            "flips": [f.to_dict() for f in self.flips],
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------------------------------
def _holds(crit: FitCriterion, value: Any) -> bool:
    op, target = crit.op, crit.value
    if op == "in":
        return value in target
    if op == "not_in":
        return value not in target
    if op == "contains":
        return target in value
    if op == "not_contains":
        return target not in value
    if op == "equals":
        return bool(value == target)
    if op == "min":
        return bool(value >= target)
    if op == "max":
        return bool(value <= target)
    lo, hi = target
    return bool(lo <= value <= hi)


#: Internet egress, first tier (CloudFront US/Mexico/Canada $0.085/GB; EC2 $0.09/GB) — price catalogue.
EGRESS_USD_PER_GB = 0.085
#: CloudWatch Logs ingestion $0.50/GB at ~1 KB of logs per request — price catalogue + sizing assumption.
LOGS_USD_PER_MILLION_REQUESTS = 0.5 * 1e6 / (1024 * 1024)


def ranking_cost(pattern: Pattern, req: Requirements) -> float:
    """The rough prod monthly cost used only to rank patterns against the budget (not the estimate)."""
    c = pattern.cost
    if c is None:
        return 0.0
    millions = req.requests_per_month / 1e6
    egress_gb = req.requests_per_month * req.avg_response_kb / (1024 * 1024)
    return (
        c.floor_usd
        + (c.per_million_requests_usd + LOGS_USD_PER_MILLION_REQUESTS) * millions
        + c.per_gb_month_usd * req.data_size_gb
        + EGRESS_USD_PER_GB * egress_gb
    )


def score_pattern(pattern: Pattern, req: Requirements, feats: dict[str, Any] | None = None) -> PatternScore:
    """Score one pattern; ``fits`` and ``misses`` say why (misses carry their point loss)."""
    f = feats if feats is not None else features(req)
    score = BASE
    fits: list[str] = []
    misses: list[tuple[float, str]] = []

    for crit in pattern.fit:
        if _holds(crit, f[crit.feature]):
            score += crit.weight
            if crit.weight:
                fits.append(crit.reason)
        else:
            score -= crit.penalty
            if crit.penalty:
                shown = "aws_experience" if crit.feature == "experience_level" else crit.feature
                misses.append((crit.penalty, f"{crit.reason} — {shown} is {_fmt(f[shown])}"))

    if pattern.scale is not None:
        for label, value, (lo, hi) in (
            ("users", req.expected_users, pattern.scale.users),
            ("peak requests/s", req.peak_rps, pattern.scale.peak_rps),
        ):
            if value > hi:
                pen = min(40.0, 20.0 * math.log10(value / hi) + 5.0)
                score -= pen
                misses.append((pen, f"built for up to {_fmt(hi)} {label}; {_fmt(value)} expected"))
            elif lo > 0 and value < lo:
                pen = min(12.0, 8.0 * math.log10(lo / max(value, 1.0)))
                score -= pen
                misses.append((pen, f"over-built below {_fmt(lo)} {label}; {_fmt(value)} expected"))

    if pattern.availability is not None and req.availability_target > pattern.availability.max_target:
        score -= 35.0
        misses.append(
            (
                35.0,
                f"designed for up to {pattern.availability.max_target}% availability; "
                f"{req.availability_target}% required",
            )
        )

    burden = pattern.operational_burden
    if burden is not None:
        gap = burden.min_team_size - req.team_size
        if gap > 0:
            pen = min(24.0, 6.0 * gap)
            score -= pen
            misses.append(
                (
                    pen,
                    f"{burden.level} operational burden needs {burden.min_team_size}+ engineers; "
                    f"team of {req.team_size}",
                )
            )
        level_gap = _LEVELS[burden.min_experience] - _LEVELS[str(req.aws_experience)]
        if level_gap > 0:
            pen = 14.0 * level_gap
            score -= pen
            misses.append(
                (pen, f"needs {burden.min_experience} AWS experience; team is {req.aws_experience}")
            )
        elif burden.level == "low" and req.aws_experience == Experience.BEGINNER:
            score += 6.0
            fits.append("low operational burden suits a team new to AWS")

    estimate = ranking_cost(pattern, req)
    budget = req.budget_monthly_usd
    if estimate > budget:
        ratio = estimate / budget if budget > 0 else 1000.0
        pen = min(45.0, 18.0 * math.log2(ratio) + 5.0)
        score -= pen
        misses.append(
            (pen, f"rough prod cost ≈ ${estimate:,.0f}/month at this load exceeds the ${budget:,.0f} budget")
        )
    elif estimate > 0:
        bonus = min(8.0, 4.0 * math.log2(budget / estimate)) if budget > estimate else 0.0
        score += bonus
        fits.append(f"fits the budget (rough prod cost ≈ ${estimate:,.0f} of ${budget:,.0f}/month)")

    pref = str(req.compute_preference)
    if pref != ComputePreference.AUTO:
        if pattern.compute == pref:
            score += 30.0
            fits.append(f"matches the {pref.replace('_', ' ')} compute preference")
        else:
            score -= 20.0
            misses.append(
                (
                    20.0,
                    f"uses {pattern.compute.replace('_', ' ')}, not the preferred {pref.replace('_', ' ')}",
                )
            )

    remote = f["remote_audience_count"]
    if remote and not (_EDGE_BUILDERS & set(pattern.builders)):
        pen = 6.0 * remote
        score -= pen
        misses.append((pen, f"no edge or second Region for audiences far from {req.region}"))

    excluded = None
    if Compliance.HIPAA in req.compliance:
        from cloudwright.eligibility import ineligible

        bad = ineligible(pattern.services, ["HIPAA"])
        if bad:
            excluded = f"excluded: not confirmed HIPAA eligible: {', '.join(bad)}"
            misses.insert(0, (1000.0, excluded))

    misses.sort(key=lambda m: (-m[0], m[1]))
    return PatternScore(
        id=pattern.id,
        name=pattern.name,
        score=score,
        fits=tuple(fits),
        misses=tuple(misses),
        excluded=excluded,
        estimate_usd=estimate,
    )


def rank(req: Requirements) -> list[PatternScore]:
    """Every pattern scored, best first (non-excluded first, then score, then id)."""
    feats = features(req)
    return sorted((score_pattern(p, req, feats) for p in load_patterns().values()), key=lambda s: s.sort_key)


def _winner(req: Requirements) -> str | None:
    best = rank(req)[0]
    return None if best.excluded else best.id


# --------------------------------------------------------------------------------------------------
# recommendation
# --------------------------------------------------------------------------------------------------
def recommend(req: Requirements, *, flips: bool = True) -> Recommendation:
    """The best pattern, the others with the reasons they lost, and the values that flip the answer."""
    ranked = rank(req)
    best = ranked[0]
    if best.excluded:
        raise InputError(
            "no pattern in the catalogue uses only HIPAA-eligible services",
            field="compliance",
            value=[str(c) for c in req.compliance],
        )
    patterns = load_patterns()
    reasons = list(best.fits)
    if best.misses:
        reasons += [f"trade-off: {m}" for _, m in best.misses[:3]]
    alternatives = []
    for s in ranked[1:]:
        why = [m for _, m in s.misses[:4]]
        gap = best.score - s.score
        if s.excluded is None:
            missing = [f for f in best.fits if f not in s.fits][:2]
            if missing:
                why.append(f"{best.id} fits where this does not: " + "; ".join(missing))
            why.append(
                f"scores {gap:.1f} below {best.id}" if gap > 0 else f"ties with {best.id}; loses on id order"
            )
        alternatives.append(Alternative(s.id, s.name, s.score, why, excluded=s.excluded is not None))
    warnings = []
    if Compliance.PCI_DSS in req.compliance:
        warnings.append(
            "PCI-DSS: cloudwright does not yet carry the PCI DSS services-in-scope list; confirm every service at "  # noqa: E501
            "https://aws.amazon.com/compliance/services-in-scope/"
        )
    return Recommendation(
        pattern=patterns[best.id],
        score=best.score,
        reasons=reasons,
        alternatives=alternatives,
        flips=find_flips(req, best.id) if flips else [],
        warnings=warnings,
        estimate_usd=best.estimate_usd,
    )


# --------------------------------------------------------------------------------------------------
# flips: probe the scorer
# --------------------------------------------------------------------------------------------------
_NUMERIC = {
    "expected_users": (0, 10_000_000_000, int),
    "requests_per_second": (0.0, 10_000_000.0, float),
    "budget_monthly_usd": (0.0, 1e9, float),
    "team_size": (1, 100_000, int),
    "data_size_gb": (0.0, 1e9, float),
    "availability_target": (90.0, 99.999, float),
    "latency_p95_ms": (1, 600_000, int),
    "rto_minutes": (0.01, 100_000.0, float),
    "rpo_minutes": (0.0, 100_000.0, float),
    "peak_to_average_ratio": (1.0, 1000.0, float),
    "read_percent": (0.0, 100.0, float),
    "avg_request_kb": (0.0, 10_240.0, float),
    "avg_response_kb": (0.0, 10_240.0, float),
    "data_growth_gb_per_month": (0.0, 1e9, float),
}
_ENUMS: dict[str, list[Any]] = {
    "application_type": list(ApplicationType),
    "aws_experience": list(Experience),
    "compute_preference": list(ComputePreference),
    "region": ["us-east-1", "eu-west-1", "ap-southeast-1", "sa-east-1"],
}
_SETS: dict[str, list[Any]] = {
    "compliance": list(Compliance),
    "environments": list(Environment),
    "audience_regions": list(AudienceRegion),
}
_MULTIPLIERS = (1.1, 1.25, 1.5, 2, 3, 5, 10, 30, 100, 1000, 10_000)


def _candidates(name: str, current: float, lo: float, hi: float) -> tuple[list[float], list[float]]:
    pts = {current * m for m in _MULTIPLIERS} | {current / m for m in _MULTIPLIERS}
    pts |= {current + d for d in (0.01, 0.05, 0.1, 1, 5, 10)} | {
        current - d for d in (0.01, 0.05, 0.1, 1, 5, 10)
    }
    for p in load_patterns().values():
        for crit in p.fit:
            if crit.feature == name and isinstance(crit.value, int | float | list):
                vals = crit.value if isinstance(crit.value, list) else [crit.value]
                for v in vals:
                    if isinstance(v, int | float) and not isinstance(v, bool):
                        pts |= {float(v), float(v) - 1e-6, float(v) + 1e-6}
        if p.scale is not None and name == "expected_users":
            pts |= {float(p.scale.users[0]), float(p.scale.users[1]) + 1}
        if p.availability is not None and name == "availability_target":
            pts |= {p.availability.max_target, p.availability.max_target + 0.001}
    pts = {min(hi, max(lo, v)) for v in pts}
    up = sorted(v for v in pts if v > current)
    down = sorted((v for v in pts if v < current), reverse=True)
    return up, down


def _probe(req: Requirements, update: dict[str, Any]) -> str | None:
    return _winner(req.model_copy(update=update))


def _numeric_flip(req: Requirements, name: str, base: str) -> list[Flip]:
    lo, hi, kind = _NUMERIC[name]
    current = float(getattr(req, name))
    out: list[Flip] = []
    up, down = _candidates(name, current, float(lo), float(hi))
    for direction, seq in (("at or above", up), ("at or below", down)):
        last_same = current
        for cand in seq:
            value = kind(round(cand)) if kind is int else cand
            if value == getattr(req, name):
                continue
            winner = _probe(req, {name: value})
            if winner is None or winner == base:
                last_same = float(value)
                continue
            # bisect between the last value that kept the answer and the first that changed it
            a, b = last_same, float(value)
            for _ in range(30):
                mid = (a + b) / 2
                mid_v = kind(round(mid)) if kind is int else mid
                if float(mid_v) in (a, b):
                    break
                w = _probe(req, {name: mid_v})
                if w is None or w == base:
                    a = float(mid_v)
                else:
                    b, winner = float(mid_v), w
            flip_value: Any = int(b) if kind is int else _nice(b)
            if kind is not int and (flip_value == current or _probe(req, {name: flip_value}) != winner):
                flip_value = b  # rounding would land on the other side of the boundary
            final = _probe(req, {name: flip_value})
            out.append(Flip(name, getattr(req, name), flip_value, final or winner, direction))
            break
    return out


def find_flips(req: Requirements, base: str | None = None) -> list[Flip]:
    """For each requirement field, the nearest value (each way) at which another pattern wins."""
    base = base or _winner(req)
    flips: list[Flip] = []
    for name in _NUMERIC:
        flips += _numeric_flip(req, name, base or "")
    for name, options in _ENUMS.items():
        current = getattr(req, name)
        for opt in options:
            if opt == current:
                continue
            w = _probe(req, {name: opt})
            if w is not None and w != base:
                flips.append(Flip(name, _jsonable(current), _jsonable(opt), w, "set to"))
    for name, options in _SETS.items():
        current = tuple(getattr(req, name))
        for opt in options:
            new = tuple(x for x in current if x != opt) if opt in current else (*current, opt)
            if not new:
                continue
            w = _probe(req, {name: new})
            if w is not None and w != base:
                flips.append(
                    Flip(name, _jsonable(current), _jsonable(opt), w, "remove" if opt in current else "add")
                )
    return flips


# --------------------------------------------------------------------------------------------------
def _nice(x: float) -> float:
    if x == 0:
        return 0.0
    digits = max(0, 3 - math.floor(math.log10(abs(x))))
    return round(x, min(digits, 6))


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return f"{v:,}"
    if isinstance(v, float):
        return f"{v:,.0f}" if v >= 1000 else f"{v:g}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(str(x) for x in v) + "]"
    return str(v)


def _jsonable(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if hasattr(v, "value") and isinstance(getattr(v, "value", None), str):
        return v.value
    return v
