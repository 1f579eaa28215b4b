"""``cloudwright review`` on the terminal: a rich view of a :class:`~cloudwright.review.model.Review`,
grouped by pillar, then severity (the other formats are in :mod:`cloudwright.review.render`)."""

from __future__ import annotations

from typing import Any

from cloudwright.review.model import PILLAR_ORDER, Finding, Review, Severity
from cloudwright.review.render import availability_line, finding_delta, recovery_line
from cloudwright.units import signed_usd

_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def print_review(review: Review, console: Any = None) -> None:
    """Rich terminal output grouped by pillar, then severity."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    counts = review.counts()
    console.print(
        f"[bold]Review of {review.design_name}[/bold] ({review.environment}): "
        f"{len(review.findings)} findings — "
        + ", ".join(f"[{_STYLE[s.value]}]{counts[s.value]} {s.value}[/]" for s in Severity)
    )
    scores = Table(title="Pillar scores (0–100)", show_lines=False)
    for col in ("Pillar", "Score", "Passed", "Failed", "Unknown"):
        scores.add_column(col, justify="left" if col == "Pillar" else "right")
    for p in PILLAR_ORDER:
        s = review.scores.get(p.value)
        if s is not None:
            scores.add_row(
                p.title,
                "n/a" if s.score is None else str(s.score),
                str(s.passed),
                str(s.failed),
                str(s.unknown),
            )
    console.print(scores)
    for p in PILLAR_ORDER:
        mine = [f for f in review.findings if f.pillar == p]
        if not mine:
            continue
        if len(mine) > TERMINAL_ROWS:
            console.print(_grouped_table(p.title, mine))
            continue
        table = Table(title=p.title, show_lines=False, expand=True)
        table.add_column("Severity")
        table.add_column("Check")
        table.add_column("Resource")
        table.add_column("Finding")
        table.add_column("Cost delta", justify="right")
        for f in sorted(mine, key=Finding.sort_key):
            msg = f.message + (f" (expected: {f.expected_reason})" if f.expected_reason else "")
            table.add_row(
                f"[{_STYLE[f.severity.value]}]{f.severity.value}[/]",
                f.check_id,
                f.resource,
                msg,
                finding_delta(f),
            )
        console.print(table)
    console.print(availability_line(review))
    rec = recovery_line(review)
    if rec:
        console.print(rec)
    for q in review.quotas:
        if q.breach:
            console.print(
                f"[red]quota[/red] {q.service} — {q.name}: needs {q.needed:,.0f}, default "
                f"{q.default:,.0f}. {q.how_to_raise}"
            )
    for fw in review.compliance:
        summary = ", ".join(f"{n} {k}" for k, n in fw.counts.items())
        console.print(f"[bold]{fw.framework}[/bold] controls: {summary}")
    ext = review.external
    if ext is not None:
        console.print("External validators: " + (", ".join(ext.tools) if ext.ran else ext.error))
    for note in review.notes:
        console.print(f"[dim]{note}[/dim]")


#: Above this many findings in a pillar, the terminal groups them by check (one row per check); the
#: other formats always list every finding.
TERMINAL_ROWS = 200


def _grouped_table(title: str, findings: list[Finding]) -> Any:
    """One row per check: severity, how many resources, the first few, and the summed cost delta."""
    from decimal import Decimal

    from rich.table import Table

    groups: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=Finding.sort_key):
        groups.setdefault(f.check_id, []).append(f)
    table = Table(
        title=f"{title} — {len(findings)} findings grouped by check (--format markdown or json lists each)",
        show_lines=False,
        expand=True,
    )
    for col in ("Severity", "Check", "Resources", "Finding (first)", "Cost delta (sum)"):
        table.add_column(col, justify="right" if col.startswith("Cost") else "left")
    for check_id, group in groups.items():
        first = group[0]
        names = ", ".join(f.resource for f in group[:3]) + (f" … +{len(group) - 3}" if len(group) > 3 else "")
        known = [f.cost_delta_usd for f in group if f.cost_delta_usd is not None]
        total = sum(known, Decimal(0))
        delta = "" if not known else f"{signed_usd(total)}/mo"
        table.add_row(
            f"[{_STYLE[first.severity.value]}]{first.severity.value}[/]",
            check_id,
            f"{len(group)}: {names}",
            first.message,
            delta,
        )
    return table
