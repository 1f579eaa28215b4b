"""Hypothesis profiles for the two test loops, and the test processes' garbage-collector thresholds.

``make test`` runs the default profile: every property test runs its full example budget. ``make check``
(the inner loop) selects ``--hypothesis-profile=check``, which runs a quarter of each budget: the same
properties, fewer generated inputs. Tests that set their own ``max_examples`` scale it with
:func:`budgets.examples`, so one profile governs both.
"""

from __future__ import annotations

import gc

from hypothesis import settings

settings.register_profile("check", max_examples=25)

# A test process holds many long-lived objects (the pattern catalogue, the price data, pytest's own
# collected items) and designs allocate many short-lived ones, so the default thresholds (700, 10, 10)
# make the cyclic collector walk the same objects over and over: about a quarter of the suite's CPU
# time. Collecting less often changes no result (reference counting still frees almost everything at
# once) and costs a few megabytes.
gc.set_threshold(50_000, 20, 10)


def pytest_sessionfinish() -> None:
    # one full collection while the session ends, not after: an xdist worker still busy collecting the
    # garbage of a whole session seconds after the controller asked it to stop is interrupted (SIGINT)
    gc.collect()
