"""The ``cloudwright`` command line: a thin shell over the library.

Each command group lives in :mod:`cloudwright.commands` and registers itself with :func:`register`;
heavy libraries are imported inside command bodies so ``cloudwright --help`` stays fast.
"""

from __future__ import annotations

import sys
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
            typer.echo(f"error: {_shortened(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None


#: Longest error message printed; values quoted in messages are already shortened, this is the backstop.
MAX_ERROR_CHARS = 2000


def _shortened(message: str) -> str:
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


app = new_app(
    "cloudwright — from an application's requirements to a priced, reviewed, drawn and deployable AWS "
    "architecture, offline."
)


def _register() -> None:
    from cloudwright.commands import deploy, design, pricing, review, web

    for module in (design, pricing, review, deploy, web):
        module.register(app)


_register()


def main(argv: list[str] | None = None) -> None:
    try:
        app(args=argv, prog_name="cloudwright")
    except CloudwrightError as exc:  # errors raised outside a command (e.g. during parsing callbacks)
        print(f"error: {_shortened(str(exc))}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None


if __name__ == "__main__":  # pragma: no cover
    main()
