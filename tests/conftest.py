"""Hypothesis profiles for the two test loops.

``make test`` runs the default profile: every property test runs its full example budget. ``make check``
(the inner loop) selects ``--hypothesis-profile=check``, which runs a quarter of each budget: the same
properties, fewer generated inputs. Tests that set their own ``max_examples`` scale it with
:func:`budgets.examples`, so one profile governs both.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("check", max_examples=25)
