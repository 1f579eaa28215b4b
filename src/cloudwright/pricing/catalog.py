"""The price catalogue: dated, sourced price rows resolved offline by :class:`PriceQuery`.

Two layers:

* the built-in snapshot, ``cloudwright/data/prices/aws/<snapshot-date>/<region>/<ServiceCode>.yaml``
  (us-east-1, transcribed from AWS pricing pages, AWS-owned repositories and AWS Price List derived
  figures; every row names its source and date);
* imported AWS Price List offer files (``cloudwright prices import``), stored under
  ``$CLOUDWRIGHT_HOME/prices/aws/<region>/<ServiceCode>.json``. Imported rows for a service and region
  replace the built-in rows for that service and region.

A query must match exactly one row. No row → the estimate line says "price unknown"; more than one row
→ :class:`~cloudwright.errors.AmbiguousPrice` (a catalogue bug, caught by the meta-tests).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
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
    _index: dict[tuple[str, str], list[PriceRow]] = field(default_factory=dict, repr=False)
    #: Query → matching rows, shared by every estimate priced from this catalogue (cleared on reindex).
    _matches: dict[PriceQuery, list[PriceRow]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self._index = {}
        self._matches = {}
        for row in self.rows:
            self._index.setdefault((row.servicecode, row.region), []).append(row)

    def candidates(self, query: PriceQuery) -> list[PriceRow]:
        hit = self._matches.get(query)
        if hit is None:
            hit = [
                r
                for r in self._index.get((query.servicecode, query.region), [])
                if query.matches(r.servicecode, r.region, r.attributes)
            ]
            self._matches[query] = hit
        return list(hit)

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
            rows.append(
                PriceRow(
                    sku=raw["sku"],
                    servicecode=doc["servicecode"],
                    region=doc["region"],
                    product_family=raw.get("productFamily", ""),
                    attributes={"productFamily": raw.get("productFamily", ""), **raw.get("attributes", {})},
                    unit=raw.get("unit", ""),
                    tiers=tuple(
                        Tier(D(t["begin"]), None if t["end"] is None else D(t["end"]), D(t["usd"]))
                        for t in raw["tiers"]
                    ),
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


#: Loaded catalogues keyed by the imported price files they were built from (path, size, mtime): a
#: catalogue is read-only once built, so every estimate of a run shares one and its query lookups.
_LOADED: dict[tuple[Any, ...], Catalog] = {}


def _imported_key(home: Path) -> tuple[Any, ...]:
    root = imported_dir(home)
    if not root.is_dir():
        return (str(root),)
    files = []
    for path in sorted(root.glob("*/*.json")):
        try:
            st = path.stat()
        except OSError:
            continue
        files.append((str(path), st.st_size, st.st_mtime_ns))
    return (str(root), *files)


def load_catalog(home: str | os.PathLike[str] | None = None, *, include_imported: bool = True) -> Catalog:
    rows, date = builtin_rows()
    key = (date, _imported_key(home_dir(home)) if include_imported else None)
    hit = _LOADED.get(key)
    if hit is not None:
        return hit
    imported = load_imported(home_dir(home)) if include_imported else []
    catalog = Catalog(rows=merge(rows, imported), snapshot_date=date)
    _LOADED.clear()  # keep only the current catalogue
    _LOADED[key] = catalog
    return catalog
