"""The pricing commands' helpers: check the flags, price, and format for the terminal (``estimate``,
``prices show``, ``prices snapshots`` and the ``prices fetch`` progress bar). The library they call is in
:mod:`cloudwright.pricing`."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from cloudwright.errors import InputError
from cloudwright.pricing.catalog import load_catalog
from cloudwright.pricing.engine import PricingOptions, price_design
from cloudwright.pricing.pricebook import load_price_book
from cloudwright.pricing.render import RENDERERS
from cloudwright.pricing.services import rows_for
from cloudwright.pricing.template import load_template
from cloudwright.pricing.usage import check_usage_keys, load_usage_file
from cloudwright.units import FREE_TIER_CHOICES


def run_estimate(
    template: Path,
    usage_file: Path | None,
    region: str | None,
    free_tier: str,
    price_book: Path | None,
    hours_per_month: float,
    fmt: str,
    parameters: dict[str, str] | None = None,
    commitment: str | None = None,
) -> tuple[str, list[str]]:
    if fmt not in RENDERERS:
        raise InputError("unknown format", field="--format", value=fmt, allowed=sorted(RENDERERS))
    if free_tier not in FREE_TIER_CHOICES:
        raise InputError(
            "unknown free-tier mode", field="--free-tier", value=free_tier, allowed=FREE_TIER_CHOICES
        )
    if not math.isfinite(hours_per_month):
        raise InputError(
            "not a finite number", field="--hours-per-month", value=hours_per_month, allowed="(0, 745]"
        )
    if region is not None:
        from cloudwright.inputs import check_region

        region = check_region(region, field="--region")
    from cloudwright import progress

    with progress.task("Reading the template"):
        design = load_template(template, region=region, parameters=parameters)
    usage = load_usage_file(usage_file) if usage_file else None
    warnings = [*design.warnings, *check_usage_keys(design, usage)]
    options = PricingOptions(
        free_tier=free_tier,
        hours_per_month=hours_per_month,
        price_book=load_price_book(price_book) if price_book else None,
        usage=usage,
        region=region,
        commitment=commitment,
    )
    with progress.task(f"Pricing {len(design.resources):,} resources"):
        est = price_design(design, options)
    with progress.task(f"Laying out the estimate ({fmt})"):
        text = RENDERERS[fmt](est)
    return text, warnings + est.warnings


def show_prices(what: str, region: str, home: Path | None, fmt: str, cache: Path | None = None) -> str:
    catalog = load_catalog(home, cache=cache)
    rows = sorted(rows_for(what, region, catalog), key=lambda r: (r.servicecode, r.sku))
    if not rows:
        return (
            f"no catalogue rows for {what} in {region} "
            f"(run `cloudwright prices fetch --region {region}` or import an offer file to add them)\n"
        )
    if fmt == "json":
        return json.dumps([r.to_dict() for r in rows], indent=2) + "\n"
    lines = [f"{what} — {region} — catalogue {catalog.snapshot_date}"]
    for r in rows:
        if r.price_unknown:
            price = "price unknown" + (f" ({r.note})" if r.note else "")
        else:
            price = "; ".join(_tier_text(t) for t in r.tiers)
            price += f" per {r.unit}"
        flag = "" if r.verified else " (unverified price)"
        lines.append(f"- {r.servicecode} {r.sku}: {price}{flag}")
        lines.append(f"    source: {r.source} · date: {r.effective_date} · {r.origin}")
    return "\n".join(lines) + "\n"


def _tier_text(t: object) -> str:
    from cloudwright.pricing.tiers import Tier

    assert isinstance(t, Tier)
    from cloudwright.units import unit_price

    usd = unit_price(t.usd, none="unknown")
    if t.begin == 0 and t.end is None:
        return usd
    end = "" if t.end is None else f"{t.end:f}"
    return f"[{t.begin:f}-{end}] {usd}"


def show_snapshots(cache: Path | None, fmt: str) -> str:
    """The built-in catalogue's date and every fetched Price List snapshot, with its publication date."""
    from cloudwright.pricing.catalog import builtin_rows, regional_regions
    from cloudwright.pricing.fetch import cache_dir, list_snapshots

    root = cache_dir(cache)
    snaps = list_snapshots(root)
    if fmt == "json":
        return (
            json.dumps(
                [
                    {
                        "offerCode": s.offer_code,
                        "region": s.region,
                        "publicationDate": s.publication_date,
                        "version": s.version,
                        "rows": s.rows,
                        "path": str(s.path),
                    }
                    for s in snaps
                ],
                indent=2,
            )
            + "\n"
        )
    lines = [
        f"built-in: us-east-1 snapshot {builtin_rows()[1]}; "
        f"regional tables for {len(regional_regions())} Regions",
        f"fetched snapshots in {root}:" if snaps else f"no fetched snapshots in {root}",
    ]
    for s in snaps:
        lines.append(f"- {s.offer_code} {s.region}: published {s.publication_date}, {s.rows} rows")
    return "\n".join(lines) + "\n"


class RichFetchProgress:
    """A rich progress bar for ``prices fetch``: bytes downloaded, then rows parsed, per offer file."""

    def __init__(self) -> None:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("{task.fields[rows]:,} rows"),
            transient=False,
        )
        self._task: Any = None
        self._rows = 0

    def __enter__(self) -> RichFetchProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def start(self, label: str, total_bytes: int | None) -> None:
        self._rows = 0
        self._task = self._progress.add_task(label, total=total_bytes, rows=0)

    def advance(self, nbytes: int = 0, rows: int = 0) -> None:
        if self._task is None:
            return
        self._rows += rows
        self._progress.update(self._task, advance=nbytes, rows=self._rows)

    def done(self) -> None:
        self._task = None
