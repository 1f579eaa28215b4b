"""Pausing Python's cyclic garbage collector while a design search runs.

A search builds, copies and prices dozens of designs: hundreds of thousands of short-lived objects, freed
by reference counting as soon as they are dropped. The cyclic collector does not free them any sooner,
but it is triggered by their allocation, and each full collection walks every long-lived object of the
process too (price catalogue, cost models, pattern catalogue, schemas). Paused, a search costs about a
third less CPU. A design leaves no reference cycles behind (tests/test_gcpause.py checks it): everything
it allocated is freed by reference counting, so the collection that follows has nothing to free. A
recursive nested function is the usual way to break this: it holds the cell that holds it, a cycle that
keeps whatever it closes over (a design) alive until the collector runs; write such a walk as a module
function or an object instead.
"""

from __future__ import annotations

import gc
from contextlib import ContextDecorator
from types import TracebackType


class paused_collection(ContextDecorator):  # used like a function: ``with paused_collection():``
    """Disable the cyclic garbage collector inside the block (or decorated function), then restore it.

    Nested uses are safe: only the outermost one that found the collector enabled enables it again.
    """

    def __enter__(self) -> paused_collection:
        self._was_enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._was_enabled:
            gc.enable()
