"""Pricing data model: what a cost model emits (:class:`Charge` with a :class:`PriceQuery`) and what an
estimate reports (:class:`LineItem`, :class:`ResourceEstimate`, :class:`Estimate`).

Cost models never hold a price. They emit charges: a description, a quantity (``None`` when usage is
unknown) and a query; the catalogue resolves the query to exactly one price row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from cloudwright.design.model import trusted_model
from cloudwright.pricing.verdict import UnpricedResource, total_sentence
from cloudwright.units import HOURS_PER_MONTH, JsonObject, round_money

Classification = Literal["priced", "free", "usage-only", "unsupported"]
LineStatus = Literal["priced", "usage-unknown", "price-unknown"]


class PriceQuery(NamedTuple):
    """A filter over catalogue rows (AWS Price List attributes), resolved offline.

    ``attributes`` values are exact strings, or ``re:<pattern>`` for a regular-expression search (used for
    ``usagetype``, which carries a region prefix outside us-east-1, e.g. ``EU-Lambda-GB-Second``).

    Immutable (a named tuple: made, hashed and compared in C; every charge has one and the catalogue's
    resolutions are looked up by it).
    """

    servicecode: str
    region: str
    attributes: tuple[tuple[str, str], ...] = ()

    def where(self, **attrs: str) -> PriceQuery:
        merged = dict(self.attributes)
        merged.update(attrs)
        return PriceQuery(self.servicecode, self.region, tuple(sorted(merged.items())))

    def matches(self, servicecode: str, region: str, attributes: dict[str, str]) -> bool:
        if servicecode != self.servicecode or region != self.region:
            return False
        for key, want in self.attributes:
            have = attributes.get(key)
            if have is None:
                return False
            if want.startswith("re:"):
                if not re.search(want[3:], have):
                    return False
            elif have != want:
                return False
        return True

    def describe(self) -> str:
        attrs = ", ".join(f"{k}={v}" for k, v in self.attributes)
        return f"{self.servicecode} [{self.region}] {attrs}"


def Re(pattern: str) -> str:
    """Mark a query attribute as a regular expression."""
    return "re:" + pattern


class Charge(NamedTuple):
    """One thing a resource consumes, with its price query (emitted by cost models). Immutable (a named
    tuple: cost models emit a thousand of them in a design search; ``charge._replace(...)`` for a
    changed copy)."""

    description: str
    quantity: Decimal | None
    unit: str
    query: PriceQuery
    #: Usage keys that determine the quantity (named in "depends on usage" lines).
    usage_keys: tuple[str, ...] = ()
    note: str = ""
    #: Free-tier pool this charge draws from (see ``data/prices/aws/free_tier.yaml``), if any.
    free_tier_pool: str | None = None
    #: Priced at this Reserved term (``ri-1y-all-upfront`` …) instead of on demand; a rate that is not
    #: known (price book ``commitment:`` override or fetched Price List terms) makes the line unknown.
    #: ``"convertible"`` names a convertible Reserved Instance, whose rates are never catalogued.
    reserved: str | None = None
    #: A price the user gave in the usage file (infracost's ``sms_notification_price``), with its key:
    #: the line is priced at it and names it as its source instead of a catalogue row.
    user_price: tuple[Decimal, str] | None = None


@dataclass
class ModelResult:
    charges: list[Charge] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class LineItem(BaseModel):
    """One priced line. Frozen: estimates priced in one search share the lines of equal resources
    (:mod:`cloudwright.pricing.memo`), so a line is never changed once made."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    quantity: Decimal | None = None
    unit: str = ""
    unit_price: Decimal | None = None
    monthly_usd: Decimal | None = None
    price_source: str = ""
    price_date: str = ""
    status: LineStatus = "priced"
    note: str = ""
    verified: bool = True
    #: With ``--commitment``: the committed unit price and monthly amount (None: rate unknown or the
    #: line is not eligible; see ``committed_note``).
    committed_unit_price: Decimal | None = None
    committed_monthly_usd: Decimal | None = None
    committed_note: str = ""

    @classmethod
    def trusted(
        cls,
        *,
        description: str,
        quantity: Decimal | None = None,
        unit: str = "",
        unit_price: Decimal | None = None,
        monthly_usd: Decimal | None = None,
        price_source: str = "",
        price_date: str = "",
        status: LineStatus = "priced",
        note: str = "",
        verified: bool = True,
    ) -> LineItem:
        """A line from values of the right types, without validation (``design.model.trusted_model``)."""
        return trusted_model(
            cls,
            {
                "description": description,
                "quantity": quantity,
                "unit": unit,
                "unit_price": unit_price,
                "monthly_usd": monthly_usd,
                "price_source": price_source,
                "price_date": price_date,
                "status": status,
                "note": note,
                "verified": verified,
                "committed_unit_price": None,
                "committed_monthly_usd": None,
                "committed_note": "",
            },
        )

    def replaced(self, **changes: Any) -> LineItem:
        """This line with some fields changed (a line is frozen: the pricing engine builds a changed copy)."""
        values = self.__dict__.copy()  # copy(), not dict(): the same key table, the same fast reads
        values.update(changes)
        return trusted_model(type(self), values)

    def to_dict(self) -> JsonObject:
        extra: JsonObject = {}
        if self.committed_note:
            extra = {
                "committed_unit_price": _num(self.committed_unit_price),
                "committed_monthly_usd": _num(round_money(self.committed_monthly_usd))
                if self.committed_monthly_usd is not None
                else None,
                "committed_note": self.committed_note,
            }
        return {
            "description": self.description,
            "quantity": _num(self.quantity),
            "unit": self.unit,
            "unit_price": _num(self.unit_price),
            "monthly_usd": _num(round_money(self.monthly_usd)) if self.monthly_usd is not None else None,
            "price_source": self.price_source,
            "price_date": self.price_date,
            "status": self.status,
            "verified": self.verified,
            "note": self.note,
            **extra,
        }


class ResourceEstimate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    logical_id: str
    type: str
    classification: Classification
    monthly_usd: Decimal = Decimal(0)
    line_items: list[LineItem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @classmethod
    def trusted(
        cls,
        *,
        logical_id: str,
        type: str,
        classification: Classification,
        line_items: list[LineItem],
        notes: list[str],
        monthly_usd: Decimal = Decimal(0),
    ) -> ResourceEstimate:
        """An estimate from values of the right types, without validation (``monthly_usd``: the sum of
        the amounts of ``line_items``)."""
        return trusted_model(
            cls,
            {
                "logical_id": logical_id,
                "type": type,
                "classification": classification,
                "monthly_usd": monthly_usd,
                "line_items": line_items,
                "notes": notes,
            },
        )

    def to_dict(self) -> JsonObject:
        return {
            "logical_id": self.logical_id,
            "type": self.type,
            "classification": self.classification,
            "monthly_usd": _num(round_money(self.monthly_usd)),
            "line_items": [li.to_dict() for li in self.line_items],
            "notes": list(self.notes),
        }


class Estimate(BaseModel):
    """A priced design: per-resource line items and the monthly total (Decimal, unrounded)."""

    model_config = ConfigDict(extra="forbid")

    name: str = "design"
    region: str = "us-east-1"
    monthly_usd: Decimal = Decimal(0)
    resources: list[ResourceEstimate] = Field(default_factory=list)
    unsupported_types: list[str] = Field(default_factory=list)
    free_tier: str = "none"
    hours_per_month: Decimal = HOURS_PER_MONTH
    catalog_date: str = ""
    price_book: str | None = None
    usage_unknown_count: int = 0
    price_unknown_count: int = 0
    unverified_count: int = 0
    #: False when any line lacks a price or a resource type has no cost model (the total is partial).
    complete: bool = True
    #: The resources behind an incomplete total, each with what is missing.
    unpriced: list[UnpricedResource] = Field(default_factory=list)
    #: Problems worth a user's attention (e.g. price-book entries that matched no line).
    warnings: list[str] = Field(default_factory=list)
    #: ``--commitment`` term (None: on demand only) and the committed what-if totals.
    commitment: str | None = None
    #: The total with eligible lines at committed rates where known (others at on demand).
    committed_monthly_usd: Decimal | None = None
    #: Eligible lines whose committed rate is unknown (counted at on demand in the committed total).
    commitment_unknown_count: int = 0

    @classmethod
    def trusted(
        cls,
        *,
        name: str,
        region: str,
        monthly_usd: Decimal,
        resources: list[ResourceEstimate],
        unsupported_types: list[str],
        free_tier: str,
        hours_per_month: Decimal,
        catalog_date: str,
        price_book: str | None,
        usage_unknown_count: int,
        price_unknown_count: int,
        unverified_count: int,
        complete: bool,
        unpriced: list[UnpricedResource],
        warnings: list[str],
        commitment: str | None,
        committed_monthly_usd: Decimal | None,
        commitment_unknown_count: int,
    ) -> Estimate:
        """An estimate from values of the right types, without validation (``design.model.trusted_model``):
        the pricing engine's, whose resources are already estimates."""
        return trusted_model(
            cls,
            {
                "name": name,
                "region": region,
                "monthly_usd": monthly_usd,
                "resources": resources,
                "unsupported_types": unsupported_types,
                "free_tier": free_tier,
                "hours_per_month": hours_per_month,
                "catalog_date": catalog_date,
                "price_book": price_book,
                "usage_unknown_count": usage_unknown_count,
                "price_unknown_count": price_unknown_count,
                "unverified_count": unverified_count,
                "complete": complete,
                "unpriced": unpriced,
                "warnings": warnings,
                "commitment": commitment,
                "committed_monthly_usd": committed_monthly_usd,
                "commitment_unknown_count": commitment_unknown_count,
            },
        )

    @property
    def total_sentence(self) -> str:
        """``"$1.60/month + 2 resources without a price (…)"``: the total, saying when it is partial."""
        return total_sentence(self.monthly_usd, self.unpriced, self.usage_unknown_count)

    def resource_cost(self, logical_id: str) -> Decimal | None:
        """Monthly cost of one resource, or ``None`` if the design has no such resource."""
        for r in self.resources:
            if r.logical_id == logical_id:
                return r.monthly_usd
        return None

    def line_items(self) -> list[tuple[str, LineItem]]:
        return [(r.logical_id, li) for r in self.resources for li in r.line_items]

    def to_dict(self) -> JsonObject:
        return {
            "name": self.name,
            "region": self.region,
            "monthly_usd": _num(round_money(self.monthly_usd)),
            "currency": "USD",
            "free_tier": self.free_tier,
            "hours_per_month": _num(self.hours_per_month),
            "catalog_date": self.catalog_date,
            "price_book": self.price_book,
            "complete": self.complete,
            "total": self.total_sentence,
            "unpriced": [u.model_dump() for u in self.unpriced],
            "warnings": list(self.warnings),
            **(
                {
                    "commitment": self.commitment,
                    "committed_monthly_usd": _num(round_money(self.committed_monthly_usd))
                    if self.committed_monthly_usd is not None
                    else None,
                    "commitment_unknown_lines": self.commitment_unknown_count,
                }
                if self.commitment
                else {}
            ),
            "summary": {
                "resources": len(self.resources),
                "usage_unknown_lines": self.usage_unknown_count,
                "price_unknown_lines": self.price_unknown_count,
                "unverified_price_lines": self.unverified_count,
                "unsupported_types": list(self.unsupported_types),
            },
            "unsupported_types": list(self.unsupported_types),
            "resources": [r.to_dict() for r in self.resources],
        }


def _num(value: Decimal | None) -> int | float | None:
    """JSON number for a Decimal without float noise (``Decimal('0.0000166667')`` → ``1.66667e-05``)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)
