"""``cloudwright design`` (requirements → report, diagram, template) and ``cloudwright patterns``.

Command bodies only parse, call the library and pick a renderer; heavy imports happen inside them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from cloudwright.units import ENVIRONMENTS, FREE_TIER_CHOICES

FORMATS = ("table", "markdown", "html", "json", "dot", "mermaid")


def register(app: typer.Typer) -> None:
    def design(
        requirements_file: Path | None = typer.Argument(
            None, help="Requirements file (YAML or JSON). Optional when flags give the requirements."
        ),
        output: Path | None = typer.Option(
            None,
            "--output",
            "-o",
            help="Write report.md, report.html, design.json, diagram.* and template.yaml here.",
        ),
        fmt: str = typer.Option("table", "--format", "-f", help=f"What to print: {', '.join(FORMATS)}."),
        env: str = typer.Option(
            "prod", "--env", "-e", help="Environment to design: " + ", ".join(ENVIRONMENTS) + "."
        ),
        pattern: str | None = typer.Option(
            None, "--pattern", "-p", help="Force a pattern id instead of the recommendation."
        ),
        free_tier: str = typer.Option(
            "none", "--free-tier", help="Free tier in the estimate: " + ", ".join(FREE_TIER_CHOICES) + "."
        ),
        **flags: Any,
    ) -> None:
        """Design an AWS architecture from requirements (file or flags): report, diagram, template."""
        from cloudwright.errors import InputError
        from cloudwright.pipeline import run_design
        from cloudwright.requirements import load_requirements, requirements_from_mapping

        if fmt not in FORMATS:
            raise InputError("unknown format", field="--format", value=fmt, allowed=FORMATS)
        from cloudwright.commands.requirement_flags import deprecated_used
        from cloudwright.commands.requirement_flags import overrides as flag_overrides

        overrides = flag_overrides(flags)
        for note in deprecated_used(flags):
            typer.echo(f"warning: {note}", err=True)
        if requirements_file is None and not overrides:
            raise InputError(
                "no requirements given: pass a requirements file or flags such as --expected-users and "
                "--requests-per-second",
                field="REQUIREMENTS_FILE",
            )
        if requirements_file is not None:
            req = load_requirements(requirements_file, overrides=overrides)
        else:
            req = requirements_from_mapping({}, overrides=overrides)
        result = run_design(req, environment=env, pattern_id=pattern, free_tier=free_tier)
        if output is not None:
            _write(result, output, quiet=fmt != "table")
        if fmt == "table":
            from cloudwright.render.terminal import print_report

            print_report(result, brief=output is not None)
        elif fmt != "table":
            from cloudwright.render import render_report

            out = render_report(result, fmt)
            typer.echo(out.decode("utf-8") if isinstance(out, bytes) else out, nl=False)

    _with_requirement_flags(design)
    app.command("design")(design)
    sub = _patterns_app()
    app.add_typer(sub, name="patterns")


def _with_requirement_flags(command: Any) -> None:
    """Give ``command`` one option per requirement field (generated from the model, see
    :mod:`cloudwright.commands.requirement_flags`) in place of its ``**flags``."""
    import inspect

    from cloudwright.commands.requirement_flags import parameters

    fixed = [
        p
        for p in inspect.signature(command, eval_str=True).parameters.values()
        if p.kind is not inspect.Parameter.VAR_KEYWORD
    ]
    generated = parameters()
    command.__signature__ = inspect.Signature([*fixed, *generated], return_annotation=None)
    command.__annotations__ = {p.name: p.annotation for p in [*fixed, *generated]} | {"return": None}


def _write(result: Any, output: Path, *, quiet: bool) -> None:
    from cloudwright import progress
    from cloudwright.render import write_outputs

    with progress.shown(enabled=not quiet), progress.task("Writing reports, diagrams and the template"):
        written, notes = write_outputs(result, output)
    if quiet:
        return
    from rich.console import Console

    console = Console(stderr=False, highlight=False)
    console.print(f"Wrote {len(written)} files to {output}: " + ", ".join(p.name for p in written))
    for note in notes:
        console.print(f"note: {note}")


def _patterns_app() -> typer.Typer:
    from cloudwright.commands.app import new_app

    sub = new_app("The pattern catalogue: list every pattern, or show one in full.")
    sub.info.no_args_is_help = False

    @sub.callback(invoke_without_command=True)
    def patterns(ctx: typer.Context) -> None:
        """List the pattern catalogue, one line each (`cloudwright patterns show ID` for one in full)."""
        if ctx.invoked_subcommand is not None:
            return
        from rich.console import Console
        from rich.markup import escape

        from cloudwright.patterns.catalog import load_patterns

        console = Console(highlight=False, soft_wrap=True)
        for p in load_patterns().values():
            console.print(f"[bold]{p.id:<28}[/bold] {escape(p.name)}", markup=True)
        console.print("[dim]cloudwright patterns show ID — one pattern in full[/dim]", markup=True)

    @sub.command("show")
    def show(
        pattern_id: str = typer.Argument(..., help="Pattern id (see `cloudwright patterns`)."),
        as_json: bool = typer.Option(False, "--json", help="Print the pattern as JSON."),
    ) -> None:
        """Show one pattern in full: when it fits, components with alternatives, pros/cons, limits."""
        from cloudwright.errors import InputError
        from cloudwright.patterns.catalog import load_patterns

        patterns = load_patterns()
        if pattern_id not in patterns:
            raise InputError("unknown pattern", field="pattern", value=pattern_id, allowed=sorted(patterns))
        if as_json:
            import json

            typer.echo(json.dumps(patterns[pattern_id].summary_dict(), indent=2, sort_keys=True))
            return
        from cloudwright.render.terminal import print_pattern

        print_pattern(patterns[pattern_id])

    return sub
