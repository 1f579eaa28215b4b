"""``cloudwright validate | deploy | destroy | import`` — CloudFormation in and out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer


def _cloudwright_metadata(document: Mapping[str, Any]) -> Mapping[str, Any]:
    """The template's ``Metadata.cloudwright`` block (written by ``cloudwright design``), or empty."""
    metadata = document.get("Metadata")
    meta = metadata.get("cloudwright") if isinstance(metadata, dict) else None
    return meta if isinstance(meta, dict) else {}


def _stack_name(document: Mapping[str, Any], path: Path) -> str:
    meta = _cloudwright_metadata(document)
    base = f"{meta['name']}-{meta.get('environment', 'prod')}" if meta.get("name") else path.stem
    name = re.sub(r"[^A-Za-z0-9-]+", "-", str(base)).strip("-") or "cloudwright"
    if not name[0].isalpha():
        name = "cw-" + name
    return name[:128]


def _template_region(document: Mapping[str, Any]) -> str | None:
    meta = _cloudwright_metadata(document)
    return str(meta["region"]) if meta.get("region") else None


def _read(path: Path) -> str:
    from cloudwright.inputs import read_input

    return read_input(path, what="template", field="template")


def register(app: typer.Typer) -> None:
    @app.command("validate")
    def validate_cmd(
        templates: list[Path] = typer.Argument(..., help="CloudFormation template file(s)."),
        no_checkov: bool = typer.Option(False, "--no-checkov", help="Run cfn-lint only."),
        strict: bool = typer.Option(
            False, "--strict", help="Also exit 1 on warnings (cfn-lint warnings, checkov hygiene)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    ) -> None:
        """Validate templates with cfn-lint and checkov: errors (cfn-lint errors, checkov failures at high
        or critical severity) exit 1; warnings and hygiene are listed but exit 0 unless --strict."""
        from cloudwright import progress
        from cloudwright.commands.deploy_output import print_validation
        from cloudwright.review.registry import checkov_severities
        from cloudwright.validate import validate_files

        with progress.shown(enabled=not as_json):
            report = validate_files(templates, checkov=not no_checkov, severities=checkov_severities())
        print_validation(report, as_json=as_json)
        if report.errors or (strict and report.warnings):
            raise typer.Exit(1)

    @app.command("deploy")
    def deploy_cmd(
        template: Path = typer.Argument(..., help="CloudFormation template (e.g. out/template.yaml)."),
        stack_name: str = typer.Option(
            None, "--stack-name", help="Stack name (default: <name>-<environment>)."
        ),
        target: str = typer.Option("emulator", "--target", help="emulator (default) or aws."),
        endpoint_url: str = typer.Option(
            None, "--endpoint-url", help="Any AWS-compatible endpoint (LocalStack)."
        ),
        serve: bool = typer.Option(
            False, "--serve", help="Run the emulator as a local server and keep it up."
        ),
        port: int = typer.Option(0, "--port", help="Port for --serve (default: any free port)."),
        region: str = typer.Option(None, "--region", help="Region (default: the template's)."),
        profile: str = typer.Option(None, "--profile", help="AWS profile for --target aws."),
        template_bucket: str = typer.Option(
            None, "--template-bucket", help="S3 bucket for templates over 51,200 bytes (--target aws)."
        ),
        param: list[str] = typer.Option([], "--param", help="Template parameter KEY=VALUE (repeatable)."),
        yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask before creating resources on AWS."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Deploy a template: embedded emulator (default), an endpoint URL, or real AWS via a change set."""
        from cloudwright import progress
        from cloudwright.cfn.reader import check_parameter_names, given_parameters
        from cloudwright.commands.deploy_output import deploy_with_progress
        from cloudwright.deploy.target import Template
        from cloudwright.inputs import check_region

        if region is not None:
            region = check_region(region, field="--region")
        text = _read(template)
        parameters = given_parameters(param)
        # Read and parse once: the stack name, region, parameter check and every plan use this document.
        with progress.shown(enabled=not as_json), progress.task("Reading the template"):
            parsed = Template.parse(text, source=str(template))
        if parameters:
            check_parameter_names(parsed.document.get("Parameters"), parameters)
        result = deploy_with_progress(
            parsed,
            stack_name or _stack_name(parsed.document, template),
            target=target,
            endpoint_url=endpoint_url,
            serve=serve,
            port=port,
            region=region or _template_region(parsed.document) or "us-east-1",
            profile=profile,
            parameters=parameters,
            yes=yes,
            as_json=as_json,
            template_bucket=template_bucket,
        )
        if not result.ok:
            raise typer.Exit(1)

    @app.command("destroy")
    def destroy_cmd(
        stack_name: str = typer.Option(..., "--stack-name", help="The stack to delete."),
        target: str = typer.Option(
            "endpoint", "--target", help="endpoint (default, with --endpoint-url) or aws."
        ),
        endpoint_url: str = typer.Option(None, "--endpoint-url", help="Endpoint the stack was deployed to."),
        region: str = typer.Option("us-east-1", "--region"),
        profile: str = typer.Option(None, "--profile", help="AWS profile for --target aws."),
        yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask before deleting."),
    ) -> None:
        """Delete a deployed stack (from an endpoint such as `deploy --serve`, or from AWS)."""
        from cloudwright.commands.deploy_output import destroy_with_progress

        destroy_with_progress(
            stack_name, target=target, endpoint_url=endpoint_url, region=region, profile=profile, yes=yes
        )

    @app.command("import")
    def import_cmd(
        template: Path = typer.Argument(..., help="Any CloudFormation template (YAML or JSON)."),
        out: Path = typer.Option(None, "--out", "-o", help="Write design.json and template.yaml here."),
        name: str = typer.Option(
            None, "--name", help="Design name (default: from the template or file name)."
        ),
        region: str = typer.Option(
            None, "--region", help="Region (default: the template's, else us-east-1)."
        ),
        as_json: bool = typer.Option(False, "--json", help="Print the design graph as JSON."),
        param: list[str] = typer.Option(
            [], "--param", help="Template parameter KEY=VALUE, overriding its default (repeatable)."
        ),
    ) -> None:
        """Import a CloudFormation template into cloudwright's design graph (to price, review and draw)."""
        from cloudwright.cfn.reader import given_parameters
        from cloudwright.commands.deploy_output import print_import
        from cloudwright.design.cfn_import import import_template
        from cloudwright.inputs import check_region

        if region is not None:
            region = check_region(region, field="--region")

        from cloudwright import progress

        priced = None
        with progress.shown(enabled=not as_json):
            with progress.task("Importing the template"):
                design = import_template(
                    template, name=name, region=region, parameters=given_parameters(param)
                )
            written: list[Any] = []
            if out is not None:
                from cloudwright.pipeline import write_import

                with progress.task("Writing design.json and template.yaml"):
                    written = write_import(design, out)
            if not as_json:
                from cloudwright.pipeline import price_and_review

                with progress.task("Pricing and reviewing"):
                    priced = price_and_review(design)
        print_import(design, written, as_json=as_json, priced=priced)
