"""Pillar scores (0–100) a user can track from one version of a design to the next.

For each pillar, over the check results that were evaluated (pass or fail; unknown and suppressed
results are counted but carry no weight)::

    score = round(100 × (1 − Σ weight(failed) / Σ weight(evaluated)))

with severity weights critical 10, high 5, medium 3, low 1, info 0. A pillar with no evaluated
result (or only info checks) has score ``None`` ("not assessed"). The formula depends only on the
results, so the same design always gets the same score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cloudwright.review.model import CheckResult, Pillar, PillarScore, Status


def pillar_scores(results: Iterable[CheckResult], checks: Mapping[str, Any]) -> dict[str, PillarScore]:
    acc: dict[Pillar, dict[str, int]] = {
        p: {"passed": 0, "failed": 0, "unknown": 0, "suppressed": 0, "w_all": 0, "w_fail": 0} for p in Pillar
    }
    for res in results:
        chk = checks.get(res.check_id)
        if chk is None:
            continue
        a = acc[chk.meta.pillar]
        weight = chk.meta.severity.weight
        if res.status is Status.PASS:
            a["passed"] += 1
            a["w_all"] += weight
        elif res.status is Status.FAIL:
            a["failed"] += 1
            a["w_all"] += weight
            a["w_fail"] += weight
        elif res.status is Status.UNKNOWN:
            a["unknown"] += 1
        else:
            a["suppressed"] += 1
    out: dict[str, PillarScore] = {}
    for p, a in acc.items():
        score = None if a["w_all"] == 0 else round(100 * (1 - a["w_fail"] / a["w_all"]))
        out[p.value] = PillarScore(
            pillar=p,
            score=score,
            passed=a["passed"],
            failed=a["failed"],
            unknown=a["unknown"],
            suppressed=a["suppressed"],
        )
    return out
