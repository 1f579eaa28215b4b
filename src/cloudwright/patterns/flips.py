"""Flips: the requirement values at which the recommended pattern would change.

Found by probing the scorer, never written by hand: for numbers, candidate values (multiples of the
current value and every threshold the catalogue's criteria use) are tried each way from the current value
and the first change is refined by bisection; for choices, every other value; for lists, adding or removing
each member.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.scoring import _fmt, _winner
from cloudwright.requirements import (
    ApplicationType,
    AudienceRegion,
    Compliance,
    ComputePreference,
    Environment,
    Experience,
    Requirements,
)


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


def _nice(x: float) -> float:
    if x == 0:
        return 0.0
    digits = max(0, 3 - math.floor(math.log10(abs(x))))
    return round(x, min(digits, 6))


def _jsonable(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if hasattr(v, "value") and isinstance(getattr(v, "value", None), str):
        return v.value
    return v
