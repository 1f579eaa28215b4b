"""Scoring: one number per pattern for a set of requirements, with the reasons behind it.

The score of a pattern is ``BASE`` plus:

* its own fit criteria (``fit:`` in the pattern file — weight when a criterion holds, penalty when not);
* generic terms every pattern gets from its data: load within ``scale`` (users, peak RPS), availability
  target within ``availability.max_target``, team size and experience against ``operational_burden``,
  a rough prod cost (``cost``: floor + per-million-requests + per-GB, plus egress and logs) against the
  budget, the compute preference against ``compute``, and distance between the audience and the Region;
* HIPAA: a pattern with any service not confirmed eligible (``cloudwright.eligibility``) is excluded.

Ties are broken by pattern id.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.features import features
from cloudwright.patterns.model import FitCriterion, Pattern
from cloudwright.requirements import Compliance, ComputePreference, Experience, Requirements
from cloudwright.units import usd

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
        + c.per_thousand_users_usd * req.signed_in_users / 1000
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
            (
                pen,
                f"rough prod cost ≈ {usd(estimate, 0)}/month at this load "
                f"exceeds the {usd(budget, 0)} budget",
            )
        )
    elif estimate > 0:
        bonus = min(8.0, 4.0 * math.log2(budget / estimate)) if budget > estimate else 0.0
        score += bonus
        fits.append(f"fits the budget (rough prod cost ≈ {usd(estimate, 0)} of {usd(budget, 0)}/month)")

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
