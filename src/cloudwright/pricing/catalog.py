"""The price catalogue: dated, sourced price rows resolved offline by :class:`PriceQuery`.

Three layers:

* the built-in snapshot, ``cloudwright/data/prices/aws/<snapshot-date>/<region>/<ServiceCode>.yaml``
  (us-east-1, transcribed from AWS pricing pages, AWS-owned repositories and AWS Price List derived
  figures; every row names its source and date);
* the built-in regional tables, ``cloudwright/data/prices/regional/<region>.csv`` (EC2, ElastiCache,
  RDS/Aurora, Lambda, data transfer and other Price List derived extracts, each row with its source tag
  and its own date; see ``regional/sources.yaml``). They are read lazily, one Region at a time, the
  first time a query names that Region. Where a regional row and a snapshot row describe the same
  product, the better one is kept (:func:`overlay`);
* imported AWS Price List offer files (``cloudwright prices import``), stored under
  ``$CLOUDWRIGHT_HOME/prices/aws/<region>/<ServiceCode>.json``, and fetched Price List snapshots
  (``cloudwright prices fetch``, :mod:`cloudwright.pricing.fetch`). Imported or fetched rows for a
  service and region replace the built-in rows for that service and region.

A query must match exactly one row. No row → the estimate line says "price unknown"; more than one row
→ :class:`~cloudwright.errors.AmbiguousPrice` (a catalogue bug, caught by the meta-tests).
"""

from __future__ import annotations

import csv
import io
import json
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cloudwright.errors import AmbiguousPrice, CatalogError, InputError
from cloudwright.pricing.model import PriceQuery
from cloudwright.pricing.tiers import Tier
from cloudwright.units import D


@dataclass(frozen=True)
class PriceRow:
    sku: str
    servicecode: str
    region: str
    product_family: str
    attributes: dict[str, str]
    unit: str
    tiers: tuple[Tier, ...]
    source: str
    effective_date: str
    verified: bool = True
    #: The product exists but no reliable price was available: lines show "price unknown".
    price_unknown: bool = False
    note: str = ""
    origin: str = "built-in"

    @property
    def first_price(self) -> Decimal | None:
        return self.tiers[0].usd if self.tiers else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "servicecode": self.servicecode,
            "region": self.region,
            "productFamily": self.product_family,
            "attributes": dict(sorted(self.attributes.items())),
            "unit": self.unit,
            "tiers": [
                {
                    "begin": str(t.begin),
                    "end": None if t.end is None else str(t.end),
                    "usd": None if t.usd is None else str(t.usd),
                }
                for t in self.tiers
            ],
            "source": self.source,
            "effective_date": self.effective_date,
            "verified": self.verified,
            "price_unknown": self.price_unknown,
            "note": self.note,
            "origin": self.origin,
        }


@dataclass
class Catalog:
    rows: list[PriceRow] = field(default_factory=list)
    snapshot_date: str = ""
    #: Built-in rows for one Region, read the first time a query names it (None: ``rows`` is all there is).
    builtin: Callable[[str], Sequence[PriceRow]] | None = field(default=None, repr=False)
    #: The newest fetched snapshot of each service for one Region (``cloudwright prices fetch``).
    fetched: Callable[[str], dict[str, Any]] | None = field(default=None, repr=False)
    _index: dict[tuple[str, str], list[PriceRow]] = field(default_factory=dict, repr=False)
    _loaded: set[str] = field(default_factory=set, repr=False)
    _pending: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _snapshots: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    #: Query → matching rows, shared by every estimate priced from this catalogue (cleared on reindex).
    _matches: dict[PriceQuery, list[PriceRow]] = field(default_factory=dict, repr=False)
    #: (service, region) → (row count, origins of those rows): why a query has no row, memoised.
    _origins: dict[tuple[str, str], tuple[int, frozenset[str]]] = field(default_factory=dict, repr=False)
    #: Query → the pricing engine's resolution without a price book (row, tiers, source …): static for
    #: this catalogue, so shared by every estimate priced from it (cleared on reindex, like ``_matches``).
    resolved_memo: dict[PriceQuery, Any] = field(default_factory=dict, repr=False)
    #: One catalogue is shared by every estimate of a process (web server threads included) and loads
    #: Regions lazily: loading and the query memo are serialised.
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self._index = {}
        self._matches = {}
        self._origins = {}
        self.resolved_memo = {}
        for row in self.rows:
            self._index.setdefault((row.servicecode, row.region), []).append(row)

    def ensure(self, region: str) -> None:
        """Prepare ``region`` (once): its fetched snapshots (read on first use of each service), then the
        built-in rows of every service that no imported or fetched rows replace."""
        with self._lock:
            self._ensure(region)

    def _ensure(self, region: str) -> None:
        if region in self._loaded or (self.builtin is None and self.fetched is None):
            return
        self._loaded.add(region)
        if self.fetched is not None:
            for service, snap in sorted(self.fetched(region).items()):
                imported = [r for r in self._index.get((service, region), []) if r.origin == "imported"]
                if imported and max(r.effective_date for r in imported) > snap.publication_date[:10]:
                    continue  # a newer offer file was imported by hand
                self._pending[(service, region)] = snap
        if self.builtin is None:
            return
        replaced = {(r.servicecode, r.region) for r in self.rows if r.origin != "built-in"} | set(
            self._pending
        )
        for row in self.builtin(region):
            if (row.servicecode, row.region) in replaced:
                continue
            self.rows.append(row)
            self._index.setdefault((row.servicecode, row.region), []).append(row)

    def _load_pending(self, key: tuple[str, str]) -> None:
        snap = self._pending.pop(key, None)
        if snap is None:
            return
        from cloudwright.pricing.fetch import snapshot_rows_to_catalog

        rows = snapshot_rows_to_catalog(snap)
        self.rows = [r for r in self.rows if (r.servicecode, r.region) != key] + rows
        self._index[key] = list(rows)
        self._snapshots[key] = snap

    def committed_rate(self, row: PriceRow, term: str) -> tuple[Decimal, str] | None:
        """The effective hourly rate of ``row`` under a Reserved ``term`` from its fetched snapshot
        (upfront fee spread over the term's hours), with a source text; None when unknown."""
        snap = self._snapshots.get((row.servicecode, row.region))
        if snap is None or not term.startswith("ri-"):
            return None
        from cloudwright.pricing.fetch import snapshot_commitments

        rate = snapshot_commitments(snap).get((row.sku, term))
        if rate is None or rate.get("unit", "Hrs") not in ("Hrs", "Hours"):
            return None
        years = 1 if "-1y-" in term else 3
        hours = Decimal(8760 * years)
        effective = Decimal(rate["hourly"]) + Decimal(rate["upfront"]) / hours
        src = (
            f"AWS Price List {row.servicecode} Reserved {term} "
            f"(fetched snapshot {snap.publication_date[:10]}), SKU {row.sku}: "
            f"${rate['hourly']}/h + ${rate['upfront']} upfront over {int(hours):,} h"
        )
        return effective, src

    def candidates(self, query: PriceQuery) -> list[PriceRow]:
        hit = self._matches.get(query)
        if hit is None:
            with self._lock:
                self.ensure(query.region)
                self._load_pending((query.servicecode, query.region))
                hit = [
                    r
                    for r in self._index.get((query.servicecode, query.region), [])
                    if query.matches(r.servicecode, r.region, r.attributes)
                ]
                self._matches[query] = hit
        return list(hit)

    def service_origins(self, servicecode: str, region: str) -> frozenset[str]:
        """Where the rows of one service in one Region come from (``built-in``, ``imported``, fetched)."""
        with self._lock:
            self.ensure(region)
            self._load_pending((servicecode, region))
            rows = self._index.get((servicecode, region), [])
            hit = self._origins.get((servicecode, region))
            if hit is None or hit[0] != len(rows):
                hit = (len(rows), frozenset(r.origin for r in rows))
                self._origins[(servicecode, region)] = hit
            return hit[1]

    def region_rows(self, region: str) -> list[PriceRow]:
        with self._lock:
            self.ensure(region)
            for key in [k for k in self._pending if k[1] == region]:
                self._load_pending(key)
            return [r for r in self.rows if r.region == region]

    def resolve(self, query: PriceQuery) -> PriceRow | None:
        found = self.candidates(query)
        if len(found) > 1:
            skus = ", ".join(sorted(r.sku for r in found))
            raise AmbiguousPrice(f"{len(found)} price rows match {query.describe()}: {skus}")
        return found[0] if found else None

    def regions(self) -> list[str]:
        return sorted({r.region for r in self.rows})

    def services(self, region: str | None = None) -> list[str]:
        return sorted({r.servicecode for r in self.rows if region is None or r.region == region})


# --- loading ------------------------------------------------------------------------------------------


def home_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Where user data (imported prices) lives: ``override`` > ``$CLOUDWRIGHT_HOME`` > XDG data dir."""
    if override:
        return Path(override)
    env = os.environ.get("CLOUDWRIGHT_HOME")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "cloudwright"


def snapshot_root() -> Path:
    root = resources.files("cloudwright") / "data" / "prices" / "aws"
    return Path(str(root))


def latest_snapshot() -> Path:
    dates = sorted(p for p in snapshot_root().iterdir() if p.is_dir() and p.name[:1].isdigit())
    if not dates:  # pragma: no cover - packaging error
        raise InputError("no built-in price snapshot found")
    return dates[-1]


def load_sources(snapshot: Path) -> dict[str, dict[str, Any]]:
    doc = yaml.load((snapshot / "sources.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return dict(doc["sources"])


def parse_snapshot_file(path: Path, sources: dict[str, dict[str, Any]]) -> list[PriceRow]:
    doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return rows_from_snapshot_doc(doc, str(path.name), sources)


def rows_from_snapshot_doc(
    doc: dict[str, Any], name: str, sources: dict[str, dict[str, Any]]
) -> list[PriceRow]:
    service = doc["servicecode"]
    region = doc["region"]
    rows: list[PriceRow] = []
    for raw in doc.get("rows", []):
        tags = str(raw.get("source", "")).split("+")
        unknown = [t for t in tags if t not in sources]
        if unknown:
            raise ValueError(f"{name}: row {raw.get('sku')} has unknown source tag(s) {unknown}")
        srcs = [sources[t] for t in tags]
        src = srcs[0]
        rows.append(
            PriceRow(
                sku=raw["sku"],
                servicecode=service,
                region=region,
                product_family=raw.get("productFamily", ""),
                attributes={
                    "productFamily": str(raw.get("productFamily", "")),
                    **{k: str(v) for k, v in raw.get("attributes", {}).items()},
                },
                unit=raw.get("unit", ""),
                tiers=_tiers(raw),
                source="; ".join(f"{x['title']} <{x['url']}>" for x in srcs),
                effective_date=str(raw.get("effective_date", src["date"])),
                verified=bool(raw.get("verified", all(x.get("verified", True) for x in srcs))),
                price_unknown=bool(raw.get("price_unknown", False)),
                note=str(raw.get("note", "")),
            )
        )
    return rows


def _tiers(raw: dict[str, Any]) -> tuple[Tier, ...]:
    if raw.get("price_unknown"):
        return ()
    if "price" in raw:
        return (Tier(Decimal(0), None, D(raw["price"])),)
    out = []
    for begin, end, usd in raw["tiers"]:
        out.append(Tier(D(begin), None if end is None else D(end), None if usd is None else D(usd)))
    return tuple(out)


def imported_dir(home: Path) -> Path:
    return home / "prices" / "aws"


def load_imported(home: Path) -> list[PriceRow]:
    root = imported_dir(home)
    if not root.is_dir():
        return []
    rows: list[PriceRow] = []
    for path in sorted(root.glob("*/*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            raws = doc["rows"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CatalogError(
                f"imported price file {path} is unreadable ({exc}); re-run `cloudwright prices import`"
            ) from exc
        for raw in raws:
            tiers = tuple(
                Tier(D(t["begin"]), None if t["end"] is None else D(t["end"]), D(t["usd"]))
                for t in raw["tiers"]
            )
            if any(t.usd is None or not t.usd.is_finite() or t.usd < 0 for t in tiers):
                raise CatalogError(
                    f"imported price file {path} has a price that is not a finite number ≥ 0 "
                    f"(SKU {str(raw.get('sku'))[:64]}); delete the file and re-run "
                    "`cloudwright prices import`"
                )
            rows.append(
                PriceRow(
                    sku=raw["sku"],
                    servicecode=doc["servicecode"],
                    region=doc["region"],
                    product_family=raw.get("productFamily", ""),
                    attributes={"productFamily": raw.get("productFamily", ""), **raw.get("attributes", {})},
                    unit=raw.get("unit", ""),
                    tiers=tiers,
                    source=f"AWS Price List {doc['offerCode']} offer v{doc['version']}, SKU {raw['sku']}",
                    effective_date=doc["publicationDate"][:10],
                    origin="imported",
                )
            )
    return rows


def merge(builtin: Iterable[PriceRow], imported: Iterable[PriceRow]) -> list[PriceRow]:
    imported = list(imported)
    replaced = {(r.servicecode, r.region) for r in imported}
    return [r for r in builtin if (r.servicecode, r.region) not in replaced] + imported


@cache
def builtin_rows() -> tuple[tuple[PriceRow, ...], str]:
    snap = latest_snapshot()
    sources = load_sources(snap)
    rows: list[PriceRow] = []
    for path in sorted(snap.glob("*/*.yaml")):
        rows.extend(parse_snapshot_file(path, sources))
    return tuple(rows), snap.name


# --- built-in regional tables --------------------------------------------------------------------------


def regional_root() -> Path:
    return Path(str(resources.files("cloudwright") / "data" / "prices" / "regional"))


@cache
def regional_sources() -> dict[str, dict[str, Any]]:
    doc = yaml.load((regional_root() / "sources.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return dict(doc["sources"])


def regional_regions() -> list[str]:
    """Regions with a built-in regional table (file names only: nothing is parsed)."""
    return sorted(p.stem for p in regional_root().glob("*.csv"))


def parse_tiers(text: str) -> tuple[Tier, ...]:
    """``"0.107"`` or ``"0-10240:0.09|10240-:0.085"`` (an empty price is a tier whose price is unknown)."""
    if "|" not in text and ":" not in text:
        return (Tier(Decimal(0), None, D(text)),)
    out = []
    for part in text.split("|"):
        span, _, usd = part.partition(":")
        begin, _, end = span.partition("-")
        out.append(Tier(D(begin), D(end) if end else None, D(usd) if usd else None))
    return tuple(out)


@cache
def regional_rows(region: str) -> tuple[PriceRow, ...]:
    """The built-in regional table of ``region`` (empty when there is none)."""
    path = regional_root() / f"{region}.csv"
    if not path.is_file():
        return ()
    sources = regional_sources()
    rows = []
    for raw in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))):
        src = sources[raw["source"]]
        attrs = dict(kv.split("=", 1) for kv in raw["attributes"].split(";") if kv)
        rows.append(
            PriceRow(
                sku=raw["sku"],
                servicecode=raw["servicecode"],
                region=region,
                product_family=raw["productFamily"],
                attributes={"productFamily": raw["productFamily"], **attrs},
                unit=raw["unit"],
                tiers=parse_tiers(raw["tiers"]),
                source=f"{src['title']} <{src['url']}>",
                effective_date=raw["effective_date"],
                verified=raw["verified"] != "no" and bool(src.get("verified", True)),
                note=raw["note"],
            )
        )
    return tuple(rows)


def _priced_tiers(row: PriceRow) -> int:
    return sum(1 for t in row.tiers if t.usd is not None)


def _better(regional: PriceRow, snapshot: PriceRow) -> bool:
    """Whether a regional row should replace a snapshot row for the same product."""
    if snapshot.price_unknown:
        return True
    if [(t.begin, t.end, t.usd) for t in regional.tiers] == [(t.begin, t.end, t.usd) for t in snapshot.tiers]:
        return False  # the same figure: keep the snapshot's (usually the AWS page) source
    if snapshot.verified != regional.verified:
        return regional.verified
    if _priced_tiers(regional) != _priced_tiers(snapshot):
        return _priced_tiers(regional) > _priced_tiers(snapshot)
    return regional.effective_date > snapshot.effective_date


def overlay(snapshot: Sequence[PriceRow], regional: Sequence[PriceRow]) -> list[PriceRow]:
    """Snapshot rows plus regional rows; where both describe one product the better row is kept.

    A snapshot row describes the same product as a regional row when it carries every attribute of
    the regional row with the same value. The regional row wins when the snapshot row is price-unknown
    or unverified, has fewer priced tiers, or is older with a different figure; otherwise the snapshot
    row stays.
    """
    by_service: dict[str, list[PriceRow]] = {}
    for row in snapshot:
        by_service.setdefault(row.servicecode, []).append(row)
    dropped: set[int] = set()
    extra: list[PriceRow] = []
    for reg in regional:
        same = [
            s
            for s in by_service.get(reg.servicecode, [])
            if all(s.attributes.get(k) == v for k, v in reg.attributes.items() if k != "productFamily")
        ]
        if not same:
            extra.append(reg)
        elif all(_better(reg, s) for s in same):
            dropped.update(id(s) for s in same)
            extra.append(reg)
    return [r for r in snapshot if id(r) not in dropped] + extra


@cache
def builtin_region_rows(region: str) -> tuple[PriceRow, ...]:
    """Every built-in row for one Region: the snapshot's rows overlaid with the regional table's."""
    snapshot = [r for r in builtin_rows()[0] if r.region == region]
    return tuple(overlay(snapshot, regional_rows(region)))


#: Loaded catalogues keyed by the files they were built from (imported offer files and fetched snapshots:
#: path, size, mtime): a catalogue only grows from those sources, so every estimate of a run shares one
#: and its query lookups.
_LOADED: dict[tuple[Any, ...], Catalog] = {}
_LOADED_LOCK = threading.Lock()


def _files_key(root: Path, pattern: str) -> tuple[Any, ...]:
    if not root.is_dir():
        return (str(root),)
    files = []
    for path in sorted(root.glob(pattern)):
        try:
            st = path.stat()
        except OSError:
            continue
        files.append((str(path), st.st_size, st.st_mtime_ns))
    return (str(root), *files)


def load_catalog(
    home: str | os.PathLike[str] | None = None,
    *,
    include_imported: bool = True,
    cache: str | os.PathLike[str] | None = None,
) -> Catalog:
    """The catalogue: imported rows now; per Region on first use, the newest fetched snapshot of each
    service (``cloudwright prices fetch``), then the built-in rows. ``include_imported=False`` leaves out
    everything the user added (imports and fetched snapshots). Reused while those files are unchanged."""
    _rows, date = builtin_rows()
    key: tuple[Any, ...] = (date, None)
    if include_imported:
        from cloudwright.pricing.fetch import cache_dir, snapshots_root

        key = (
            date,
            _files_key(imported_dir(home_dir(home)), "*/*.json"),
            _files_key(snapshots_root(cache_dir(cache)), "*/*/*/*"),
        )
    with _LOADED_LOCK:
        hit = _LOADED.get(key)
        if hit is None:
            hit = _new_catalog(home, include_imported=include_imported, cache=cache)
            _LOADED.clear()  # keep only the current catalogue
            _LOADED[key] = hit
        return hit


def _new_catalog(
    home: str | os.PathLike[str] | None, *, include_imported: bool, cache: str | os.PathLike[str] | None
) -> Catalog:
    _rows, date = builtin_rows()
    imported = load_imported(home_dir(home)) if include_imported else []
    fetched = None
    if include_imported:
        from cloudwright.pricing.fetch import cache_dir, newest_snapshots

        root = cache_dir(cache)

        def fetched(region: str) -> dict[str, Any]:
            return dict(newest_snapshots(root, region))

    return Catalog(rows=list(imported), snapshot_date=date, builtin=builtin_region_rows, fetched=fetched)
