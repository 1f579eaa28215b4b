"""Recommend a pattern: score every pattern, explain why the winner won and why the others lost, and
show the requirement values at which the answer would flip.

Scoring lives in :mod:`cloudwright.patterns.scoring`, flips in :mod:`cloudwright.patterns.flips`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cloudwright.errors import InputError
from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.flips import Flip, find_flips
from cloudwright.patterns.model import Pattern
from cloudwright.patterns.scoring import BASE, PatternScore, _winner, rank, ranking_cost, score_pattern
from cloudwright.requirements import Compliance, Requirements

__all__ = [
    "BASE",
    "Alternative",
    "Flip",
    "PatternScore",
    "Recommendation",
    "_winner",
    "find_flips",
    "rank",
    "ranking_cost",
    "recommend",
    "score_pattern",
]


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
