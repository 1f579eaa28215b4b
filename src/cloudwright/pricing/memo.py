"""A memo of resource pricings that lives for one design search (``with pricing_memo(): ...``).

A search prices dozens of designs (every candidate, each disaster-recovery strategy, each load of the
cost sensitivity) that share most of their resources: the same alarms, log groups, endpoints and
database instances. Inside ``with pricing_memo():`` (entered by the search and by ``run_design``),
:func:`~cloudwright.pricing.engine.price_design` reuses the lines of a resource priced earlier in the
same block when everything its pricing reads is the same; outside such a block nothing is kept.

What is compared, exactly:

* the pricing options, once per estimate (one bucket per options): the catalogue object and its
  resolution memo (replaced when the catalogue is re-indexed), hours per month, the Region override
  and the commitment term. An estimate with a price book bypasses the memo (a price book records
  which of its entries matched); the free tier is applied after the memo, from the charges each
  resource draws from a pool, which are kept and replayed in order;
* the resource: its logical id and type, then the pickled bytes of its properties, its usage merged
  with the usage file, its placement, condition and billing Region. Equal bytes mean equal values of
  equal types (``1``, ``1.0`` and ``True`` differ) and, being immutable, a snapshot cannot go stale
  when a design is later changed in place;
* what its cost model read of the design (:class:`~cloudwright.pricing.registry.Reads`): each
  resource it followed a reference to (every field, pickled) and, when it evaluated an intrinsic
  function, the design's parameters, parameter values, conditions, mappings and Region.

A reused pricing is handed out in fresh lists; its line items are shared, which is safe because a
:class:`~cloudwright.pricing.model.LineItem` is frozen (never changed once made). A pricing keeps what
its estimate adds up (total, line counts, unpriced entry: copied for each estimate). Each bucket also
keeps the lines of every charge resolved without a price book (``MemoSession.charge_lines``, see
``engine._Pricer.charge_lines``), shared the same way.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, NamedTuple, TypeAlias

if TYPE_CHECKING:  # the search enters the memo: its import stays light
    from decimal import Decimal

    from cloudwright.design.model import Design, Resource
    from cloudwright.pricing.catalog import Catalog, PriceRow
    from cloudwright.pricing.model import Charge, Classification, LineItem, PriceQuery
    from cloudwright.pricing.registry import Reads
    from cloudwright.pricing.tiers import Tier
    from cloudwright.pricing.verdict import UnpricedResource
    from cloudwright.units import JsonObject

    #: A free-tier draw of a resource's charge: the charge, its row and the tiers it was priced at.
    Draw: TypeAlias = tuple[Charge, PriceRow | None, tuple[Tier, ...]]
    #: The lines of charges resolved without a price book (see ``engine._Pricer.charge_lines``), by what
    #: they are made from, with the row and tiers they were priced at.
    ChargeLines: TypeAlias = dict[
        tuple[PriceQuery, str, str, str, tuple[str, ...], str],
        tuple[PriceRow | None, tuple[Tier, ...], tuple[LineItem, ...]],
    ]


class PricedResource(NamedTuple):
    """One resource's pricing before the free tier: what an estimate is made from, with what the
    estimate adds up of it (summed once, when the resource is priced). Immutable: a named tuple."""

    classification: Classification
    lines: tuple[LineItem, ...]
    notes: tuple[str, ...]
    draws: tuple[Draw, ...]
    #: The sum of the lines' amounts (in line order).
    total: Decimal
    #: Lines whose quantity depends on usage, lines without a price, lines with an unverified price.
    usage_unknown: int
    price_unknown: int
    unverified: int
    #: What is missing from the resource's price (None: every line has one).
    unpriced: UnpricedResource | None


class _Entry(NamedTuple):
    #: ``(logical id, pickled resource or None)`` for each reference the cost model followed.
    refs: tuple[tuple[str, bytes | None], ...]
    #: The pickled design context, when the cost model evaluated an intrinsic function.
    context: bytes | None
    priced: PricedResource


def _dump(value: object) -> bytes | None:
    """Pickled bytes of a JSON value (None: not picklable, so never memoised)."""
    try:
        return pickle.dumps(value, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError):
        return None


def _whole(resource: Resource | None) -> bytes | None:
    """Every field of a referenced resource, pickled (a cost model may read any of them)."""
    if resource is None:
        return None
    p = resource.placement
    return _dump(
        (
            resource.logical_id,
            resource.type,
            resource.properties,
            resource.usage,
            (p.region, p.vpc, p.azs, p.tier),
            resource.metadata,
            resource.depends_on,
            resource.condition,
            resource.attributes,
        )
    )


class _Bucket:
    """The pricings made with one set of options."""

    def __init__(self, catalog: Catalog, hours: Decimal, region: str | None, commitment: str | None) -> None:
        self.catalog = catalog
        self.resolutions = catalog.resolved_memo
        self.hours = hours
        self.region = region
        self.commitment = commitment
        self.entries: dict[tuple[str, str, bytes], list[_Entry]] = {}
        self.charge_lines: ChargeLines = {}

    def same(self, catalog: Catalog, hours: Decimal, region: str | None, commitment: str | None) -> bool:
        return (
            self.catalog is catalog
            and self.resolutions is catalog.resolved_memo
            and str(self.hours) == str(hours)
            and self.region == region
            and self.commitment == commitment
        )


class PricingMemo:
    """The resource pricings of one search (see the module docstring)."""

    def __init__(self) -> None:
        self._buckets: list[_Bucket] = []
        #: Lookups answered from the memo and pricings stored (for tests and measurements).
        self.hits = 0
        self.stores = 0

    def session(
        self, design: Design, catalog: Catalog, hours: Decimal, region: str | None, commitment: str | None
    ) -> MemoSession:
        """The memo as seen by one estimate of ``design`` with these options."""
        for bucket in self._buckets:
            if bucket.same(catalog, hours, region, commitment):
                return MemoSession(self, bucket, design)
        bucket = _Bucket(catalog, hours, region, commitment)
        self._buckets.append(bucket)
        return MemoSession(self, bucket, design)


class MemoSession:
    """One estimate's view of the memo: lookups and stores for the resources of one design."""

    def __init__(self, memo: PricingMemo, bucket: _Bucket, design: Design) -> None:
        self._memo = memo
        self._bucket = bucket
        self._design = design
        self._context: bytes | None = None

    @property
    def charge_lines(self) -> ChargeLines:
        """The lines of the charges priced with these options so far (lines are frozen: shared)."""
        return self._bucket.charge_lines

    def _design_context(self) -> bytes | None:
        if self._context is None:
            d = self._design
            values = d.metadata.get("parameter_values") if isinstance(d.metadata, dict) else None
            self._context = _dump((d.parameters, values, d.conditions, d.mappings, d.region))
        return self._context

    def key(self, resource: Resource, usage: JsonObject, region: str) -> tuple[str, str, bytes] | None:
        """The memo key of ``resource`` priced with ``usage`` in billing ``region`` (None: unmemoisable)."""
        p = resource.placement
        snap = _dump(
            (resource.properties, usage, (p.region, p.vpc, p.azs, p.tier), resource.condition, region)
        )
        return None if snap is None else (resource.logical_id, resource.type, snap)

    def get(self, key: tuple[str, str, bytes]) -> PricedResource | None:
        entries = self._bucket.entries.get(key)
        if entries is None:
            return None
        for entry in entries:
            if entry.context is not None and entry.context != self._design_context():
                continue
            if entry.refs and any(_whole(self._design.get(t)) != snap for t, snap in entry.refs):
                continue
            self._memo.hits += 1
            return entry.priced
        return None

    def put(self, key: tuple[str, str, bytes], reads: Reads, priced: PricedResource) -> None:
        context = self._design_context() if reads.resolver else None
        if reads.resolver and context is None:
            return  # a design context that cannot be snapshotted: not memoised
        refs: list[tuple[str, bytes | None]] = []
        for target in sorted(reads.refs):
            found = reads.refs[target]
            snap = _whole(found)
            if found is not None and snap is None:
                return
            refs.append((target, snap))
        self._bucket.entries.setdefault(key, []).append(_Entry(tuple(refs), context, priced))
        self._memo.stores += 1


_ACTIVE: ContextVar[PricingMemo | None] = ContextVar("cloudwright_pricing_memo", default=None)


def active_memo() -> PricingMemo | None:
    """The memo of the search in progress in this thread/context, if any."""
    return _ACTIVE.get()


@contextmanager
def pricing_memo() -> Iterator[PricingMemo]:
    """Memoise resource pricings for the duration of the block (one search). Nested blocks share the
    outermost block's memo; it is dropped when that block ends."""
    current = _ACTIVE.get()
    if current is not None:
        yield current
        return
    memo = PricingMemo()
    token = _ACTIVE.set(memo)
    try:
        yield memo
    finally:
        _ACTIVE.reset(token)
