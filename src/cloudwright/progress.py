"""Progress on the terminal for work that can take more than a second (large templates, diagrams).

Library code reports steps with :func:`task` (a no-op unless a command turned progress on); a command
turns it on with :func:`shown`, which draws a rich progress display on stderr only when stderr is a
terminal, and never for machine-readable output (the command passes ``enabled=False`` for JSON).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_current: ContextVar[Any] = ContextVar("cloudwright_progress", default=None)


class Task:
    """One step on the display: ``advance()`` for a counted step, ``done()`` when it ends."""

    def __init__(self, progress: Any = None, task_id: Any = None) -> None:
        self._progress = progress
        self._id = task_id

    def advance(self, n: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._id, n)

    def done(self) -> None:
        if self._progress is not None:
            self._progress.remove_task(self._id)
            self._progress = None

    def __enter__(self) -> Task:
        return self

    def __exit__(self, *exc: object) -> None:
        self.done()


def task(description: str, total: int | None = None) -> Task:
    """Start a step (a spinner, or a bar of ``total`` units); a no-op when progress is not shown."""
    progress = _current.get()
    if progress is None:
        return Task()
    return Task(progress, progress.add_task(description, total=total))


@contextmanager
def shown(enabled: bool = True, *, console: Any = None) -> Iterator[None]:
    """Show progress for the duration of the block (on stderr, and only when it is a terminal)."""
    if not enabled or (console is None and not sys.stderr.isatty()):
        yield
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        transient=True,
    )
    token = _current.set(progress)
    try:
        with progress:
            yield
    finally:
        _current.reset(token)
