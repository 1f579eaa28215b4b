"""Import official AWS Price List bulk offer files (``index.json``) into the local catalogue.

Offer file shape (AWS Price List bulk API)::

    {"formatVersion": "v1.0", "offerCode": "AWSLambda", "version": "20250101000000",
     "publicationDate": "2025-01-01T00:00:00Z",
     "products": {"<sku>": {"sku": "...", "productFamily": "...", "attributes": {"regionCode": "us-east-1",
                            "usagetype": "...", ...}}},
     "terms": {"OnDemand": {"<sku>": {"<sku>.<offerTermCode>": {"priceDimensions": {"<rateCode>": {
               "unit": "Hrs", "beginRange": "0", "endRange": "Inf", "pricePerUnit": {"USD": "0.045"},
               "description": "..."}}}}}}}

Each on-demand product becomes one catalogue row (its price dimensions become tiers), stored per
region as ``<home>/prices/aws/<region>/<offerCode>.json`` with the file's ``publicationDate``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cloudwright.errors import InputError
from cloudwright.pricing.catalog import imported_dir

REQUIRED = ("formatVersion", "offerCode", "version", "publicationDate", "products", "terms")

#: Offer codes and SKUs are identifiers (``AmazonEC2``, ``awskms``, ``JRTCKXETXF``); they become parts of
#: file names, so nothing else (no ``/``, ``..`` or spaces) is accepted.
_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,63}$")
_SKU_RE = re.compile(r"^[A-Za-z0-9]{1,64}$")
_TEXT_MAX = 1000
#: Largest on-demand price per unit accepted, USD. The dearest on-demand rates AWS lists are hundreds of
#: dollars per hour; a per-unit price above this is a corrupt file, and would overflow the formatter.
MAX_PRICE_USD = Decimal(1_000_000)
#: Largest tier boundary accepted (units per month); beyond it only ``Inf`` is meaningful.
MAX_RANGE = Decimal(10) ** 15


@dataclass(frozen=True)
class ImportResult:
    offer_code: str
    publication_date: str
    rows_by_region: dict[str, int]
    files: list[Path]
    skipped: int


def _decimal(value: Any, where: str, *, allow_inf: bool = False, maximum: Decimal = MAX_RANGE) -> Decimal:
    """A finite number from 0 to ``maximum`` (``Inf`` too where ``allow_inf``); else an InputError."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InputError("not a number in offer file", field=where, value=value, allowed="a number ≥ 0")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InputError(
            "not a number in offer file", field=where, value=value, allowed="a number ≥ 0"
        ) from None
    if number.is_infinite() and allow_inf and number > 0:
        return number
    if not number.is_finite() or number < 0 or number > maximum:
        raise InputError(
            "prices and ranges must be finite numbers from 0 to the limit",
            field=where,
            value=value,
            allowed=f"a number ≥ 0 and ≤ {maximum:,f}",
        )
    return number


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(
            "has the wrong shape in offer file", field=where, value=type(value).__name__, allowed="an object"
        )
    return value


def _text(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError("must be text in offer file", field=where, value=type(value).__name__)
    text = str(value)
    if len(text) > _TEXT_MAX:
        raise InputError(f"is longer than {_TEXT_MAX} characters in offer file", field=where, value=text)
    return text


def _code(value: Any, where: str, pattern: re.Pattern[str], what: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise InputError(
            f"not a valid {what} (codes are identifiers, never paths)",
            field=where,
            value=value,
            allowed="letters and digits" + (", starting with a letter" if pattern is _CODE_RE else ""),
        )
    return value


def parse_offer(doc: Any, source: str = "offer file", region: str | None = None) -> dict[str, dict[str, Any]]:
    """Offer document → ``{region: catalogue document}``. Every part is shape- and range-checked."""
    from cloudwright.inputs import check_region

    if not isinstance(doc, dict):
        raise InputError("an AWS Price List offer file is a JSON object", field=source)
    missing = [k for k in REQUIRED if k not in doc]
    if missing:
        raise InputError(
            "not an AWS Price List offer file (missing keys)",
            field=source,
            value=missing[0],
            allowed=REQUIRED,
        )
    offer_code = _code(doc["offerCode"], "offerCode", _CODE_RE, "offer code")
    header = {k: _text(doc[k], k) for k in ("version", "publicationDate", "formatVersion")}
    default_region = check_region(region, field="--region") if region is not None else None
    products = _mapping(doc["products"], "products")
    terms = _mapping(doc["terms"], "terms")
    on_demand = _mapping(terms.get("OnDemand") or {}, "terms.OnDemand")
    out: dict[str, dict[str, Any]] = {}
    for sku in sorted(products):
        where = f"products.{sku}"
        _code(sku, where, _SKU_RE, "SKU")
        product = _mapping(products[sku], where)
        attrs = {
            _text(k, f"{where}.attributes"): _text(v, f"{where}.attributes.{k}")
            for k, v in _mapping(product.get("attributes") or {}, f"{where}.attributes").items()
        }
        if "regionCode" in attrs:
            reg: str | None = check_region(attrs["regionCode"], field=f"{where}.attributes.regionCode")
            attrs["regionCode"] = str(reg)
        else:
            reg = default_region
        terms_of_sku = _mapping(on_demand.get(sku) or {}, f"terms.OnDemand.{sku}")
        if not reg or not terms_of_sku:
            continue
        term_code = sorted(terms_of_sku)[0]
        term = _mapping(terms_of_sku[term_code], f"terms.OnDemand.{sku}.{term_code}")
        dims_where = f"terms.OnDemand.{sku}.{term_code}.priceDimensions"
        dims = _mapping(term.get("priceDimensions") or {}, dims_where)
        parsed = []
        for rate, d in dims.items():
            dw = f"{dims_where}.{rate}"
            d = _mapping(d, dw)
            begin = _decimal(d.get("beginRange", "0"), f"{dw}.beginRange")
            end_raw = d.get("endRange", "Inf")
            end = _decimal(end_raw, f"{dw}.endRange", allow_inf=True)
            if end < begin:
                raise InputError("endRange is below beginRange", field=f"{dw}.endRange", value=end_raw)
            usd = _mapping(d.get("pricePerUnit") or {}, f"{dw}.pricePerUnit").get("USD")
            if usd is None:
                continue
            price = _decimal(usd, f"{dw}.pricePerUnit.USD", maximum=MAX_PRICE_USD)
            parsed.append((begin, end, price, _text(d.get("unit", ""), f"{dw}.unit"), d))
        tiers = []
        unit = ""
        for begin, end, price, dim_unit, d in sorted(parsed, key=lambda t: t[0]):
            unit = dim_unit or unit
            tiers.append(
                {
                    "begin": str(begin),
                    "end": None if end.is_infinite() else str(end),
                    "usd": str(price),
                    "description": _text(d.get("description", ""), f"{dims_where}.description"),
                }
            )
        if not tiers:
            continue
        cat = out.setdefault(
            reg,
            {
                "servicecode": offer_code,
                "offerCode": offer_code,
                "region": reg,
                **header,
                "source": source,
                "rows": [],
            },
        )
        cat["rows"].append(
            {
                "sku": sku,
                "productFamily": _text(product.get("productFamily", ""), f"{where}.productFamily"),
                "attributes": attrs,
                "unit": unit,
                "tiers": tiers,
            }
        )
    return out


def import_offer_file(path: str | Path, home: Path, region: str | None = None) -> ImportResult:
    """Validate an offer file and write its rows, one file per Region, inside the data folder (atomically)."""
    from cloudwright.inputs import parse_json, read_input
    from cloudwright.outputs import write_file

    p = Path(path)
    text = read_input(p, what="offer file", field="offer file")
    doc = parse_json(text, source=str(p), field="offer file")
    by_region = parse_offer(doc, source=p.name, region=region)
    if not by_region:
        raise InputError("the offer file has no on-demand prices for any region", field=str(path))
    root = imported_dir(home).resolve()
    files = []
    for reg, cat in sorted(by_region.items()):
        target = (root / reg / f"{cat['offerCode']}.json").resolve()
        if not target.is_relative_to(root):  # codes are identifiers, so this cannot happen; belt and braces
            raise InputError("offer file names a path outside the data folder", field="offerCode")
        write_file(target, json.dumps(cat, indent=1, sort_keys=True) + "\n", field="--home")
        files.append(target)
    total = len(doc["products"])
    kept = sum(len(c["rows"]) for c in by_region.values())
    return ImportResult(
        offer_code=str(doc["offerCode"]),
        publication_date=str(doc["publicationDate"]),
        rows_by_region={k: len(v["rows"]) for k, v in sorted(by_region.items())},
        files=files,
        skipped=total - kept,
    )
