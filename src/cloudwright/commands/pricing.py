"""Pricing commands: ``estimate``, ``usage`` and ``prices import|show``."""

from __future__ import annotations

from pathlib import Path

import typer

from cloudwright.units import FREE_TIER_CHOICES, MONTH_HOURS

FORMATS = ("table", "markdown", "json", "csv")


def register(app: typer.Typer) -> None:
    from cloudwright.commands.app import new_app

    @app.command("estimate")
    def estimate(
        template: Path = typer.Argument(..., help="CloudFormation template (YAML or JSON)."),
        usage_file: Path | None = typer.Option(
            None, "--usage-file", "-u", help="Usage file (cloudwright or infracost)."
        ),
        region: str | None = typer.Option(
            None, "--region", help="Region to price in (default: the template's, us-east-1)."
        ),
        free_tier: str = typer.Option("none", "--free-tier", help=" | ".join(FREE_TIER_CHOICES)),
        price_book: Path | None = typer.Option(
            None, "--price-book", help="YAML price book (discounts/overrides)."
        ),
        hours_per_month: float = typer.Option(
            MONTH_HOURS, "--hours-per-month", help="Hours in a billing month."
        ),
        fmt: str = typer.Option("table", "--format", "-f", help="table | markdown | json | csv"),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to a file instead of stdout."),
        param: list[str] = typer.Option(
            [], "--param", help="Template parameter KEY=VALUE, overriding its default (repeatable)."
        ),
        commitment: str | None = typer.Option(
            None,
            "--commitment",
            help="What-if: eligible lines at a Savings Plan or Reserved term, e.g. compute-sp-1y-no-upfront.",
        ),
    ) -> None:
        """Price every resource of a CloudFormation template, line by line."""
        from cloudwright import progress
        from cloudwright.cfn.reader import given_parameters
        from cloudwright.commands.pricing_support import run_estimate

        # Progress on the terminal (stderr) for large templates; never with JSON output.
        with progress.shown(enabled=fmt != "json"):
            text, warnings = run_estimate(
                template,
                usage_file,
                region,
                free_tier,
                price_book,
                hours_per_month,
                fmt,
                parameters=given_parameters(param),
                commitment=commitment,
            )
        for w in warnings:
            typer.echo(f"warning: {w}", err=True)
        _emit(text, output)

    @app.command("usage")
    def usage(
        template: Path = typer.Argument(..., help="CloudFormation template (YAML or JSON)."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to a file instead of stdout."),
    ) -> None:
        """Print a usage-file template for a stack, every key documented."""
        from cloudwright.pricing.template import load_template
        from cloudwright.pricing.usage import usage_template

        _emit(usage_template(load_template(template)), output)

    prices = new_app("Inspect and extend the price catalogue.")
    app.add_typer(prices, name="prices")

    @prices.command("import")
    def prices_import(
        offer_file: Path = typer.Argument(..., help="AWS Price List offer file (bulk index.json)."),
        region: str | None = typer.Option(None, "--region", help="Region for products without regionCode."),
        home: Path | None = typer.Option(None, "--home", help="Data directory (default $CLOUDWRIGHT_HOME)."),
    ) -> None:
        """Add an official AWS Price List offer file to the local catalogue."""
        from cloudwright.inputs import check_region
        from cloudwright.pricing.catalog import home_dir
        from cloudwright.pricing.offers import import_offer_file

        if region is not None:
            region = check_region(region, field="--region")

        result = import_offer_file(offer_file, home_dir(home), region=region)
        for reg, count in result.rows_by_region.items():
            typer.echo(f"{result.offer_code} {reg}: {count} price rows (published {result.publication_date})")
        for f in result.files:
            typer.echo(f"wrote {f}")

    @prices.command("fetch")
    def prices_fetch(
        region: list[str] = typer.Option(..., "--region", help="Region to fetch (repeatable)."),
        service: list[str] = typer.Option(
            [], "--service", help="Price List service code, e.g. AmazonEC2 (repeatable; default: all priced)."
        ),
        source_url: str = typer.Option(
            "https://pricing.us-east-1.amazonaws.com", "--source-url", help="Price List host."
        ),
        form: str = typer.Option("json", "--form", help="Offer file form: json | csv."),
        cache: Path | None = typer.Option(None, "--cache-dir", help="Snapshot folder (default: user cache)."),
    ) -> None:
        """Download AWS Price List offer files into dated local snapshots (the only online command)."""
        from cloudwright.commands.pricing_support import RichFetchProgress
        from cloudwright.pricing.fetch import fetch

        with RichFetchProgress() as progress:
            result = fetch(region, service, source_url=source_url, fmt=form, cache=cache, progress=progress)
        for w in result.warnings:
            typer.echo(f"warning: {w}", err=True)
        for snap in result.snapshots:
            head = f"{snap.offer_code} {snap.region}: {snap.rows} price rows"
            typer.echo(f"{head} (published {snap.publication_date}) → {snap.path}")

    @prices.command("show")
    def prices_show(
        what: str | None = typer.Argument(
            None,
            help="A CloudFormation type (AWS::Lambda::Function) or a service code; none lists the snapshots.",
        ),
        region: str = typer.Option("us-east-1", "--region", help="Region."),
        home: Path | None = typer.Option(None, "--home", help="Data directory (default $CLOUDWRIGHT_HOME)."),
        fmt: str = typer.Option("table", "--format", "-f", help="table | json"),
        cache: Path | None = typer.Option(None, "--cache-dir", help="Snapshot folder (default: user cache)."),
    ) -> None:
        """Show the catalogue rows for a type or service with source and date, or list the price snapshots."""
        from cloudwright.commands.pricing_support import show_prices, show_snapshots
        from cloudwright.inputs import check_region

        if what is None:
            typer.echo(show_snapshots(cache, fmt), nl=False)
        else:
            typer.echo(show_prices(what, check_region(region, field="--region"), home, fmt, cache), nl=False)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
    else:
        from cloudwright.outputs import write_file

        write_file(output, text)
        typer.echo(f"wrote {output}", err=True)
