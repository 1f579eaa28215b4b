"""Estimate renderers: rich table, Markdown, JSON and CSV. Amounts are rounded here (half-up to cents)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal

from cloudwright.pricing.model import Estimate, LineItem
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


def render_table(est: Estimate) -> str:
    """A rich table rendered to text (no colour codes, fixed width)."""
    from rich.console import Console
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
    console = Console(width=160, record=True, color_system=None, force_terminal=False)
    with console.capture() as cap:
        console.print(table)
        for h in _header(est):
            console.print(h)
        free = [r.logical_id for r in est.resources if not r.line_items and r.classification != "unsupported"]
        if free:
            console.print(f"No charge: {', '.join(free)}")
        console.print(f"Total: {est.total_sentence}", markup=False)
        for line in _commitment_lines(est):
            console.print(line, markup=False)
        for line in _unpriced_lines(est):
            console.print(line, markup=False)
    return cap.get()


RENDERERS: dict[str, Callable[[Estimate], str]] = {
    "table": render_table,
    "markdown": render_markdown,
    "json": render_json,
    "csv": render_csv,
}
