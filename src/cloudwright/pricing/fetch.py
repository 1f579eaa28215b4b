"""``cloudwright prices fetch``: download AWS Price List bulk files into dated local snapshots.

The public Price List needs no credentials. For each service it reads the offer index
(``/offers/v1.0/aws/index.json``), the service's ``region_index.json`` and, for each requested Region,
the offer file (JSON, or the CSV form with ``fmt="csv"``). Offer files are large (EC2's run to
hundreds of MB), so they are streamed to disk and parsed incrementally (``ijson`` for JSON, the
``csv`` module for CSV) through an on-disk SQLite staging table: memory stays bounded whatever the
file size.

Snapshots live under the user cache directory (``platformdirs``; ``$CLOUDWRIGHT_CACHE`` overrides)::

    <cache>/prices/snapshots/<offerCode>/<region>/<publicationDate>/rows.jsonl + meta.json

A snapshot is built in a staging folder and renamed into place only when complete, so an interrupted
or failed fetch never replaces (or half-writes) a good snapshot. Estimates use the newest complete
snapshot of a service and Region, then the built-in catalogue; each line's source names which.

This module is the only one that touches the network.
"""

from __future__ import annotations

import csv
import http.client
import json
import os
import shutil
import sqlite3
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from cloudwright.errors import CloudwrightError, InputError
from cloudwright.pricing import offer_checks as chk

DEFAULT_SOURCE_URL = "https://pricing.us-east-1.amazonaws.com"
INDEX_PATH = "/offers/v1.0/aws/index.json"
CHUNK = 1 << 16
TIMEOUT_S = 60


class FetchError(CloudwrightError):
    """The Price List could not be downloaded or read (one line, exit status 2)."""

    exit_code = 2


class Progress(Protocol):
    """What fetch reports while it works (the CLI draws a rich progress bar from it)."""

    def start(self, label: str, total_bytes: int | None) -> None: ...

    def advance(self, nbytes: int = 0, rows: int = 0) -> None: ...

    def done(self) -> None: ...


class _Quiet:
    def start(self, label: str, total_bytes: int | None) -> None:
        pass

    def advance(self, nbytes: int = 0, rows: int = 0) -> None:
        pass

    def done(self) -> None:
        pass


@dataclass(frozen=True)
class Snapshot:
    offer_code: str
    region: str
    publication_date: str
    version: str
    rows: int
    path: Path
    source_url: str = ""


@dataclass
class FetchResult:
    snapshots: list[Snapshot] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- where snapshots live ------------------------------------------------------------------------------


def cache_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The user cache directory: ``override`` > ``$CLOUDWRIGHT_CACHE`` > platformdirs' user cache dir."""
    if override:
        return Path(override)
    env = os.environ.get("CLOUDWRIGHT_CACHE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("cloudwright"))


def snapshots_root(cache: Path) -> Path:
    return cache / "prices" / "snapshots"


def _folder_name(publication: str) -> str:
    """``2025-03-01T00:00:00Z`` → ``20250301T000000Z`` (sortable, no ':' in paths)."""
    return publication.replace("-", "").replace(":", "").split(".")[0].rstrip("Z") + "Z"


def list_snapshots(cache: Path) -> list[Snapshot]:
    """Every complete snapshot (a folder with ``meta.json``), sorted by service, Region and date."""
    root = snapshots_root(cache)
    out: list[Snapshot] = []
    if not root.is_dir():
        return out
    for meta_path in sorted(root.glob("*/*/*/meta.json")):
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            out.append(
                Snapshot(
                    offer_code=chk.identifier(meta["offerCode"], str(meta_path)),
                    region=chk.region_code(meta["region"], str(meta_path)),
                    publication_date=chk.publication_date(meta["publicationDate"], str(meta_path)),
                    version=str(meta.get("version", "")),
                    rows=int(meta.get("rows", 0)),
                    path=meta_path.parent,
                    source_url=str(meta.get("sourceUrl", "")),
                )
            )
        except (OSError, ValueError, KeyError, TypeError, InputError):
            continue  # an unreadable snapshot is ignored; the previous or built-in prices apply
    return sorted(out, key=lambda s: (s.offer_code, s.region, s.publication_date))


def newest_snapshots(cache: Path, region: str) -> dict[str, Snapshot]:
    """The newest complete snapshot of each service for ``region``."""
    newest: dict[str, Snapshot] = {}
    for snap in list_snapshots(cache):
        if snap.region == region:
            newest[snap.offer_code] = snap  # sorted by date: the last one wins
    return newest


def read_snapshot_rows(snap: Snapshot) -> Iterator[dict[str, Any]]:
    with open(snap.path / "rows.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


# --- downloading ----------------------------------------------------------------------------------------


def _url(base: str, path: str) -> str:
    return base.rstrip("/") + path


def _open(url: str) -> Any:
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https"):
        raise InputError("unsupported URL scheme", field="--source-url", value=url, allowed="http, https")
    try:
        return urllib.request.urlopen(url, timeout=TIMEOUT_S)  # the scheme is checked above
    except urllib.error.HTTPError as exc:
        raise FetchError(f"the Price List answered HTTP {exc.code} for {url}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"cannot reach the Price List at {url}: {reason}") from None


def _get_json(url: str) -> Any:
    with _open(url) as resp:
        data = resp.read(64 << 20)  # index files are small; refuse absurd ones
    try:
        return json.loads(data)
    except ValueError:
        raise FetchError(f"{url} is not valid JSON") from None


def _download(url: str, target: Path, progress: Progress, label: str) -> None:
    """Stream ``url`` to ``target``; a short read (connection dropped) is an error, never a partial file."""
    with _open(url) as resp, open(target, "wb") as out:
        length = resp.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        progress.start(label, total)
        got = 0
        try:
            while True:
                chunk = resp.read(CHUNK)
                if not chunk:
                    break
                out.write(chunk)
                got += len(chunk)
                progress.advance(nbytes=len(chunk))
        except (OSError, ValueError, http.client.HTTPException) as exc:  # e.g. IncompleteRead
            raise FetchError(f"download of {url} was interrupted after {got} bytes ({exc})") from None
        if total is not None and got != total:
            raise FetchError(f"download of {url} was interrupted after {got} of {total} bytes")


# --- parsing (streaming, bounded memory) ---------------------------------------------------------------


class _Stage:
    """On-disk staging of products and on-demand price dimensions (SQLite in the staging folder)."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE products (sku TEXT PRIMARY KEY, family TEXT, attrs TEXT)")
        self.db.execute(
            "CREATE TABLE dims (sku TEXT, term TEXT, begin TEXT, end_ TEXT, usd TEXT, unit TEXT, descr TEXT)"
        )

    def product(self, sku: str, family: str, attrs: dict[str, str]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO products VALUES (?, ?, ?)",
            (sku, family, json.dumps(attrs, sort_keys=True)),
        )

    def dim(self, sku: str, term: str, d: dict[str, Any]) -> None:
        end = None if d["end"] is None else str(d["end"])
        self.db.execute(
            "INSERT INTO dims VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sku, term, str(d["begin"]), end, str(d["usd"]), d["unit"], d["description"]),
        )

    def rows(self) -> Iterator[dict[str, Any]]:
        """One row per product with on-demand prices: its first term's dimensions as tiers."""
        cur = self.db.execute(
            "SELECT p.sku, p.family, p.attrs, d.term, d.begin, d.end_, d.usd, d.unit, d.descr "
            "FROM dims d JOIN products p ON p.sku = d.sku ORDER BY p.sku, d.term, CAST(d.begin AS REAL)"
        )
        current: dict[str, Any] | None = None
        term = ""
        for sku, family, attrs, t, begin, end, usd, unit, descr in cur:
            if current is None or current["sku"] != sku:
                if current is not None:
                    yield current
                current = {"sku": sku, "productFamily": family, "attributes": json.loads(attrs), "unit": unit}
                current["tiers"] = []
                term = t
            if t != term:
                continue  # a second on-demand term for one SKU: the first (sorted) one is used
            current["tiers"].append({"begin": begin, "end": end, "usd": usd, "description": descr})
        if current is not None:
            yield current

    def close(self) -> None:
        self.db.commit()
        self.db.close()


def parse_json_offer(path: Path, stage: _Stage, progress: Progress, where: str) -> dict[str, str]:
    """Stream a JSON offer file into ``stage``; returns its header (offerCode, version, publicationDate)."""
    import ijson

    header: dict[str, str] = {}
    keys = ("offerCode", "version", "publicationDate", "formatVersion")
    with open(path, "rb") as fh:
        try:
            for prefix, event, value in ijson.parse(fh, use_float=False):
                if prefix in keys and event == "string":
                    header[prefix] = value
                    if len(header) == len(keys):
                        break
        except ijson.JSONError as exc:
            raise FetchError(f"{where}: the offer file is not valid JSON ({exc})") from None
    with open(path, "rb") as fh:
        try:
            for sku, product in ijson.kvitems(fh, "products", use_float=False):
                p = chk.mapping(product, f"{where}: products.{sku}")
                chk.identifier(sku, f"{where}: products")
                stage.product(
                    sku,
                    str(p.get("productFamily", "")),
                    chk.attributes(p.get("attributes", {}), f"{where}: products.{sku}.attributes"),
                )
                progress.advance(rows=1)
        except ijson.JSONError as exc:
            raise FetchError(f"{where}: the offer file is not valid JSON ({exc})") from None
    with open(path, "rb") as fh:
        try:
            for sku, terms in ijson.kvitems(fh, "terms.OnDemand", use_float=False):
                chk.identifier(sku, f"{where}: terms.OnDemand")
                for term_code, term in sorted(chk.mapping(terms, f"{where}: terms.OnDemand.{sku}").items()):
                    chk.identifier(term_code, f"{where}: terms.OnDemand.{sku}")
                    t = chk.mapping(term, f"{where}: terms.OnDemand.{sku}.{term_code}")
                    dims = chk.mapping(t.get("priceDimensions", {}), f"{where}: {term_code}.priceDimensions")
                    for rate_code, dim in dims.items():
                        chk.identifier(rate_code, f"{where}: {term_code}.priceDimensions")
                        stage.dim(sku, term_code, chk.price_dimension(dim, f"{where}: {rate_code}"))
        except ijson.JSONError as exc:
            raise FetchError(f"{where}: the offer file is not valid JSON ({exc})") from None
    return header


#: CSV column → JSON attribute name, where the camel-cased header differs from the JSON name.
CSV_ATTRIBUTE_NAMES = {
    "Product Family": "productFamily",
    "serviceCode": "servicecode",
    "usageType": "usagetype",
    "CapacityStatus": "capacitystatus",
    "Pre Installed S/W": "preInstalledSw",
    "Region Code": "regionCode",
}
CSV_TERM_COLUMNS = {
    "SKU",
    "OfferTermCode",
    "RateCode",
    "TermType",
    "PriceDescription",
    "EffectiveDate",
    "StartingRange",
    "EndingRange",
    "Unit",
    "PricePerUnit",
    "Currency",
    "RelatedTo",
    "LeaseContractLength",
    "PurchaseOption",
    "OfferingClass",
}


def csv_attribute_name(header: str) -> str:
    """``"Instance Type"`` → ``instanceType``; irregular names from :data:`CSV_ATTRIBUTE_NAMES`."""
    if header in CSV_ATTRIBUTE_NAMES:
        return CSV_ATTRIBUTE_NAMES[header]
    words = [w for w in header.replace("/", " ").split() if w]
    if len(words) == 1:
        return words[0][0].lower() + words[0][1:]
    return words[0].lower() + "".join(w[:1].upper() + w[1:] for w in words[1:])


def parse_csv_offer(path: Path, stage: _Stage, progress: Progress, where: str) -> dict[str, str]:
    """Stream a CSV offer file (5 metadata lines, a header, one row per price dimension) into ``stage``."""
    header: dict[str, str] = {}
    names = {
        "FormatVersion": "formatVersion",
        "OfferCode": "offerCode",
        "Version": "version",
        "Publication Date": "publicationDate",
    }
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        columns: list[str] = []
        for row in reader:
            if len(row) == 2 and row[0] in names | {"Disclaimer": ""}:
                if row[0] in names:
                    header[names[row[0]]] = row[1]
                continue
            columns = row
            break
        if "SKU" not in columns or "PricePerUnit" not in columns:
            raise FetchError(f"{where}: not an AWS Price List CSV offer file (no SKU/PricePerUnit header)")
        idx = {c: i for i, c in enumerate(columns)}
        attr_cols = [(i, csv_attribute_name(c)) for i, c in enumerate(columns) if c not in CSV_TERM_COLUMNS]
        for n, row in enumerate(reader, start=1):
            if len(row) != len(columns):
                raise FetchError(f"{where}: row {n} has {len(row)} columns, the header has {len(columns)}")
            if row[idx["TermType"]] != "OnDemand":
                continue
            if "Currency" in idx and row[idx["Currency"]] != "USD":
                continue
            sku = chk.identifier(row[idx["SKU"]], f"{where}: row {n} SKU")
            attrs = {name: row[i] for i, name in attr_cols if row[i] != ""}
            family = attrs.pop("productFamily", "")
            stage.product(sku, family, attrs)
            term = chk.identifier(row[idx["OfferTermCode"]], f"{where}: row {n} OfferTermCode")
            dim = chk.price_dimension(
                {
                    "beginRange": row[idx["StartingRange"]] or "0",
                    "endRange": row[idx["EndingRange"]] or "Inf",
                    "pricePerUnit": {"USD": row[idx["PricePerUnit"]]},
                    "unit": row[idx["Unit"]],
                    "description": row[idx["PriceDescription"]],
                },
                f"{where}: row {n}",
            )
            stage.dim(sku, term, dim)
            progress.advance(rows=1)
    return header


# --- the fetch --------------------------------------------------------------------------------------


def _default_services() -> list[str]:
    """The service codes the built-in catalogue prices (what cost models query)."""
    from cloudwright.pricing.catalog import builtin_rows

    return sorted({r.servicecode for r in builtin_rows()[0]})


def fetch(
    regions: Iterable[str],
    services: Iterable[str] = (),
    *,
    source_url: str = DEFAULT_SOURCE_URL,
    fmt: str = "json",
    cache: Path | None = None,
    progress: Progress | None = None,
) -> FetchResult:
    """Download the offer files of ``services`` (default: all that cloudwright prices) for ``regions``."""
    from cloudwright import regions as region_registry

    prog = progress or _Quiet()
    if fmt not in ("json", "csv"):
        raise InputError("unknown offer file format", field="--format", value=fmt, allowed=("json", "csv"))
    wanted_regions = sorted(set(regions))
    if not wanted_regions:
        raise InputError("name at least one Region", field="--region", allowed="e.g. --region eu-west-1")
    for r in wanted_regions:
        if not region_registry.is_known(r):
            raise InputError("unknown Region", field="--region", value=r, allowed="an AWS Region code")
    wanted_services = sorted({chk.identifier(s, "--service") for s in services}) or _default_services()
    root = cache or cache_dir()
    base = source_url.rstrip("/")

    index = _get_json(_url(base, INDEX_PATH))
    offers = chk.mapping(chk.mapping(index, "offer index").get("offers", {}), "offer index: offers")
    unknown = [s for s in wanted_services if s not in offers]
    if unknown:
        raise InputError(
            "not a Price List service code", field="--service", value=unknown[0], allowed=sorted(offers)[:50]
        )
    result = FetchResult()
    staging_root = snapshots_root(root).parent / ".staging"
    staging_root.mkdir(parents=True, exist_ok=True)
    for service in wanted_services:
        entry = chk.mapping(offers[service], f"offer index: offers.{service}")
        region_index_path = chk.url_path(
            entry.get("currentRegionIndexUrl"), f"{service}.currentRegionIndexUrl"
        )
        region_index = _get_json(_url(base, region_index_path))
        available = chk.mapping(
            chk.mapping(region_index, f"{service} region index").get("regions", {}), f"{service} regions"
        )
        for region in wanted_regions:
            if region not in available:
                result.warnings.append(
                    f"{service} has no offer file for {region} (not sold there, or global)"
                )
                continue
            item = chk.mapping(available[region], f"{service} regions.{region}")
            offer_path = chk.url_path(item.get("currentVersionUrl"), f"{service} {region}.currentVersionUrl")
            if fmt == "csv" and offer_path.endswith(".json"):
                offer_path = offer_path[: -len(".json")] + ".csv"
            result.snapshots.append(
                _fetch_one(base, offer_path, service, region, fmt, root, staging_root, prog)
            )
    return result


def _fetch_one(
    base: str,
    offer_path: str,
    service: str,
    region: str,
    fmt: str,
    root: Path,
    staging_root: Path,
    progress: Progress,
) -> Snapshot:
    url = _url(base, offer_path)
    where = f"{service} {region}"
    stage_dir = Path(tempfile.mkdtemp(prefix=f"{service}-{region}-", dir=staging_root))
    try:
        raw = stage_dir / f"offer.{fmt}"
        _download(url, raw, progress, f"{service} {region}")
        stage = _Stage(stage_dir / "stage.sqlite")
        try:
            parse = parse_json_offer if fmt == "json" else parse_csv_offer
            header = parse(raw, stage, progress, where)
            offer_code = chk.identifier(header.get("offerCode", ""), f"{where}: offerCode")
            if offer_code != service:
                raise FetchError(f"{where}: the offer file is for {offer_code}, not {service}")
            published = chk.publication_date(header.get("publicationDate", ""), f"{where}: publicationDate")
            version = header.get("version", "")
            snap_dir = stage_dir / "snapshot"
            snap_dir.mkdir()
            count = 0
            with open(snap_dir / "rows.jsonl", "w", encoding="utf-8") as out:
                for row in stage.rows():
                    reg = row["attributes"].get("regionCode", region)
                    if reg != region:
                        continue
                    out.write(json.dumps(row, sort_keys=True) + "\n")
                    count += 1
        finally:
            stage.close()
        raw.unlink()
        meta = {
            "offerCode": offer_code,
            "region": region,
            "publicationDate": published,
            "version": version,
            "rows": count,
            "sourceUrl": url,
            "format": fmt,
        }
        (snap_dir / "meta.json").write_text(
            json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        final = snapshots_root(root) / offer_code / region / _folder_name(published)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():  # the same publication fetched again: swap atomically, old copy removed after
            old = stage_dir / "previous"
            os.replace(final, old)
            os.replace(snap_dir, final)
        else:
            os.replace(snap_dir, final)
        progress.done()
        return Snapshot(offer_code, region, published, version, count, final, url)
    finally:
        shutil.rmtree(stage_dir, ignore_errors=True)


def snapshot_rows_to_catalog(snap: Snapshot) -> list[Any]:
    """Catalogue rows of a snapshot (origin ``fetched``; source names the offer, version and SKU)."""
    from cloudwright.pricing.catalog import PriceRow
    from cloudwright.pricing.tiers import Tier

    rows = []
    for raw in read_snapshot_rows(snap):
        attrs = dict(raw["attributes"])
        rows.append(
            PriceRow(
                sku=raw["sku"],
                servicecode=snap.offer_code,
                region=snap.region,
                product_family=raw.get("productFamily", ""),
                attributes={"productFamily": raw.get("productFamily", ""), **attrs},
                unit=raw.get("unit", ""),
                tiers=tuple(
                    Tier(
                        Decimal(t["begin"]),
                        None if t["end"] is None else Decimal(t["end"]),
                        Decimal(t["usd"]),
                    )
                    for t in raw["tiers"]
                ),
                source=(
                    f"AWS Price List {snap.offer_code} offer v{snap.version} (fetched snapshot "
                    f"{snap.publication_date[:10]}), SKU {raw['sku']}"
                ),
                effective_date=snap.publication_date[:10],
                origin=f"fetched {snap.publication_date[:10]}",
            )
        )
    return rows


__all__ = [
    "DEFAULT_SOURCE_URL",
    "FetchError",
    "FetchResult",
    "Snapshot",
    "cache_dir",
    "fetch",
    "list_snapshots",
    "newest_snapshots",
    "snapshot_rows_to_catalog",
]
