"""What would change the answer: read off the candidate search, never probed by re-scoring.

Each change comes from :func:`cloudwright.patterns.search.search`: a cheaper candidate held back by one
target (the value of that target at which it would be chosen), a pattern ruled out only by the team gate
or the compute preference (what it would take), a load crossover from the cost sensitivity, and the cost
floor when no candidate meeting the targets fits the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Flip:
    """Changing ``field`` to ``value`` makes ``pattern`` the answer (``text`` says it in words)."""

    field: str
    current: Any
    value: Any
    pattern: str
    direction: str  # "at or above" | "at or below" | "set to"
    text: str = ""

    def describe(self) -> str:
        if self.text:
            return self.text
        from cloudwright.patterns.scoring import _fmt

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


def _jsonable(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if hasattr(v, "value") and isinstance(getattr(v, "value", None), str):
        return v.value
    return v
