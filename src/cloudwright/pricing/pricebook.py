"""Price books: a user's negotiated or historical prices layered over the catalogue.

YAML::

    name: my-discounts
    description: EDP discount and a Savings Plan rate
    discounts:                      # percent off list price, per AWS service code
      AWSLambda: 10
    overrides:                      # replace a catalogue row's price (any region unless `region` is set)
      - sku: ec2-m5-large-linux     # a built-in row id (see `cloudwright prices show`), or
        # attributes: {usagetype: "BoxUsage:m5.large"}   # match on the row's attributes
        price: "0.060"              # or tiers: [[0, 50000, "0"], [50000, null, "0.0055"]]
        source: "Compute Savings Plan, 1 year, no upfront"
        date: "2026-01-01"

Overrides win over discounts; a line priced from a price book names the book and the entry's source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cloudwright.errors import InputError
from cloudwright.pricing.catalog import PriceRow
from cloudwright.pricing.tiers import Tier
from cloudwright.units import D


@dataclass(frozen=True)
class Override:
    tiers: tuple[Tier, ...]
    source: str
    date: str
    sku: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()
    servicecode: str | None = None
    region: str | None = None
    note: str = ""

    def matches(self, row_sku: str, servicecode: str, region: str, attributes: dict[str, str]) -> bool:
        if self.region is not None and self.region != region:
            return False
        if self.servicecode is not None and self.servicecode != servicecode:
            return False
        if self.sku is not None:
            return self.sku == row_sku
        return bool(self.attributes) and all(attributes.get(k) == v for k, v in self.attributes)


@dataclass(frozen=True)
class PriceBook:
    name: str
    description: str = ""
    discounts: dict[str, Decimal] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()

    def override_for(self, row: PriceRow | None, sibling: PriceRow | None, region: str) -> Override | None:
        ref = row or sibling
        if ref is None:
            return None
        for o in self.overrides:
            if o.matches(ref.sku, ref.servicecode, region, ref.attributes):
                return o
        return None

    def discount_for(self, servicecode: str) -> Decimal | None:
        return self.discounts.get(servicecode)


def _tiers(entry: dict[str, Any], where: str) -> tuple[Tier, ...]:
    if "price" in entry:
        return (Tier(Decimal(0), None, D(entry["price"])),)
    if "tiers" in entry:
        try:
            return tuple(Tier(D(b), None if e is None else D(e), D(p)) for b, e, p in entry["tiers"])
        except (TypeError, ValueError) as exc:
            raise InputError("tiers must be [[begin, end|null, price], ...]", field=where) from exc
    raise InputError("an override needs `price` or `tiers`", field=where)


def parse_price_book(doc: Any, source: str = "price book") -> PriceBook:
    if not isinstance(doc, dict):
        raise InputError("a price book must be a mapping", field=source)
    allowed = {"name", "description", "discounts", "overrides"}
    extra = sorted(set(doc) - allowed)
    if extra:
        raise InputError("unknown key in price book", field=source, value=extra[0], allowed=sorted(allowed))
    discounts: dict[str, Decimal] = {}
    for svc, pct in (doc.get("discounts") or {}).items():
        value = D(pct)
        if not Decimal(0) <= value <= Decimal(100):
            raise InputError("a discount is a percentage 0-100", field=f"discounts.{svc}", value=pct)
        discounts[str(svc)] = value
    overrides = []
    for i, entry in enumerate(doc.get("overrides") or []):
        where = f"overrides[{i}]"
        if not isinstance(entry, dict) or not ("sku" in entry or "attributes" in entry):
            raise InputError("an override needs `sku` or `attributes`", field=where)
        if not entry.get("source"):
            raise InputError("an override needs a `source` (where the price comes from)", field=where)
        overrides.append(
            Override(
                tiers=_tiers(entry, where),
                source=str(entry["source"]),
                date=str(entry.get("date", "")),
                sku=entry.get("sku"),
                attributes=tuple(
                    sorted((str(k), str(v)) for k, v in (entry.get("attributes") or {}).items())
                ),
                servicecode=entry.get("servicecode"),
                region=entry.get("region"),
                note=str(entry.get("note", "")),
            )
        )
    return PriceBook(
        name=str(doc.get("name") or Path(source).stem),
        description=str(doc.get("description", "")),
        discounts=discounts,
        overrides=tuple(overrides),
    )


def load_price_book(path: str | Path) -> PriceBook:
    from cloudwright.requirements import read_document

    doc = read_document(path, field="--price-book", what="price book")
    return parse_price_book(doc, source=str(path))
