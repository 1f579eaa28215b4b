"""Checks for AWS Price List data read from outside (offer files, region indexes, the offer index).

Shared by ``cloudwright prices fetch`` and ``cloudwright prices import``: every value that becomes a
path part, a number or a catalogue row passes through here first.

* codes (offer/service codes, Region codes, SKUs, rate codes) are identifiers, never paths;
* prices and ranges are finite decimals ≥ 0 (``"Inf"`` only as an upper range bound);
* a publication date is an ISO date-time (it names a snapshot folder);
* products, attributes and terms have the shapes the Price List documents.

Every failure is an :class:`~cloudwright.errors.InputError` naming where the value was, the value and
what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from cloudwright.errors import InputError

#: Offer codes, SKUs, rate codes, term codes: letters, digits, '.', '_', '-'; no path separators.
_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
#: Region codes as the Price List writes them (``us-east-1``, ``us-west-2-lax-1``, ``ap-northeast-1``).
_REGION = re.compile(r"^[a-z]{2}(-[a-z0-9]+){1,4}$")
_PUBLICATION = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
#: A URL path on the pricing host (region index and offer file locations in the index files).
_URL_PATH = re.compile(r"^/[A-Za-z0-9._/-]+$")

MAX_PRICE = Decimal("1e9")


def identifier(value: Any, where: str) -> str:
    """An offer code, SKU or term code: an identifier, never a path."""
    if not isinstance(value, str) or not _IDENT.match(value) or ".." in value:
        raise InputError(
            "not an identifier", field=where, value=value, allowed="letters, digits, '.', '_', '-' (no paths)"
        )
    return value


def region_code(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _REGION.match(value):
        raise InputError("not a Region code", field=where, value=value, allowed="e.g. us-east-1")
    return value


def publication_date(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _PUBLICATION.match(value):
        raise InputError(
            "not a publication date",
            field=where,
            value=value,
            allowed="ISO date-time, e.g. 2025-03-01T00:00:00Z",
        )
    return value


def url_path(value: Any, where: str) -> str:
    """A location on the pricing host given by an index file: an absolute path without ``..``."""
    if not isinstance(value, str) or not _URL_PATH.match(value) or ".." in value:
        raise InputError("not a Price List path", field=where, value=value, allowed="/offers/v1.0/…")
    return value


def price(value: Any, where: str) -> Decimal:
    """A price: a finite decimal, 0 ≤ price ≤ 1e9."""
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InputError("not a number", field=where, value=value, allowed="a decimal ≥ 0") from exc
    if not d.is_finite() or d < 0 or d > MAX_PRICE:
        raise InputError("price out of range", field=where, value=value, allowed="a finite decimal, 0 to 1e9")
    return d


def range_bound(value: Any, where: str, *, upper: bool) -> Decimal | None:
    """A tier bound: a finite decimal ≥ 0; ``"Inf"`` (upper bound only) → ``None``."""
    if upper and str(value) == "Inf":
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InputError(
            "not a range bound", field=where, value=value, allowed="a decimal ≥ 0 or Inf"
        ) from exc
    if not d.is_finite() or d < 0:
        raise InputError("range bound out of range", field=where, value=value, allowed="a finite decimal ≥ 0")
    return d


def mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(
            "expected an object", field=where, value=type(value).__name__, allowed="a JSON object"
        )
    return value


def attributes(value: Any, where: str) -> dict[str, str]:
    """Product attributes: a mapping of names to strings (numbers are kept as their text)."""
    out: dict[str, str] = {}
    for k, v in mapping(value, where).items():
        if not isinstance(k, str) or not k:
            raise InputError("attribute names are strings", field=where, value=k)
        if isinstance(v, bool) or not isinstance(v, str | int | float):
            raise InputError("attribute values are strings", field=f"{where}.{k}", value=v)
        out[k] = str(v)
    return out


def price_dimension(value: Any, where: str) -> dict[str, Any]:
    """One on-demand price dimension → ``{begin, end, usd, unit, description}`` (checked)."""
    d = mapping(value, where)
    per_unit = mapping(d.get("pricePerUnit", {}), f"{where}.pricePerUnit")
    if "USD" not in per_unit:
        raise InputError("no USD price", field=f"{where}.pricePerUnit", value=sorted(per_unit), allowed="USD")
    begin = range_bound(d.get("beginRange", "0"), f"{where}.beginRange", upper=False)
    end = range_bound(d.get("endRange", "Inf"), f"{where}.endRange", upper=True)
    if begin is not None and end is not None and end < begin:
        raise InputError("endRange is below beginRange", field=where, value=f"{begin}–{end}")
    unit = d.get("unit", "")
    desc = d.get("description", "")
    if not isinstance(unit, str) or not isinstance(desc, str):
        raise InputError("unit and description are strings", field=where)
    return {
        "begin": begin or Decimal(0),
        "end": end,
        "usd": price(per_unit["USD"], f"{where}.pricePerUnit.USD"),
        "unit": unit,
        "description": desc,
    }
