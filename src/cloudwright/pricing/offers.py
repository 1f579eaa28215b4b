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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cloudwright.errors import InputError
from cloudwright.pricing.catalog import imported_dir

REQUIRED = ("formatVersion", "offerCode", "version", "publicationDate", "products", "terms")


@dataclass(frozen=True)
class ImportResult:
    offer_code: str
    publication_date: str
    rows_by_region: dict[str, int]
    files: list[Path]
    skipped: int


def _decimal(value: Any, where: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InputError("not a number in offer file", field=where, value=value) from exc


def parse_offer(doc: Any, source: str = "offer file", region: str | None = None) -> dict[str, dict[str, Any]]:
    """Offer document → ``{region: catalogue document}``."""
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
    on_demand = (doc.get("terms") or {}).get("OnDemand") or {}
    out: dict[str, dict[str, Any]] = {}
    for sku, product in sorted(doc["products"].items()):
        attrs = {str(k): str(v) for k, v in (product.get("attributes") or {}).items()}
        reg = attrs.get("regionCode") or region
        terms = on_demand.get(sku)
        if not reg or not terms:
            continue
        term = terms[sorted(terms)[0]]
        dims = list((term.get("priceDimensions") or {}).values())
        tiers = []
        unit = ""
        for d in sorted(dims, key=lambda d: _decimal(d.get("beginRange", "0"), f"{sku}.beginRange")):
            end = d.get("endRange", "Inf")
            usd = (d.get("pricePerUnit") or {}).get("USD")
            if usd is None:
                continue
            unit = d.get("unit", unit)
            tiers.append(
                {
                    "begin": str(_decimal(d.get("beginRange", "0"), f"{sku}.beginRange")),
                    "end": None if str(end) == "Inf" else str(_decimal(end, f"{sku}.endRange")),
                    "usd": str(_decimal(usd, f"{sku}.pricePerUnit.USD")),
                    "description": d.get("description", ""),
                }
            )
        if not tiers:
            continue
        cat = out.setdefault(
            reg,
            {
                "servicecode": doc["offerCode"],
                "offerCode": doc["offerCode"],
                "region": reg,
                "version": doc["version"],
                "publicationDate": doc["publicationDate"],
                "formatVersion": doc["formatVersion"],
                "source": source,
                "rows": [],
            },
        )
        cat["rows"].append(
            {
                "sku": sku,
                "productFamily": product.get("productFamily", ""),
                "attributes": attrs,
                "unit": unit,
                "tiers": tiers,
            }
        )
    return out


def import_offer_file(path: str | Path, home: Path, region: str | None = None) -> ImportResult:
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("offer file not found", field="offer file", value=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"offer file is not valid JSON: {exc}", field=str(path)) from exc
    by_region = parse_offer(doc, source=p.name, region=region)
    if not by_region:
        raise InputError("the offer file has no on-demand prices for any region", field=str(path))
    files = []
    for reg, cat in sorted(by_region.items()):
        target = imported_dir(home) / reg / f"{cat['offerCode']}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(cat, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        files.append(target)
    total = len(doc.get("products", {}))
    kept = sum(len(c["rows"]) for c in by_region.values())
    return ImportResult(
        offer_code=str(doc["offerCode"]),
        publication_date=str(doc["publicationDate"]),
        rows_by_region={k: len(v["rows"]) for k, v in sorted(by_region.items())},
        files=files,
        skipped=total - kept,
    )
