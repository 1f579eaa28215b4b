"""Errors cloudwright raises on purpose.

The tree (surfaces catch :class:`CloudwrightError` in one place and print it without a traceback;
anything else is a bug and keeps its traceback)::

    CloudwrightError
    ├── InputError          bad requirements, usage file, price book or CLI value (names field/value/allowed)
    ├── CatalogError        the price catalogue itself is inconsistent
    │   ├── PriceNotFound   a query matched no row (estimates show "price unknown" instead)
    │   └── AmbiguousPrice  a query matched more than one row (a catalogue bug)
    ├── TemplateError       a CloudFormation template could not be read, imported or rendered
    ├── DeployError         a deploy target failed or refused
    └── HostError           the machine or network refused: disk full, permission denied, path taken,
                            endpoint unreachable, credentials missing, port in use (exit status 2)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

#: Longest value echoed back in an error message.
CLIP = 80


def clip(value: Any, limit: int = CLIP) -> str:
    """``repr`` of a value, shortened to ``limit`` characters (errors never echo a huge value)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters)"


class CloudwrightError(Exception):
    """Base class of every error cloudwright reports to users."""

    exit_code = 1


class InputError(CloudwrightError):
    """Input the user gave is not acceptable. Always names the field, the value and what is allowed."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        value: Any = None,
        allowed: Iterable[Any] | str | None = None,
        problems: Sequence[InputError] | None = None,
    ) -> None:
        self.field = field
        self.value = value
        if allowed is None or isinstance(allowed, str):
            self.allowed: list[str] | str | None = allowed
        else:
            self.allowed = [str(a) for a in allowed]
        self.problems = list(problems or [])
        super().__init__(message)

    def __str__(self) -> str:
        if self.problems:
            head = self.args[0] if self.args else "invalid input"
            return head + "\n" + "\n".join(f"  - {p.line()}" for p in self.problems)
        return self.line()

    def line(self) -> str:
        msg = str(self.args[0]) if self.args else "invalid input"
        parts = [msg]
        if self.field and self.field not in msg:
            parts.insert(0, f"{self.field}:")
        if self.value is not None and "got" not in msg:
            parts.append(f"(got {clip(self.value)})")
        if self.allowed:
            allowed = self.allowed if isinstance(self.allowed, str) else ", ".join(self.allowed)
            parts.append(f"— allowed: {allowed}")
        return " ".join(parts)


class CatalogError(CloudwrightError):
    """The price catalogue is inconsistent."""


class PriceNotFound(CatalogError):
    """No catalogue row matched a price query."""


class AmbiguousPrice(CatalogError):
    """More than one catalogue row matched a price query."""


class TemplateError(CloudwrightError):
    """A CloudFormation template could not be parsed, imported or rendered."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        super().__init__(message)

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + str(self.args[0])


class DeployError(CloudwrightError):
    """A deploy target failed or refused."""


class HostError(CloudwrightError):
    """The environment refused: a full disk, a permission, a path in the way, an unreachable endpoint,
    missing credentials or a busy port. One line, exit status 2."""

    exit_code = 2
