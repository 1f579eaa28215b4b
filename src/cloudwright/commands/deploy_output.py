"""Terminal output for validate / deploy / destroy / import (rich), kept out of the command bodies and
out of the library: :mod:`cloudwright.deploy` and :mod:`cloudwright.validate` return results, this module
shows them."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cloudwright.deploy.target import DeployPlan, StackResult, Template, as_template, make_target
from cloudwright.design.model import Design
from cloudwright.errors import DeployError
from cloudwright.units import usd
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
        _print_json(report.to_dict())
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
        _print_json(result.to_dict())
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


def deploy_with_progress(
    template: str | Template,
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
    """Deploy with a live status line; prints the plan, the stack's resources and outputs. A template
    given as text is parsed once here; a :class:`Template` is not parsed again."""
    from cloudwright.deploy.target import environment_errors

    console = _console()
    holder: dict[str, Any] = {}
    if serve:
        _check_port(port)
    where = endpoint_url or ("AWS" if target == "aws" else "the emulator")

    def leftover() -> str | None:
        tgt = holder.get("target")
        stack = getattr(tgt, "created_stack", None)
        if tgt is None or not stack:
            return None
        if tgt.name == "aws":
            how = f"cloudwright destroy --target aws --region {region} --stack-name {stack}"
        elif endpoint_url:
            how = f"cloudwright destroy --endpoint-url {endpoint_url} --stack-name {stack}"
        else:
            return None  # the in-process emulator and --serve keep nothing once the command ends
        return f"stack {stack} may be left on {tgt.name}; remove it with: {how}"

    with environment_errors(where, leftover=leftover):
        result = _deploy_body(
            console,
            template,
            stack_name,
            holder,
            target=target,
            endpoint_url=endpoint_url,
            serve=serve,
            port=port,
            region=region,
            profile=profile,
            parameters=parameters,
            yes=yes,
            as_json=as_json,
            template_bucket=template_bucket,
        )
    hint = None if result.ok else leftover()
    if hint and not as_json:
        console.print(
            f"[yellow]The deploy failed (CloudFormation rolled its resources back); {hint}[/yellow]"
        )
    return result


def _check_port(port: int) -> None:
    """Refuse a busy or impossible --port at once (the emulator server would otherwise wait for it)."""
    import socket

    from cloudwright.errors import HostError, InputError

    if not 0 <= port <= 65535:
        raise InputError("not a TCP port", field="--port", value=port, allowed="0 (any free port) to 65535")
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise HostError(
                f"--port {port}: 127.0.0.1:{port} is not free ({exc.strerror}); pick another port or 0"
            ) from None


def _deploy_body(
    console: Any,
    template: str | Template,
    stack_name: str,
    holder: dict[str, Any],
    *,
    target: str,
    endpoint_url: str | None,
    serve: bool,
    port: int,
    region: str,
    profile: str | None,
    parameters: Mapping[str, str] | None,
    yes: bool,
    as_json: bool,
    template_bucket: str | None,
) -> StackResult:
    server = None
    probed: DeployPlan | None = None
    template = as_template(template, source=stack_name)
    if serve:
        from cloudwright.deploy.emulator import EmulatorTarget, EndpointTarget, LocalServer

        # Learn in-process what the emulator cannot create, then serve the rest on 127.0.0.1.
        with (
            _status(console, "Checking what the emulator can create…", shown=not as_json),
            EmulatorTarget(region) as probe,
        ):
            probed = probe.probe(template, stack_name, parameters)
        template = as_template(probed.source(), source=stack_name)
        server = LocalServer(port)
        url = server.start()
        tgt: Any = EndpointTarget(url, region)
        tgt.name = "emulator server"
    else:
        tgt = make_target(target, endpoint_url, region, profile, template_bucket)
    holder["target"] = tgt
    try:
        announced: set[str] = set()
        if tgt.name == "emulator" and not as_json:
            # Say up front what the emulator cannot create (read from the installed moto).
            with _status(console, "Checking what the emulator can create…"):
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

        with _status(console, f"Deploying {stack_name} to {tgt.name}…", shown=not as_json) as status:

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


class _NoStatus:
    """A status line that shows nothing (for JSON output)."""

    def update(self, *args: object, **kwargs: object) -> None:
        return None

    def start(self) -> None:
        return None

    def stop(self) -> None:
        return None

    def __enter__(self) -> _NoStatus:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _status(console: Any, text: str, *, shown: bool = True) -> Any:
    """rich's live status line on the terminal (a spinner and ``text``), or nothing when not ``shown``."""
    return console.status(text) if shown else _NoStatus()


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
    tgt = make_target(target, endpoint_url, region, profile)
    if tgt.name == "aws" and not yes:
        import typer

        if not typer.confirm(f"Delete stack {stack_name} and its resources in {region}?", default=False):
            raise DeployError("destroy cancelled")
    from cloudwright.deploy.target import environment_errors

    with (
        environment_errors(endpoint_url or "AWS"),
        console.status(f"Deleting {stack_name}…") as status,
    ):
        result: StackResult = tgt.destroy(
            stack_name, progress=lambda line: status.update(f"Deleting: {line}")
        )
    console.print(f"Stack {stack_name}: {result.status}")
    return result


# --------------------------------------------------------------------------------------------------
# import
# --------------------------------------------------------------------------------------------------
def _print_json(data: Any) -> None:
    """JSON on stdout, indented like rich's ``print_json`` but written directly: a large design's JSON
    (tens of MB at 10,000 resources) is not worth laying out as terminal text."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def print_import(
    design: Design, written: list[Path], *, as_json: bool = False, priced: tuple[Any, Any] | None = None
) -> None:
    """Summarise an imported design; ``priced`` is its ``price_and_review`` when already computed."""
    console = _console()
    if as_json:
        _print_json(design.model_dump(mode="json"))
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
    if priced is None:
        from cloudwright.pipeline import price_and_review

        priced = price_and_review(design)
    estimate, review = priced
    console.print(f"Estimated monthly cost: {usd(estimate.monthly_usd)} (environment {design.environment})")
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
