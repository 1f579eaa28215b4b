"""Recommend a pattern: the cheapest candidate that passes the hard gates and meets every target.

The search (gates, designing and pricing every candidate, target checks, sensitivity and crossover) is
:mod:`cloudwright.patterns.search`; what would change the answer is read off that search
(:mod:`cloudwright.patterns.flips`). The soft score (:mod:`cloudwright.patterns.scoring`) is kept only to
explain fit in words; it never chooses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.features import features
from cloudwright.patterns.flips import Flip
from cloudwright.patterns.model import Pattern
from cloudwright.patterns.scoring import BASE, PatternScore, rank, ranking_cost, score_pattern
from cloudwright.patterns.search import Candidate, Search
from cloudwright.requirements import Compliance, Requirements
from cloudwright.units import usd

__all__ = [
    "BASE",
    "Alternative",
    "Flip",
    "PatternScore",
    "Recommendation",
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
    #: The candidate search behind the recommendation (gates, candidates, fit, crossovers).
    search: Search | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "pattern": {"id": self.pattern.id, "name": self.pattern.name, "summary": self.pattern.summary},
            "score": round(self.score, 1),
            "reasons": list(self.reasons),
            "ranking_cost_usd": round(self.estimate_usd, 2),
            "alternatives": [a.to_dict() for a in self.alternatives],
            "flips": [f.to_dict() for f in self.flips],
            "warnings": list(self.warnings),
            "fit": self.search.fit.to_dict() if self.search else None,
        }


def find_flips(req: Requirements, base: str | None = None) -> list[Flip]:
    """The answer changes the search found for these requirements."""
    return list(recommend(req).flips)


def recommend(
    req: Requirements,
    *,
    flips: bool = True,
    environment: str = "prod",
    free_tier: str = "none",
    forced: str | None = None,
    dr: bool = True,
) -> Recommendation:
    """Gate, design, price and check every pattern; recommend the cheapest candidate meeting every target.

    ``flips`` also prices every candidate at the sensitivity loads (needed for the crossover and the
    load-driven answer changes). ``forced`` designs that pattern even if a gate rules it out. ``dr``: each
    production candidate carries the disaster-recovery strategy it would get (its cost, targets and
    sensitivity are those of the whole design).
    """
    from cloudwright.patterns.search import search
    from cloudwright.pricing.catalog import load_catalog
    from cloudwright.pricing.engine import PricingOptions, price_design

    # one catalogue for every candidate and load point: its query → row lookups are shared
    options = PricingOptions(free_tier=free_tier, catalog=load_catalog())
    found = search(
        req,
        environment=environment,
        price=lambda d: price_design(d, options),
        forced=forced,
        sensitivity=flips,
        dr_pricing=options if dr else None,
    )
    patterns = load_patterns()
    feats = features(req)
    scores = {pid: score_pattern(p, req, feats) for pid, p in patterns.items()}
    best = found.best
    reasons = _chosen_reasons(found, best)
    reasons += list(scores[best.id].fits[:3])
    alternatives = []
    for c in found.candidates:
        if c.id == best.id:
            continue
        alternatives.append(
            Alternative(c.id, c.pattern.name, scores[c.id].score, _candidate_reasons(found, c, best))
        )
    for pid, fails in sorted(found.rejected.items()):
        alternatives.append(
            Alternative(
                pid,
                patterns[pid].name,
                scores[pid].score,
                [f"ruled out ({f.gate}): {f.reason}" for f in fails],
                excluded=True,
            )
        )
    warnings = list(found.warnings)
    if Compliance.PCI_DSS in req.compliance:
        warnings.append(
            "PCI-DSS: cloudwright does not yet carry the PCI DSS services-in-scope list; confirm every service at "  # noqa: E501
            "https://aws.amazon.com/compliance/services-in-scope/"
        )
    return Recommendation(
        pattern=best.pattern,
        score=scores[best.id].score,
        reasons=reasons,
        alternatives=alternatives,
        flips=[Flip(c.field, c.current, c.value, c.pattern, c.direction, c.why) for c in found.changes],
        warnings=warnings,
        estimate_usd=float(best.monthly_usd),
        search=found,
    )


def _money(v: Decimal) -> str:
    return usd(v)


def _chosen_reasons(found: Search, best: Candidate) -> list[str]:
    n = len(found.candidates)
    meeting = found.meeting
    if best.meets_targets:
        out = [
            f"cheapest of {len(meeting)} candidate(s) meeting every target "
            f"({_money(best.monthly_usd)}/month; {n} of {n + len(found.rejected)} patterns passed the gates)"
        ]
    else:
        out = [
            "no candidate meets every target; closest: misses "
            + ", ".join(t.target for t in best.unmet)
            + f" ({_money(best.monthly_usd)}/month)"
        ]
    others = [c for c in meeting if c.id != best.id]
    if others:
        nxt = min(others, key=lambda c: c.sort_key)
        out.append(
            f"next: {nxt.id} at {_money(nxt.monthly_usd)}/month "
            f"(+{_money(nxt.monthly_usd - best.monthly_usd)})"
        )
    return out


def _candidate_reasons(found: Search, c: Candidate, best: Candidate) -> list[str]:
    diff = c.monthly_usd - best.monthly_usd
    out = []
    if c.meets_targets:
        if diff > 0:
            out.append(f"meets every target but costs {_money(c.monthly_usd)}/month, {_money(diff)} more")
        else:
            out.append(
                f"meets every target at {_money(c.monthly_usd)}/month; loses on operational burden "
                f"({c.burden} vs {best.burden}) or id order"
            )
    else:
        out.append(f"costs {_money(c.monthly_usd)}/month but misses " + ", ".join(t.target for t in c.unmet))
        for t in c.unmet:
            if t.target == "team":
                out.append(f"team: needs {t.required}; the team is {t.achieved} ({t.basis})")
            else:
                out.append(f"{t.target}: needs {t.required}, achieves {t.achieved} ({t.basis})")
    return out
