"""Terminal output for validate / deploy / destroy / import (rich), kept out of the command bodies."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cloudwright.deploy.target import DeployPlan, StackResult
from cloudwright.design.model import Design
from cloudwright.errors import DeployError
from cloudwright.validate import ValidationReport


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


# --------------------------------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------------------------------
def print_validation(report: ValidationReport, *, as_json: bool = False) -> None:
    console = _console()
    if as_json:
        console.print_json(json.dumps(report.to_dict()))
        return
    from rich.table import Table

    shown = [f for f in report.findings if f.level != "suppressed"]
    if shown:
        table = Table(title="Findings", show_lines=False)
        several = len({f.file for f in report.findings}) > 1
        for col in ("level", "tool", "rule", *(["file"] if several else []), "resource", "line", "message"):
            table.add_column(col, overflow="fold")
        for f in shown:
            where = [f.file or "-"] if several else []
            table.add_row(
                f.level, f.tool, f.rule_id, *where, f.resource or "-", str(f.line or "-"), f.message
            )
        console.print(table)
    if report.suppressed:
        console.print(
            f"[dim]{len(report.suppressed)} checkov check(s) suppressed with a written reason:[/dim]"
        )
        for rule, count in sorted(Counter(f.rule_id for f in report.suppressed).items()):
            console.print(f"[dim]  {rule} × {count}[/dim]")
    verdict = "[green]passed[/green]" if report.ok else "[red]failed[/red]"
    console.print(
        f"{' + '.join(report.tools)}: {len(report.errors)} error(s), {len(report.warnings)} warning(s), "
        f"{len(report.suppressed)} suppressed — {verdict}"
    )


# --------------------------------------------------------------------------------------------------
# deploy / destroy
# --------------------------------------------------------------------------------------------------
def _print_plan(console: Any, plan: DeployPlan) -> None:
    if plan.unsupported_types:
        console.print(
            f"[yellow]The emulator cannot create {len(plan.unsupported_types)} resource type(s):[/yellow] "
            + ", ".join(plan.unsupported_types)
        )
    if plan.skipped:
        console.print(
            f"[yellow]Skipped {len(plan.skipped)} resource(s) (not deployed to the emulator):[/yellow]"
        )
        for s in plan.skipped:
            console.print(f"  - {s.logical_id} ({s.type}): {s.reason}")
    for line in plan.adjustments:
        console.print(f"  [yellow]adjusted for the emulator:[/yellow] {line}")
    counts = Counter(c.action for c in plan.changes)
    summary = ", ".join(f"{n} to {a.lower()}" for a, n in sorted(counts.items())) or "no changes"
    console.print(f"Plan for stack [bold]{plan.stack_name}[/bold] on {plan.target}: {summary}")


def _print_change_table(console: Any, plan: DeployPlan) -> None:
    from rich.table import Table

    table = Table(title=f"Change set for {plan.stack_name}")
    for col in ("action", "logical id", "type", "replacement"):
        table.add_column(col)
    for c in plan.changes:
        table.add_row(c.action, c.logical_id, c.type, c.replacement or "-")
    console.print(table)


def print_result(result: StackResult, *, as_json: bool = False) -> None:
    console = _console()
    if as_json:
        console.print_json(json.dumps(result.to_dict()))
        return
    from rich.table import Table

    table = Table(title=f"Stack {result.stack_name} — {result.status}")
    for col in ("logical id", "type", "status", "physical id"):
        table.add_column(col, overflow="fold")
    for r in result.resources:
        table.add_row(r.logical_id, r.type, r.status, r.physical_id)
    console.print(table)
    if result.outputs:
        console.print("[bold]Outputs[/bold]")
        for k, v in sorted(result.outputs.items()):
            console.print(f"  {k} = {v}")
    for line in result.failures:
        console.print(f"[red]✗ {line}[/red]")
    if result.skipped:
        console.print(f"[yellow]{len(result.skipped)} resource(s) were not deployed (see above).[/yellow]")


def _make_target(
    target: str,
    endpoint_url: str | None,
    region: str,
    profile: str | None,
    template_bucket: str | None = None,
) -> Any:
    from cloudwright.errors import InputError

    if endpoint_url:
        from cloudwright.deploy.emulator import EndpointTarget

        return EndpointTarget(endpoint_url, region)
    if target == "aws":
        from cloudwright.deploy.aws import AwsTarget

        return AwsTarget(region, profile=profile, template_bucket=template_bucket)
    if target == "emulator":
        from cloudwright.deploy.emulator import EmulatorTarget

        return EmulatorTarget(region)
    raise InputError("unknown deploy target", field="--target", value=target, allowed=["emulator", "aws"])


def deploy_with_progress(
    template: str,
    stack_name: str,
    *,
    target: str = "emulator",
    endpoint_url: str | None = None,
    serve: bool = False,
    port: int = 0,
    region: str = "us-east-1",
    profile: str | None = None,
    parameters: Mapping[str, str] | None = None,
    yes: bool = False,
    as_json: bool = False,
    template_bucket: str | None = None,
) -> StackResult:
    """Deploy with a live status line; prints the plan, the stack's resources and outputs."""
    console = _console()
    server = None
    probed: DeployPlan | None = None
    if serve:
        from cloudwright.deploy.emulator import EmulatorTarget, EndpointTarget, LocalServer

        # Learn in-process what the emulator cannot create, then serve the rest on 127.0.0.1.
        with console.status("Checking what the emulator can create…"), EmulatorTarget(region) as probe:
            probed = probe.probe(template, stack_name, parameters)
        template = probed.template
        server = LocalServer(port)
        url = server.start()
        tgt: Any = EndpointTarget(url, region)
        tgt.name = "emulator server"
    else:
        tgt = _make_target(target, endpoint_url, region, profile, template_bucket)
    try:
        announced: set[str] = set()
        if tgt.name == "emulator" and not as_json:
            # Say up front what the emulator cannot create (read from the installed moto).
            first = tgt.plan(template, stack_name, parameters)
            _print_plan(console, first)
            announced = {s.logical_id for s in first.skipped} | set(first.adjustments) | {""}

        def confirm(plan: DeployPlan) -> bool:
            if probed is not None:
                plan.skipped, plan.unsupported_types = probed.skipped, probed.unsupported_types
                plan.adjustments = probed.adjustments
            if announced:  # only what was learned while deploying
                plan.unsupported_types = []
                plan.skipped = [s for s in plan.skipped if s.logical_id not in announced]
                plan.adjustments = [a for a in plan.adjustments if a not in announced]
            if not as_json and (plan.skipped or plan.adjustments or not announced):
                _print_plan(console, plan)
            if tgt.name != "aws":
                return True
            _print_change_table(console, plan)
            if yes:
                return True
            import typer

            status.stop()
            try:
                return bool(typer.confirm(f"Create these resources in AWS ({region})?", default=False))
            finally:
                status.start()

        with console.status(f"Deploying {stack_name} to {tgt.name}…") as status:

            def progress(line: str) -> None:
                status.update(f"Deploying {stack_name}: {line}")
                if not as_json:
                    console.print(f"  [dim]{line}[/dim]")

            result: StackResult = tgt.deploy(
                template, stack_name, parameters, confirm=confirm, progress=progress
            )
        if probed is not None:
            result.skipped = list(probed.skipped)
        print_result(result, as_json=as_json)
        if server is not None and result.ok:
            console.print(
                f"\nThe emulator is serving at [bold]{server.url}[/bold] (region {region}). Try:\n"
                f"  aws --endpoint-url {server.url} cloudformation describe-stacks "
                f"--stack-name {stack_name}\n"
                f"  cloudwright destroy --endpoint-url {server.url} --stack-name {stack_name}\n"
                "Press Ctrl-C to stop it (its state is lost when it stops)."
            )
            try:
                _wait_forever()
            except KeyboardInterrupt:
                console.print("stopping the emulator")
        elif tgt.name == "emulator" and not as_json:
            console.print(
                "[dim]The in-process emulator stops with this command. Use --serve to keep the stack running "
                "and reach it with the AWS CLI or `cloudwright destroy --endpoint-url …`.[/dim]"
            )
        return result
    finally:
        close = getattr(tgt, "close", None)
        if close is not None:
            close()
        if server is not None:
            server.stop()


def _wait_forever() -> None:
    while True:
        time.sleep(1)


def destroy_with_progress(
    stack_name: str,
    *,
    target: str = "endpoint",
    endpoint_url: str | None = None,
    region: str = "us-east-1",
    profile: str | None = None,
    yes: bool = False,
) -> StackResult:
    console = _console()
    if target == "emulator" or (target == "endpoint" and not endpoint_url):
        raise DeployError(
            "the in-process emulator keeps no stack after `cloudwright deploy` exits; deploy with --serve "
            "and destroy with --endpoint-url, or use --target aws"
        )
    tgt = _make_target(target, endpoint_url, region, profile)
    if tgt.name == "aws" and not yes:
        import typer

        if not typer.confirm(f"Delete stack {stack_name} and its resources in {region}?", default=False):
            raise DeployError("destroy cancelled")
    with console.status(f"Deleting {stack_name}…") as status:
        result: StackResult = tgt.destroy(
            stack_name, progress=lambda line: status.update(f"Deleting: {line}")
        )
    console.print(f"Stack {stack_name}: {result.status}")
    return result


# --------------------------------------------------------------------------------------------------
# import
# --------------------------------------------------------------------------------------------------
def write_import(design: Design, out: Path) -> list[Path]:
    """Write the imported design (JSON) and its re-rendered template(s) to ``out``."""
    from cloudwright.render.cloudformation import render_templates

    out.mkdir(parents=True, exist_ok=True)
    written = []
    path = out / "design.json"
    path.write_text(
        json.dumps(design.model_dump(mode="json"), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    written.append(path)
    for filename, text in render_templates(design).items():
        p = out / filename
        p.write_text(text, encoding="utf-8")
        written.append(p)
    estimate, review = price_and_review(design)
    for name, obj in (("estimate.json", estimate), ("review.json", review)):
        p = out / name
        p.write_text(
            json.dumps(obj.to_dict(), indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
        )
        written.append(p)
    return written


def price_and_review(design: Design) -> tuple[Any, Any]:
    """Price and review an imported design exactly as a generated one."""
    from cloudwright.pricing.engine import price_design
    from cloudwright.review.engine import review_design

    estimate = price_design(design)
    return estimate, review_design(design, estimate=estimate)


def print_import(
    design: Design, written: list[Path], *, as_json: bool = False, priced: tuple[Any, Any] | None = None
) -> None:
    """Summarise an imported design; ``priced`` is its ``price_and_review`` when already computed."""
    console = _console()
    if as_json:
        console.print_json(json.dumps(design.model_dump(mode="json")))
        return
    from rich.table import Table

    table = Table(title=f"{design.name}: {len(design.resources)} resources, {len(design.edges)} edges")
    for col in ("type", "count", "tiers"):
        table.add_column(col)
    by_type: dict[str, list[str]] = {}
    for r in design.resources:
        by_type.setdefault(r.type, []).append(r.placement.tier)
    for t in sorted(by_type):
        table.add_row(t, str(len(by_type[t])), ", ".join(sorted(set(by_type[t]))))
    console.print(table)
    if design.parameters:
        console.print("Parameters: " + ", ".join(sorted(design.parameters)))
    estimate, review = priced or price_and_review(design)
    console.print(f"Estimated monthly cost: ${estimate.monthly_usd:,.2f} (environment {design.environment})")
    if estimate.unsupported_types:
        console.print("Not priced: " + ", ".join(estimate.unsupported_types))
    counts = Counter(f.severity for f in review.findings)
    console.print(
        "Review: "
        + (", ".join(f"{n} {sev}" for sev, n in sorted(counts.items())) or "no findings")
        + " — run `cloudwright review` / `cloudwright estimate` on the template for the full reports"
    )
    for p in written:
        console.print(f"wrote {p}")
