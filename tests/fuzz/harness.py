"""What every fuzz target shares: run the CLI in-process, judge the outcome, keep failures as regressions.

A run passes when it exits 0 or 2 without a traceback; an exit 2 prints one ``error:`` line on stderr
that stays short; a successful ``--format json`` output satisfies the invariants in
:func:`check_design_json` / :func:`check_estimate_json`.

Example budgets: ``CLOUDWRIGHT_FUZZ_EXAMPLES`` (default :data:`CI_EXAMPLES`, what ``make test`` runs);
``make fuzz`` raises it for a long campaign. In a campaign (``CLOUDWRIGHT_FUZZ_RECORD=1``) a failing
input is written to ``tests/fuzz/failures/`` and replayed by ``test_replay_failures.py`` from then on.
"""

from __future__ import annotations

import hashlib
import json
import os
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from typer.testing import CliRunner

from budgets import examples
from cloudwright.cli import app

CI_EXAMPLES = 60
FAILURES = Path(__file__).parent / "failures"
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "design-result.schema.json"
#: Longest acceptable error message (one line, no echoed megabytes).
MAX_ERROR_CHARS = 2000


def budget(default: int = CI_EXAMPLES, target: str = "") -> settings:
    """Examples for one target: ``CLOUDWRIGHT_FUZZ_EXAMPLES_<TARGET>``, else ``CLOUDWRIGHT_FUZZ_EXAMPLES``,
    else ``default`` (the fixed, derandomised CI budget) scaled by the Hypothesis profile (a quarter in
    ``make check``, see tests/budgets.py)."""
    raw = os.environ.get(f"CLOUDWRIGHT_FUZZ_EXAMPLES_{target.upper()}") or os.environ.get(
        "CLOUDWRIGHT_FUZZ_EXAMPLES"
    )
    return settings(
        max_examples=int(raw) if raw else examples(default),
        deadline=None,
        derandomize=raw is None,  # CI: the same examples on every run
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        database=None,
        # no shrinking: inputs are whole documents and a failing one is stored as it is (see record)
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        print_blob=False,
    )


def invoke(args: list[str]) -> Any:
    return CliRunner().invoke(app, args, catch_exceptions=True)


def check_clean(result: Any, args: list[str]) -> None:
    """Exit 0 or 2, never a traceback; an error is one short line naming what is wrong."""
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        import traceback

        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        raise AssertionError(f"traceback for {args}:\n{tb}")
    assert result.exit_code in (0, 2), (args, result.exit_code, result.output[-2000:])
    if result.exit_code == 2:
        err = result.stderr.strip()
        assert err.startswith("error:") or "Usage:" in err, (args, err[:500])
        assert len(err) <= MAX_ERROR_CHARS or "\n  - " in err, (args, len(err), err[:300])
        assert "Traceback" not in err


def _finite_nonneg(value: Any, where: str) -> None:
    if value is None:
        return
    assert isinstance(value, int | float) and not isinstance(value, bool), (where, value)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)  # ints of any size
    assert number.is_finite() and number >= 0, (where, value)


@cache
def _validator() -> Any:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def check_estimate_json(est: dict[str, Any]) -> None:
    _finite_nonneg(est.get("monthly_usd"), "estimate.monthly_usd")
    for li in est.get("line_items") or []:
        _finite_nonneg(li.get("monthly_usd"), f"line {li.get('logical_id')}")
    for r in est.get("resources") or []:
        _finite_nonneg(r.get("monthly_usd"), f"resource {r.get('logical_id')}")


def check_design_json(text: str) -> None:
    """Totals finite and ≥ 0, the budget verdict agrees with them, the document fits the schema."""
    doc = json.loads(text)
    _validator().validate(doc)
    est = doc["estimate"]
    check_estimate_json(est)
    budget = doc["budget"]
    total = est["monthly_usd"]
    assert budget["estimate_usd"] == total
    limit = budget.get("monthly_usd")
    if not limit:
        assert budget["verdict"] == "no-budget" and budget["over_budget"] is False
    else:
        assert budget["over_budget"] == (total > limit), budget
        assert (budget["verdict"] == "over-budget") == budget["over_budget"], budget


def record(kind: str, payload: str, suffix: str) -> Path | None:
    """In a campaign, keep a failing input under tests/fuzz/failures/ (named by its hash)."""
    if not os.environ.get("CLOUDWRIGHT_FUZZ_RECORD"):
        return None
    FAILURES.mkdir(exist_ok=True)
    digest = hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    path = FAILURES / f"{kind}-{digest}{suffix}"
    path.write_text(payload, encoding="utf-8", errors="surrogatepass")
    return path
