"""Rich terminal rendering of the report sections and of one pattern."""

from __future__ import annotations

import re
from typing import Any

from cloudwright.render.sections import Block, build_sections, review_sections
from cloudwright.result import DesignResult

#: Sections printed in the terminal (the full set is in report.md / report.html).
_TERMINAL = (
    "summary",
    "why",
    "services",
    "estimate",
    "budget",
    "disaster-recovery",
    "tradeoffs",
    "network",
    "review",
    "checklist",
)
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def _markup(text: str) -> str:
    from rich.markup import escape

    out = escape(str(text))
    out = _CODE.sub(r"[cyan]\1[/cyan]", out)
    return _BOLD.sub(r"[bold]\1[/bold]", out)


#: Longest table cell printed in the terminal (the files carry the full text).
_CELL_LIMIT = 240


def _clip(text: str) -> str:
    return text if len(text) <= _CELL_LIMIT else text[: _CELL_LIMIT - 1].rstrip() + "…"


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def print_report(result: DesignResult, *, brief: bool = False) -> None:
    from rich.rule import Rule

    console = _console()
    wanted = ("summary", "budget") if brief else _TERMINAL
    for section in build_sections(result, review_sections=review_sections(result)):
        if section.id not in wanted:
            continue
        console.print(Rule(f"[bold]{section.title}[/bold]", align="left"))
        for block in section.blocks:
            _print_block(console, block)
    if not brief:
        console.print(
            "[dim]Roadmap, diagram, assumptions: see the full report (-o DIR, --format markdown|html).[/dim]"
        )


def _print_block(console: Any, b: Block) -> None:
    from rich.table import Table

    if b.title:
        console.print(f"[bold]{_markup(b.title)}[/bold]")
    if b.kind in ("p", "note"):
        console.print(_markup(b.text))
    elif b.kind in ("list", "checklist"):
        mark = "☐" if b.kind == "checklist" else "•"
        for item in b.items:
            console.print(f"  {mark} {_markup(item)}")
    elif b.kind == "table":
        table = Table(show_header=any(b.headers), header_style="bold", expand=False)
        for h in b.headers:
            table.add_column(h, overflow="fold")
        for row in b.rows:
            table.add_row(*(_markup(_clip(c)) for c in row))
        console.print(table)
    elif b.kind == "raw":
        from rich.markdown import Markdown

        console.print(Markdown(b.markdown))
    console.print()


def print_pattern(pattern: Any) -> None:
    console = _console()
    console.print(f"[bold]{_markup(pattern.name)}[/bold] ([cyan]{pattern.id}[/cyan])")
    console.print(_markup(pattern.summary))
    console.print()

    def bullets(title: str, items: list[str]) -> None:
        if items:
            console.print(f"[bold]{title}[/bold]")
            for item in items:
                console.print(f"  • {_markup(item)}")
            console.print()

    bullets("Fits when", list(pattern.fits_when))
    bullets("Use cases", list(pattern.use_cases))
    bullets("Not for", list(pattern.not_for))
    console.print("[bold]Components[/bold] (service, purpose, alternative considered and why this one)")
    for c in pattern.components:
        console.print(
            f"  • [bold]{_markup(c.role or c.builder)}[/bold]: {_markup(c.service)} — {_markup(c.purpose)}"
        )
        if c.alternative:
            console.print(f"      alternative considered: {_markup(c.alternative)}")
        if c.why:
            console.print(f"      why this one: {_markup(c.why)}")
    console.print()
    bullets("Pros", list(pattern.pros))
    bullets("Cons", list(pattern.cons))
    if pattern.scale is not None:
        s = pattern.scale
        bullets(
            "Scale",
            [
                f"users {s.users[0]:,.0f} – {s.users[1]:,.0f}",
                f"peak requests/s {s.peak_rps[0]:,.0f} – {s.peak_rps[1]:,.0f}",
                f"source: {s.source}",
            ],
        )
    bullets("Scaling limits", [f"{x.limit} (source: {x.source})" for x in pattern.scaling_limits])
    if pattern.availability is not None:
        a = pattern.availability
        bullets("Availability", [f"up to {a.max_target}%: {a.basis} (source: {a.source})"])
    if pattern.operational_burden is not None:
        ob = pattern.operational_burden
        bullets(
            "Operational burden", [f"{ob.level}: team of {ob.min_team_size}+, {ob.min_experience}; {ob.note}"]
        )
    bullets("Traceability", list(pattern.seeds) + ([pattern.traceability] if pattern.traceability else []))
