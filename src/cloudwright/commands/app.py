"""What every command group shares: the Typer group that turns a :class:`CloudwrightError` into one clear
line on stderr (no traceback) and the factory of (sub-)apps that use it."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from cloudwright.errors import CloudwrightError


class _Group(TyperGroup):
    """Turns :class:`CloudwrightError` into one clear line on stderr and its exit status; no traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CloudwrightError as exc:
            typer.echo(f"error: {shortened(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None


#: Longest error message printed; values quoted in messages are already shortened, this is the backstop.
MAX_ERROR_CHARS = 2000


def shortened(message: str) -> str:
    if len(message) <= MAX_ERROR_CHARS:
        return message
    return f"{message[:MAX_ERROR_CHARS]}… ({len(message):,} characters, shortened)"


def new_app(help_text: str) -> typer.Typer:
    return typer.Typer(
        cls=_Group,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
