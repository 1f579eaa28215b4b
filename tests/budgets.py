"""Example budgets of the property tests, scaled by the active Hypothesis profile (see conftest.py)."""

from __future__ import annotations

from hypothesis import settings

#: Hypothesis's own default budget: the default profile runs each test's budget unscaled.
FULL = 100


def examples(n: int) -> int:
    """``n`` under the default profile (``make test``); scaled by the profile's budget otherwise
    (``make check`` runs a quarter), never below one example."""
    return max(1, round(n * settings.default.max_examples / FULL))
