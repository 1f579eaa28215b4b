"""Estimate renderers: rich table, Markdown, JSON and CSV. Amounts are rounded here (half-up to cents)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from cloudwright.pricing.model import Estimate, LineItem, ResourceEstimate
from cloudwright.units import line_cost, plain_usd, quantity, unit_price, usd


def _qty(q: Decimal | None) -> str:
    return quantity(q)


def _price(p: Decimal | None) -> str:
    return unit_price(p)


def _cost(li: LineItem) -> str:
    return line_cost(li.status, li.monthly_usd)


def _header(est: Estimate) -> list[str]:
    lines = [
        f"Free tier: {est.free_tier} · hours per month: {est.hours_per_month} · catalogue: {est.catalog_date}"
        + (f" · price book: {est.price_book}" if est.price_book else ""),
    ]
    if est.unsupported_types:
        lines.append("Unsupported types (not priced, not in the total): " + ", ".join(est.unsupported_types))
    return lines


def _committed(li: LineItem) -> str:
    if not li.committed_note:
        return ""
    if li.committed_monthly_usd is None:
        return "rate unknown"
    return usd(li.committed_monthly_usd)


def _commitment_lines(est: Estimate) -> list[str]:
    if not est.commitment or est.committed_monthly_usd is None:
        return []
    from cloudwright.pricing.commitments import describe

    out = [
        "",
        f"Commitment what-if ({describe(est.commitment)}): {usd(est.committed_monthly_usd)} per month "
        f"vs {usd(est.monthly_usd)} on demand",
    ]
    if est.commitment_unknown_count:
        out.append(
            f"{est.commitment_unknown_count} eligible line(s) have no known committed rate and are "
            "counted at on-demand prices in the committed total."
        )
    return out


def _unpriced_lines(est: Estimate) -> list[str]:
    if est.complete:
        return []
    out = ["", "Partial total — resources without a price (not in the total):"]
    for u in est.unpriced:
        detail = "; ".join(u.lines) if u.lines else "no cost model for this type"
        out.append(f"- {u.logical_id} ({u.type}): {detail}")
    return out


def render_markdown(est: Estimate) -> str:
    out = [f"# Cost estimate: {est.name}", "", *(f"- {h}" for h in _header(est)), ""]
    committed = bool(est.commitment)
    if committed:
        out.append(
            "| Resource | Line item | Quantity | Unit | Unit price | Monthly | Committed | Source | Date "
            "| Note |"
        )
        out.append("|---|---|---:|---|---:|---:|---:|---|---|---|")
    else:
        out.append("| Resource | Line item | Quantity | Unit | Unit price | Monthly | Source | Date | Note |")
        out.append("|---|---|---:|---|---:|---:|---|---|---|")
    for r in est.resources:
        if not r.line_items:
            note = "; ".join(r.notes)
            pad = "| " if committed else ""
            out.append(
                f"| {r.logical_id} ({r.type}) | {r.classification} | | | | {usd(0)} | {pad}| | {note} |"
            )
            continue
        for i, li in enumerate(r.line_items):
            who = f"{r.logical_id} ({r.type})" if i == 0 else ""
            src = li.price_source.replace("|", "/")
            note = "; ".join(x for x in (li.note, li.committed_note) if x)
            commit_col = f"{_committed(li)} | " if committed else ""
            out.append(
                f"| {who} | {li.description} | {_qty(li.quantity)} | {li.unit} | {_price(li.unit_price)} | "
                f"{_cost(li)} | {commit_col}{src} | {li.price_date} | {note} |"
            )
    out += ["", f"**Total: {est.total_sentence}**"]
    if est.usage_unknown_count:
        out.append(f"\n{est.usage_unknown_count} line(s) depend on usage and are not in the total.")
    if est.price_unknown_count:
        out.append(f"\n{est.price_unknown_count} line(s) have no known price and are not in the total.")
    out += _commitment_lines(est)
    out += _unpriced_lines(est)
    return "\n".join(out) + "\n"


def render_json(est: Estimate) -> str:
    return json.dumps(est.to_dict(), indent=2, sort_keys=False) + "\n"


def render_csv(est: Estimate) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "logical_id",
            "type",
            "classification",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "monthly_usd",
            "status",
            "price_source",
            "price_date",
            "note",
        ]
    )
    for r in est.resources:
        if not r.line_items:
            empty = ["", "", "", "", plain_usd(0), "", "", "", "; ".join(r.notes)]
            w.writerow([r.logical_id, r.type, r.classification, *empty])
        for li in r.line_items:
            w.writerow(
                [
                    r.logical_id,
                    r.type,
                    r.classification,
                    li.description,
                    "" if li.quantity is None else f"{li.quantity:f}",
                    li.unit,
                    "" if li.unit_price is None else f"{li.unit_price:f}",
                    plain_usd(li.monthly_usd),
                    li.status,
                    li.price_source,
                    li.price_date,
                    li.note,
                ]
            )
    status = "complete" if est.complete else "incomplete"
    total = plain_usd(est.monthly_usd)
    w.writerow(["TOTAL", "", "", "", "", "", "", total, status, "", "", est.total_sentence])
    return buf.getvalue()


#: Above this many line items the terminal table shows one row per resource type (with counts and
#: subtotals) instead of one row per line item; above this many resources without a price or without a
#: charge, those lists are grouped by type too. Laying out a table of tens of thousands of rows took
#: most of a large estimate's time and is not readable; the other formats always list every line.
TERMINAL_ROWS = 200


def render_table(est: Estimate) -> str:
    """A rich table rendered to text (no colour codes, fixed width): one row per line item, or one row
    per resource type when there are more than :data:`TERMINAL_ROWS` line items."""
    from rich.console import Console

    line_count = sum(len(r.line_items) for r in est.resources)
    table = _grouped_table(est) if line_count > TERMINAL_ROWS else _line_table(est)
    console = Console(width=160, record=True, color_system=None, force_terminal=False)
    with console.capture() as cap:
        console.print(table)
        if line_count > TERMINAL_ROWS:
            console.print(
                f"{line_count:,} line items grouped by resource type; "
                "--format csv, json or markdown lists every line.",
                markup=False,
            )
        for h in _header(est):
            console.print(h)
        free = [r for r in est.resources if not r.line_items and r.classification != "unsupported"]
        if len(free) > TERMINAL_ROWS:
            console.print(f"No charge: {len(free):,} resources ({_by_type(free)})", markup=False)
        elif free:
            console.print(f"No charge: {', '.join(r.logical_id for r in free)}")
        console.print(f"Total: {est.total_sentence}", markup=False)
        for line in _commitment_lines(est):
            console.print(line, markup=False)
        unpriced = _unpriced_lines(est) if len(est.unpriced) <= TERMINAL_ROWS else _unpriced_groups(est)
        for line in unpriced:
            console.print(line, markup=False)
    return cap.get()


def _line_table(est: Estimate) -> Any:
    """One row per line item, the resource named on its first line."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Cost estimate: {est.name}", show_lines=False)
    for col, justify in (
        ("Resource", "left"),
        ("Line item", "left"),
        ("Quantity", "right"),
        ("Unit price", "right"),
        ("Monthly", "right"),
        *([("Committed", "right")] if est.commitment else []),
        ("Date", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in est.resources:
        if not r.line_items:
            continue
        for i, li in enumerate(r.line_items):
            desc = escape(li.description + (f" ({li.note})" if li.note else ""))
            table.add_row(
                f"{r.logical_id}\n[{r.type}]" if i == 0 else "",
                desc,
                f"{_qty(li.quantity)} {li.unit}".strip(),
                _price(li.unit_price),
                _cost(li),
                *([_committed(li)] if est.commitment else []),
                li.price_date,
            )
    return table


def _grouped_table(est: Estimate) -> Any:
    """One row per resource type: how many resources and line items, the monthly subtotal (and the
    committed one), the lines left out of the total and the price dates. Rows by subtotal, largest
    first; the subtotals add up to the total."""
    from rich.table import Table

    groups: dict[str, list[ResourceEstimate]] = {}
    for r in est.resources:
        if r.line_items:
            groups.setdefault(r.type, []).append(r)
    table = Table(title=f"Cost estimate: {est.name}", show_lines=False)
    for col, justify in (
        ("Resource type", "left"),
        ("Resources", "right"),
        ("Line items", "right"),
        ("Monthly", "right"),
        *([("Committed", "right")] if est.commitment else []),
        ("Not in the total", "left"),
        ("Dates", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    subtotals = {t: sum((r.monthly_usd for r in rs), Decimal(0)) for t, rs in groups.items()}
    for rtype in sorted(groups, key=lambda t: (-subtotals[t], t)):
        items = [li for r in groups[rtype] for li in r.line_items]
        usage_open = sum(1 for li in items if li.status == "usage-unknown")
        price_open = sum(1 for li in items if li.status == "price-unknown")
        left_out = [
            *([f"{usage_open:,} {_lines(usage_open, 'depends', 'depend')} on usage"] if usage_open else []),
            *([f"{price_open:,} {_lines(price_open, 'has', 'have')} no known price"] if price_open else []),
        ]
        dates = sorted({li.price_date for li in items if li.price_date})
        committed = sum(
            (
                li.committed_monthly_usd if li.committed_monthly_usd is not None else li.monthly_usd
                for li in items
                if li.monthly_usd is not None
            ),
            Decimal(0),
        )
        table.add_row(
            rtype,
            f"{len(groups[rtype]):,}",
            f"{len(items):,}",
            usd(subtotals[rtype]),
            *([usd(committed)] if est.commitment else []),
            "; ".join(left_out),
            dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}" if dates else "",
        )
    return table


def _lines(n: int, one: str, many: str) -> str:
    return f"line {one}" if n == 1 else f"lines {many}"


def _by_type(resources: list[ResourceEstimate]) -> str:
    """``"1,200 × AWS::IAM::Role, 3 × AWS::Logs::LogGroup"``: how many resources of each type."""
    counts = Counter(r.type for r in resources)
    return ", ".join(f"{n:,} × {t}" for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _unpriced_groups(est: Estimate) -> list[str]:
    """:func:`_unpriced_lines` grouped by type and what is missing, the first few resources named."""
    groups: dict[tuple[str, str], list[str]] = {}
    for u in est.unpriced:
        detail = "; ".join(u.lines) if u.lines else "no cost model for this type"
        groups.setdefault((u.type, detail), []).append(u.logical_id)
    out = ["", f"Partial total — {len(est.unpriced):,} resources without a price (not in the total):"]
    for (rtype, detail), ids in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        names = ", ".join(ids[:3]) + (f" … +{len(ids) - 3:,}" if len(ids) > 3 else "")
        out.append(f"- {len(ids):,} × {rtype} ({names}): {detail}")
    return out


RENDERERS: dict[str, Callable[[Estimate], str]] = {
    "table": render_table,
    "markdown": render_markdown,
    "json": render_json,
    "csv": render_csv,
}
