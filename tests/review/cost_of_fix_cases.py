"""The cost-of-fix cases pinned by ``golden/cost_of_fix.json``.

Every pattern × environment × free-tier mode (for a small and a large application), every check's fail
fixture and every example template is reviewed with cost deltas on, and each finding's exact delta
(a Decimal, as a string) and cost note are recorded.

The figures were first recorded from the implementation that priced a deep copy of the whole design per
finding, and the incremental pricer reproduced all of them exactly (271 cases). They were re-recorded
from the incremental pricer when the catalogue and the pattern set grew (Regional prices, closed
us-east-1 gaps, new patterns); from then on the file guards against any unintended change. Re-record
only for an intended change in the figures (a price or a cost model), never to make the comparison pass:

    .venv/bin/python -m tests.review.cost_of_fix_cases > tests/review/golden/cost_of_fix.json
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cloudwright.units import ENVIRONMENTS

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "cost_of_fix.json"
PROFILES: dict[str, dict[str, Any]] = {
    "small": {"name": "demo"},
    "large": {
        "name": "shop",
        "compliance": ["PCI-DSS", "SOC2"],
        "requests_per_second": 2000,
        "availability_target": 99.99,
        "expected_users": 2_000_000,
        "budget_monthly_usd": 50_000,
        "rto_minutes": 5,
        "rpo_minutes": 1,
    },
}

FREE_TIERS = ("none", "always-free", "new-account")


def _findings(review: Any) -> list[dict[str, Any]]:
    return [
        {
            "check": f.check_id,
            "resource": f.resource,
            "path": "/".join(f.path),
            "delta": None if f.cost_delta_usd is None else str(f.cost_delta_usd),
            "note": f.cost_note,
        }
        for f in review.findings
    ]


def pattern_cases() -> Iterator[tuple[str, Any, Any, Any]]:
    """(case name, design, requirements, estimate) for every pattern × environment × free tier × profile."""
    from cloudwright.design.build import build_design
    from cloudwright.patterns.catalog import load_patterns
    from cloudwright.pricing.engine import PricingOptions, price_design
    from cloudwright.requirements import Requirements

    for profile, fields in PROFILES.items():
        req = Requirements(**fields)
        for pattern_id in sorted(load_patterns()):
            for env in ENVIRONMENTS:
                design = build_design(req, pattern_id=pattern_id, environment=env)
                for free_tier in FREE_TIERS:
                    estimate = price_design(design, PricingOptions(free_tier=free_tier))
                    yield f"pattern/{profile}/{pattern_id}/{env}/{free_tier}", design, req, estimate


def template_cases() -> Iterator[tuple[str, Any, Any, Any]]:
    """(case name, design, requirements, None) for every check's fail fixture and example template."""
    from cloudwright.design.cfn_import import import_template
    from cloudwright.requirements import requirements_from_mapping

    for path in sorted((ROOT / "tests" / "review" / "fixtures").glob("*/fail.yaml")):
        design = import_template(path)
        block = design.metadata.get("template_metadata", {}).get("cloudwright-review", {})
        req = block.get("requirements")
        yield (
            f"fixture/{path.parent.name}",
            design,
            requirements_from_mapping(req) if req is not None else None,
            None,
        )
    for path in sorted((ROOT / "examples" / "templates").glob("*.yaml")):
        yield f"template/{path.stem}", import_template(path), None, None


def compute(name: str, design: Any, requirements: Any, estimate: Any) -> list[dict[str, Any]]:
    from datetime import date

    from cloudwright.review.engine import review_design

    review = review_design(design, requirements, estimate=estimate, today=date(2026, 11, 23))
    return _findings(review)


def record() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for case in [*pattern_cases(), *template_cases()]:
        out[case[0]] = compute(*case)
    return out


if __name__ == "__main__":
    json.dump(record(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
