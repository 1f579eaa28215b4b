"""``cloudwright review`` and ``cloudwright checks``: thin shells over :mod:`cloudwright.review`."""

from __future__ import annotations

from pathlib import Path

import typer

from cloudwright.units import ENVIRONMENTS


def register(app: typer.Typer) -> None:
    from cloudwright.commands.app import _Group

    @app.command("review")
    def review_cmd(
        path: Path = typer.Argument(
            ..., help="A requirements file (YAML/JSON) or any CloudFormation template."
        ),
        compliance: str = typer.Option(
            "", "--compliance", help="Compliance regimes, comma separated: HIPAA,PCI-DSS,SOC2,GDPR,ISO27001."
        ),
        env: str = typer.Option(
            None, "--env", help=f"Review as {', '.join(ENVIRONMENTS)} (default: prod / the template's)."
        ),
        fmt: str = typer.Option("table", "--format", "-f", help="table, markdown, json, sarif or html."),
        external: bool = typer.Option(
            False, "--external", help="Also run cfn-lint and checkov on the template."
        ),
        pattern: str = typer.Option(
            None, "--pattern", help="Review this pattern instead of the recommended one."
        ),
        output: Path = typer.Option(
            None, "--output", "-o", help="Write to this file instead of the terminal."
        ),
        fail_on: str = typer.Option(None, "--fail-on", help="Exit 1 when a finding is at least this severe."),
        as_of: str = typer.Option(
            None,
            "--as-of",
            help="Judge runtime and service lifecycle dates at YYYY-MM-DD or 'today' "
            "(default: the date the lifecycle data was last reviewed, so reviews are reproducible).",
        ),
        param: list[str] = typer.Option(
            [], "--param", help="Template parameter KEY=VALUE, overriding its default (repeatable)."
        ),
    ) -> None:
        """Review a design or template: Well-Architected checks, compliance, availability, quotas, costs."""
        from cloudwright import progress
        from cloudwright.cfn.reader import given_parameters
        from cloudwright.pipeline import review_file
        from cloudwright.review import render

        render.validate_options(fmt, fail_on)
        regimes = [c for c in compliance.split(",") if c.strip()]
        with progress.shown(enabled=fmt not in ("json", "sarif")), progress.task("Reading and importing"):
            review = review_file(
                path,
                compliance=regimes,
                environment=env,
                external=external,
                pattern_id=pattern,
                as_of=render.parse_as_of(as_of),
                parameters=given_parameters(param),
            )
        if fmt == "table" and output is None:
            from cloudwright.commands.review_terminal import print_review

            print_review(review)
        elif output is not None:
            from cloudwright.outputs import write_file

            write_file(output, render.render_review(review, fmt, artifact=path.name))
            typer.echo(f"wrote {output}")
        else:
            typer.echo(render.render_review(review, fmt, artifact=path.name), nl=False)
        if render.fails_threshold(review, fail_on):
            raise typer.Exit(1)

    checks = typer.Typer(
        cls=_Group,
        help="List the review's checks, or show one: cloudwright checks show REL-RDS-001.",
        invoke_without_command=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )

    @checks.callback()
    def checks_list(
        ctx: typer.Context,
        pillar: str = typer.Option(None, "--pillar", help="Only this pillar (e.g. security, reliability)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """List every check: id, pillar, severity, title."""
        if ctx.invoked_subcommand is not None:
            return
        import json

        from rich.console import Console
        from rich.table import Table

        from cloudwright.review.registry import check_to_dict, load_checks

        rows = [c for c in load_checks().values() if pillar is None or c.meta.pillar.value.startswith(pillar)]
        if as_json:
            typer.echo(json.dumps([check_to_dict(c) for c in rows], indent=2, sort_keys=True))
            return
        table = Table(title=f"{len(rows)} checks")
        for col in ("ID", "Pillar", "Severity", "Kind", "Title"):
            table.add_column(col)
        for c in rows:
            table.add_row(c.meta.id, c.meta.pillar.value, c.meta.severity.value, c.meta.kind, c.meta.title)
        Console().print(table)

    @checks.command("show")
    def checks_show(check_id: str = typer.Argument(..., help="Check id, e.g. REL-RDS-001.")) -> None:
        """Show one check: rationale, remediation, references, types."""
        from cloudwright.review.registry import get_check

        c = get_check(check_id)
        m = c.meta
        lines = [
            f"{m.id}  {m.title}",
            f"pillar: {m.pillar.value}   severity: {m.severity.value}   kind: {m.kind}",
            f"environments: {', '.join(m.environments)}",
            f"types: {', '.join(m.types) or '(design-wide)'}",
            "",
            f"why: {m.rationale}",
            f"fix: {m.remediation}",
            f"references: {', '.join(m.references)}",
            f"defined in: {c.origin}",
        ]
        typer.echo("\n".join(lines))

    app.add_typer(checks, name="checks")
