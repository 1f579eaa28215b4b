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
    #: A commitment term (``compute-sp-1y-no-upfront`` …): the entry is a committed rate, used only by
    #: ``estimate --commitment`` for that term.
    commitment: str | None = None

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

    def override_for(
        self, row: PriceRow | None, sibling: PriceRow | None, region: str, commitment: str | None = None
    ) -> Override | None:
        """The on-demand override (``commitment=None``) or the committed rate for ``commitment``."""
        ref = row or sibling
        if ref is None:
            return None
        for o in self.overrides:
            if o.commitment == commitment and o.matches(ref.sku, ref.servicecode, region, ref.attributes):
                return o
        return None

    def discount_for(self, servicecode: str) -> Decimal | None:
        return self.discounts.get(servicecode)


def parse_price_book(doc: Any, source: str = "price book") -> PriceBook:
    """A price book from its (checked, see :mod:`cloudwright.pricing.input_schema`) document."""
    from cloudwright.pricing.input_schema import price_book_document

    book = price_book_document(doc, source)
    overrides = []
    for entry in book.overrides:
        if entry.price is not None:
            tiers: tuple[Tier, ...] = (Tier(Decimal(0), None, entry.price),)
        else:
            tiers = tuple(Tier(b, e, p) for b, e, p in entry.tiers or [])
        overrides.append(
            Override(
                tiers=tiers,
                source=entry.source,
                date=entry.date,
                sku=entry.sku,
                attributes=tuple(sorted((k, str(v)) for k, v in (entry.attributes or {}).items())),
                servicecode=entry.servicecode,
                region=entry.region,
                note=entry.note,
                commitment=entry.commitment,
            )
        )
    return PriceBook(
        name=book.name or Path(source).stem,
        description=book.description,
        discounts=dict(book.discounts),
        overrides=tuple(overrides),
    )


def load_price_book(path: str | Path) -> PriceBook:
    from cloudwright.pricing.input_schema import with_location
    from cloudwright.requirements import read_document

    doc = read_document(path, field="--price-book", what="price book")
    try:
        return parse_price_book(doc, source=str(path))
    except InputError as exc:
        try:
            text: str | None = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        raise with_location(exc, str(path), text) from None
