"""``cloudwright design`` (requirements → report, diagram, template) and ``cloudwright patterns``.

Command bodies only parse, call the library and pick a renderer; heavy imports happen inside them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

FORMATS = ("table", "markdown", "html", "json", "dot", "mermaid")


def _overrides(**flags: Any) -> dict[str, Any]:
    """Map CLI flags to requirement fields (only flags that were given)."""
    names = {
        "name": "name",
        "app_type": "application_type",
        "users": "expected_users",
        "rps": "requests_per_second",
        "budget": "budget_monthly_usd",
        "team_size": "team_size",
        "experience": "aws_experience",
        "compliance": "compliance",
        "data_gb": "data_size_gb",
        "region": "region",
        "availability": "availability_target",
        "latency": "latency_p95_ms",
        "compute": "compute_preference",
        "audience": "audience_regions",
        "interaction": "interaction",
        "accelerator": "accelerator",
        "media": "media",
        "signed_in_share": "signed_in_share_percent",
        "allowed_region": "allowed_regions",
        "concurrent_connections": "concurrent_connections",
        "messages_per_connection": "messages_per_connection_per_second",
    }
    out: dict[str, Any] = {}
    for flag, value in flags.items():
        if value is None or value == []:
            continue
        if isinstance(value, list):
            value = [p.strip() for v in value for p in str(v).split(",") if p.strip()]
        if flag.startswith("batch_"):
            out.setdefault("batch", {})[flag.removeprefix("batch_")] = value
            continue
        out[names[flag]] = value
    return out


def _choices(enum_name: str) -> list[str]:
    import cloudwright.requirements as r

    return [e.value for e in getattr(r, enum_name)]


def _described(field: str, extra: str = "") -> str:
    """Help text for a flag, taken from the requirements model's field description."""
    from cloudwright.requirements import BatchSpec, Requirements

    if field.startswith("batch."):
        info = BatchSpec.model_fields[field.removeprefix("batch.")]
    else:
        info = Requirements.model_fields[field]
    return (info.description or field) + extra


def register(app: typer.Typer) -> None:
    @app.command("design")
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
        env: str = typer.Option("prod", "--env", "-e", help="Environment to design: dev, staging or prod."),
        pattern: str | None = typer.Option(
            None, "--pattern", "-p", help="Force a pattern id instead of the recommendation."
        ),
        free_tier: str = typer.Option(
            "none", "--free-tier", help="Free tier in the estimate: none, always-free, new-account."
        ),
        name: str | None = typer.Option(None, "--name", help="Project name."),
        app_type: str | None = typer.Option(
            None, "--app-type", help="Application type (web_application, saas_platform, …)."
        ),
        users: int | None = typer.Option(
            None, "--users", help="Expected monthly active users (devices for IoT)."
        ),
        rps: float | None = typer.Option(None, "--rps", help="Average requests per second."),
        budget: float | None = typer.Option(None, "--budget", help="Monthly budget in USD."),
        team_size: int | None = typer.Option(None, "--team-size", help="Engineers building and running it."),
        experience: str | None = typer.Option(
            None, "--experience", help="AWS experience: beginner, intermediate, advanced."
        ),
        compliance: list[str] | None = typer.Option(
            None, "--compliance", help="Compliance regime (repeat or comma-separate)."
        ),
        data_gb: float | None = typer.Option(None, "--data-gb", help="Data stored today, GB."),
        region: str | None = typer.Option(None, "--region", help="Primary AWS region."),
        availability: float | None = typer.Option(
            None, "--availability", help="Availability target, percent."
        ),
        latency: int | None = typer.Option(None, "--latency", help="p95 latency target, ms."),
        compute: str | None = typer.Option(
            None, "--compute", help="Compute preference: auto, serverless, containers, …"
        ),
        audience: list[str] | None = typer.Option(
            None, "--audience", help="Audience regions (repeat or comma-separate)."
        ),
        interaction: str | None = typer.Option(
            None,
            "--interaction",
            help=_described("interaction", " One of: " + ", ".join(_choices("Interaction")) + "."),
        ),
        accelerator: str | None = typer.Option(None, "--accelerator", help=_described("accelerator")),
        media: str | None = typer.Option(None, "--media", help=_described("media")),
        signed_in_share: float | None = typer.Option(
            None, "--signed-in-share", help=_described("signed_in_share_percent")
        ),
        allowed_region: list[str] | None = typer.Option(
            None, "--allowed-region", help=_described("allowed_regions", " Repeat or comma-separate.")
        ),
        concurrent_connections: int | None = typer.Option(
            None, "--concurrent-connections", help=_described("concurrent_connections")
        ),
        messages_per_connection: float | None = typer.Option(
            None, "--messages-per-connection", help=_described("messages_per_connection_per_second")
        ),
        batch_runs_per_day: float | None = typer.Option(
            None, "--batch-runs-per-day", help=_described("batch.runs_per_day", " Sets interaction batch.")
        ),
        batch_input_gb_per_run: float | None = typer.Option(
            None, "--batch-input-gb", help=_described("batch.input_gb_per_run")
        ),
        batch_window_hours: float | None = typer.Option(
            None, "--batch-window-hours", help=_described("batch.window_hours")
        ),
    ) -> None:
        """Design an AWS architecture from requirements (file or flags): report, diagram, template."""
        from cloudwright.errors import InputError
        from cloudwright.pipeline import run_design
        from cloudwright.requirements import load_requirements, requirements_from_mapping

        if fmt not in FORMATS:
            raise InputError("unknown format", field="--format", value=fmt, allowed=FORMATS)
        overrides = _overrides(
            name=name,
            app_type=app_type,
            users=users,
            rps=rps,
            budget=budget,
            team_size=team_size,
            experience=experience,
            compliance=compliance,
            data_gb=data_gb,
            region=region,
            availability=availability,
            latency=latency,
            compute=compute,
            audience=audience,
            interaction=interaction,
            accelerator=accelerator,
            media=media,
            signed_in_share=signed_in_share,
            allowed_region=allowed_region,
            concurrent_connections=concurrent_connections,
            messages_per_connection=messages_per_connection,
            batch_runs_per_day=batch_runs_per_day,
            batch_input_gb_per_run=batch_input_gb_per_run,
            batch_window_hours=batch_window_hours,
        )
        if "batch" in overrides and "interaction" not in overrides:
            overrides["interaction"] = "batch"
        if requirements_file is None and not overrides:
            raise InputError(
                "no requirements given: pass a requirements file or flags such as --users and --rps",
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

    sub = _patterns_app()
    app.add_typer(sub, name="patterns")


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
