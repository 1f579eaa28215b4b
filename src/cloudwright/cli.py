"""The ``cloudwright`` command line: a thin shell over the library.

Each command group lives in :mod:`cloudwright.commands` and registers itself with :func:`register`
(the shared Typer group is :mod:`cloudwright.commands.app`);
heavy libraries are imported inside command bodies so ``cloudwright --help`` stays fast.
"""

from __future__ import annotations

import sys

from cloudwright.commands.app import new_app, shortened
from cloudwright.errors import CloudwrightError

app = new_app(
    "cloudwright — from an application's requirements to a priced, reviewed, drawn and deployable AWS "
    "architecture, offline."
)


def _register() -> None:
    from cloudwright.commands import deploy, design, pricing, review, web

    for module in (design, pricing, review, deploy, web):
        module.register(app)


_register()


#: Allocations between two young-generation garbage collections in a ``cloudwright`` process (Python's
#: default is 700). A large template is hundreds of thousands of long-lived objects (decoded nodes,
#: resources, estimates); with the default every full collection walks all of them again, a third of
#: the CPU of reviewing a 5,000-resource template. Memory is unchanged: those objects are not garbage.
GC_YOUNG_THRESHOLD = 50_000


def main(argv: list[str] | None = None) -> None:
    import gc

    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 20)
    try:
        app(args=argv, prog_name="cloudwright")
    except CloudwrightError as exc:  # errors raised outside a command (e.g. during parsing callbacks)
        print(f"error: {shortened(str(exc))}", file=sys.stderr)
        raise SystemExit(exc.exit_code) from None


if __name__ == "__main__":  # pragma: no cover
    main()
