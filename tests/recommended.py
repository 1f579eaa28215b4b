"""Recommendations shared by the tests of one process.

Several test modules need the pattern recommended for the same example requirements only as a starting
point (they then build, review or compare its design). The recommendation is a pure function of the
requirements, so it is computed once per process and keyed by the requirements' JSON. Callers only read
the result; tests of the recommendation itself call :func:`cloudwright.patterns.recommend.recommend`.
"""

from __future__ import annotations

from cloudwright.patterns.recommend import Recommendation, recommend
from cloudwright.requirements import Requirements

_MEMO: dict[str, Recommendation] = {}


def recommended(req: Requirements) -> Recommendation:
    """``recommend(req, flips=False)``, computed once per process for equal requirements (read only)."""
    key = req.model_dump_json()
    if key not in _MEMO:
        _MEMO[key] = recommend(req, flips=False)
    return _MEMO[key]
