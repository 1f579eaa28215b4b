"""``price_design``: run every resource's cost model, resolve each charge in the catalogue, apply the
price book and the free-tier switch, and return an :class:`Estimate`.

Rules:

* amounts are Decimal and never rounded here (renderers round, half-up to cents);
* a charge with unknown quantity becomes a "depends on usage: $X per unit" line (no amount);
* a query with no catalogue row (or a row recorded as price-unknown) becomes a "price unknown" line;
* tiers are applied tier by tier (:func:`cloudwright.pricing.tiers.split_tiers`), one line per tier;
* the free tier is a switch (``none`` | ``always-free`` | ``new-account``) priced as negative lines;
* ``Design.assumptions["data_transfer_out_gb"]`` is priced as a design-level line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, partial
from operator import attrgetter
from typing import TYPE_CHECKING

import yaml

from cloudwright.design.model import Design, Resource
from cloudwright.errors import InputError
from cloudwright.pricing.catalog import Catalog, PriceRow, latest_snapshot, load_catalog
from cloudwright.pricing.coverage import classify
from cloudwright.pricing.memo import PricedResource, active_memo
from cloudwright.pricing.model import (
    Charge,
    Classification,
    Estimate,
    LineItem,
    PriceQuery,
    ResourceEstimate,
)
from cloudwright.pricing.pricebook import PriceBook
from cloudwright.pricing.registry import CostModel, ModelContext, Reads, load_cost_models
from cloudwright.pricing.tiers import Tier, split_tiers, tier_label
from cloudwright.pricing.usage import UsageFile, not_applied, parse_usage, usage_for
from cloudwright.pricing.verdict import UnpricedResource, no_cost_model
from cloudwright.pricing.verdict import unpriced_entry as _unpriced_entry
from cloudwright.units import (
    FREE_TIER_CHOICES,
    HOURS_PER_MONTH,
    D,
    FreeTier,
    FreeTierScope,
    JsonValue,
    money,
    unit_price,
)

if TYPE_CHECKING:
    from cloudwright.pricing.memo import ChargeLines

#: Pseudo resource carrying the design-level internet egress line.
DATA_TRANSFER_ID = "DataTransferOut"
DATA_TRANSFER_TYPE = "AWS::DataTransfer::Internet"


@dataclass
class PricingOptions:
    """How to price: free-tier mode, hours per month, price book, usage file, region override.

    ``usage`` may be a parsed :class:`UsageFile` or the usage-file mapping itself (as loaded from YAML
    or received by the web API); ``free_tier`` is validated against ``FREE_TIER_CHOICES``.
    """

    free_tier: FreeTier | str = "none"
    hours_per_month: Decimal | int | float = HOURS_PER_MONTH
    price_book: PriceBook | None = None
    usage: UsageFile | dict[str, object] | None = None
    region: str | None = None
    catalog: Catalog | None = None
    #: A commitment term for the what-if (``compute-sp-1y-no-upfront``, ``ri-3y-all-upfront`` …).
    commitment: str | None = None

    def __post_init__(self) -> None:
        if self.commitment is not None:
            from cloudwright.pricing.commitments import TERMS

            if self.commitment not in TERMS:
                raise InputError(
                    "unknown commitment term",
                    field="--commitment",
                    value=self.commitment,
                    allowed=sorted(TERMS),
                )
        if isinstance(self.usage, dict):
            self.usage = parse_usage(self.usage, source="usage")
        if self.free_tier not in FREE_TIER_CHOICES:
            raise InputError(
                "unknown free-tier mode", field="free_tier", value=self.free_tier, allowed=FREE_TIER_CHOICES
            )
        hours = D(self.hours_per_month)
        if not Decimal(0) < hours <= Decimal(745):
            raise InputError(
                "hours per month must be in (0, 745]", field="hours_per_month", value=self.hours_per_month
            )
        self.hours_per_month = hours.to_integral_value() if hours == hours.to_integral_value() else hours


@dataclass(frozen=True)
class FreePool:
    pool: str
    scope: FreeTierScope
    quantity: Decimal
    description: str
    source: str
    date: str


@cache
def free_tier_pools() -> dict[str, FreePool]:
    path = latest_snapshot() / "free_tier.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        k: FreePool(k, v["scope"], D(v["quantity"]), v["description"], v["source"], str(v["date"]))
        for k, v in sorted(doc["pools"].items())
    }


def price_design(design: Design, options: PricingOptions | None = None) -> Estimate:
    opts = options or PricingOptions()
    catalog = opts.catalog or load_catalog()
    hours = D(opts.hours_per_month)
    models = load_cost_models()
    # inside a search (``with pricing_memo()``), resources priced earlier with the same inputs are
    # reused (see cloudwright.pricing.memo); a price book records its matches, so it is not memoised
    memo = active_memo() if opts.price_book is None else None
    session = memo.session(design, catalog, hours, opts.region, opts.commitment) if memo else None
    priced = _Pricer(catalog, opts.price_book, session.charge_lines if session is not None else {})

    resources: list[ResourceEstimate] = []
    sums = _Sums()
    # (resource estimate, charge, row, tiers) for the free-tier pass
    draws: list[tuple[ResourceEstimate, Charge, PriceRow | None, tuple[Tier, ...]]] = []
    usage_file = opts.usage if isinstance(opts.usage, UsageFile) else None
    for r in sorted(design.resources, key=_logical_id):  # design.sorted_resources(), with a C key
        cls = classify(r.type)
        if cls == "unsupported" or cls == "free":
            if cls == "unsupported":
                sums.unsupported(r)
            resources.append(
                ResourceEstimate.trusted(
                    logical_id=r.logical_id,
                    type=r.type,
                    classification=cls,
                    line_items=[],
                    notes=[_UNPRICED_NOTES[cls]],
                )
            )
            continue
        region = opts.region or _billing_region(r.placement.region, design.region)
        # the resource's own usage, or merged with the usage file (copied for its cost model below)
        usage = r.usage if usage_file is None else usage_for(r, usage_file)
        key = session.key(r, usage, region) if session is not None else None
        done = session.get(key) if session is not None and key is not None else None
        if done is None:
            reads = Reads() if key is not None else None
            ctx = ModelContext(design, r, dict(usage), region, hours, reads)
            done = _price_resource(r, cls, ctx, models[r.type], priced, opts.commitment)
            if session is not None and key is not None and reads is not None:
                session.put(key, reads, done)
        resources.append(sums.estimate(r.logical_id, r.type, done, draws))

    egress = design.assumptions.get("data_transfer_out_gb")
    if egress is not None or any(r.type != DATA_TRANSFER_TYPE for r in design.resources):
        done = _data_transfer(design, opts, priced, egress)
        resources.append(sums.estimate(DATA_TRANSFER_ID, DATA_TRANSFER_TYPE, done, draws))

    if opts.free_tier != "none":
        for est in _apply_free_tier(opts.free_tier, draws):
            est.monthly_usd = _total(est.line_items)
    return _estimate(design, opts, catalog, hours, priced, resources, sums)


_logical_id = attrgetter("logical_id")


@dataclass
class _Sums:
    """What an estimate adds up over its resources' pricings: line counts, unsupported types and the
    resources with something missing from their price."""

    usage_unknown: int = 0
    price_unknown: int = 0
    unverified: int = 0
    unsupported_types: set[str] = field(default_factory=set)
    unpriced: list[UnpricedResource] = field(default_factory=list)

    def unsupported(self, r: Resource) -> None:
        self.unsupported_types.add(r.type)
        self.unpriced.append(no_cost_model(r.logical_id, r.type))

    def estimate(
        self,
        logical_id: str,
        cfn_type: str,
        done: PricedResource,
        draws: list[tuple[ResourceEstimate, Charge, PriceRow | None, tuple[Tier, ...]]],
    ) -> ResourceEstimate:
        """The estimate of one resource, with its own lists (line items are frozen, so estimates may
        share them), added up here; its free-tier draws are added to ``draws``."""
        est = ResourceEstimate.trusted(
            logical_id=logical_id,
            type=cfn_type,
            classification=done.classification,
            line_items=list(done.lines),
            notes=list(done.notes),
            monthly_usd=done.total,
        )
        self.usage_unknown += done.usage_unknown
        self.price_unknown += done.price_unknown
        self.unverified += done.unverified
        if done.unpriced is not None:
            self.unpriced.append(done.unpriced.copied())
        for charge, row, tiers in done.draws:
            draws.append((est, charge, row, tiers))
        return est


_UNPRICED_NOTES: dict[str, str] = {
    "unsupported": "unsupported type: not priced (not included in the total)",
    "free": "no charge for this resource type",
}


def _price_resource(
    r: Resource,
    cls: Classification,
    ctx: ModelContext,
    model: CostModel,
    priced: _Pricer,
    commitment: str | None,
) -> PricedResource:
    """Run the cost model of ``r`` and resolve its charges: its lines, notes and free-tier draws."""
    notes: list[str] = []
    lines: list[LineItem] = []
    draws: list[tuple[Charge, PriceRow | None, tuple[Tier, ...]]] = []
    pending = not_applied(r.type, ctx.usage)
    known = _known_usage(r.type)
    if ctx.usage and not known.issuperset(ctx.usage):
        ignored = sorted(k for k in ctx.usage if k not in known and k not in pending)
        if ignored:
            notes.append("usage keys not used by this cost model: " + ", ".join(ignored))
    for key in pending:
        lines.append(
            LineItem.trusted(
                description=f"Usage {key} = {ctx.usage[key]}",
                status="price-unknown",
                note=f"price unknown: the infracost usage key `{key}` is accepted but cloudwright "
                "does not apply it yet, so this resource's price may differ",
            )
        )
    charges = model(r, ctx)
    if not charges:
        notes.append("no charge for this configuration")
    for charge in charges:
        row, tiers, out = priced.charge_lines(charge)
        if charge.reserved:
            _reserve(priced, out, row, charge)
        if commitment and row is not None:
            priced.commit(out, row, charge.query, commitment)
        lines.extend(out)
        if charge.free_tier_pool and tiers and charge.quantity:
            draws.append((charge, row, tiers))
    return _priced(r.logical_id, r.type, cls, lines, notes, draws)


def _priced(
    logical_id: str,
    cfn_type: str,
    cls: Classification,
    lines: list[LineItem],
    notes: list[str],
    draws: list[tuple[Charge, PriceRow | None, tuple[Tier, ...]]],
) -> PricedResource:
    """A resource's pricing with what its estimate adds up: its total and its line counts."""
    total = Decimal(0)  # summed in line order, as _total sums them
    usage_unknown = price_unknown = unverified = 0
    for li in lines:
        if li.monthly_usd is not None:
            total += li.monthly_usd
        status = li.status
        if status == "usage-unknown":
            usage_unknown += 1
        elif status == "price-unknown":
            price_unknown += 1
            continue
        if not li.verified:
            unverified += 1
    return PricedResource(
        cls,
        tuple(lines),
        tuple(notes),
        tuple(draws),
        total,
        usage_unknown,
        price_unknown,
        unverified,
        _unpriced_entry(logical_id, cfn_type, cls, lines),
    )


def _total(lines: Iterable[LineItem]) -> Decimal:
    """The sum of the amounts of ``lines``, in order (lines without an amount add nothing)."""
    return sum((li.monthly_usd for li in lines if li.monthly_usd is not None), Decimal(0))


def _estimate(
    design: Design,
    opts: PricingOptions,
    catalog: Catalog,
    hours: Decimal,
    priced: _Pricer,
    resources: list[ResourceEstimate],
    sums: _Sums,
) -> Estimate:
    """The estimate: the design's total and the line counts, from each resource's."""
    zero = Decimal(0)
    committed: Decimal | None = None
    commitment_unknown = 0
    if opts.commitment:
        items = [li for est in resources for li in est.line_items]
        committed = sum(
            (
                li.committed_monthly_usd if li.committed_monthly_usd is not None else li.monthly_usd
                for li in items
                if li.monthly_usd is not None
            ),
            zero,
        )
        commitment_unknown = sum(
            1 for li in items if li.committed_note and li.committed_monthly_usd is None and li.monthly_usd
        )
    # a stable sort of the few resources with something missing, as unpriced_resources sorts them all
    unpriced = sorted(sums.unpriced, key=_logical_id)
    return Estimate.trusted(
        name=design.name,
        region=opts.region or design.region,
        monthly_usd=sum((e.monthly_usd for e in resources), zero),
        resources=resources,
        unsupported_types=sorted(sums.unsupported_types),
        free_tier=opts.free_tier,
        hours_per_month=hours,
        catalog_date=catalog.snapshot_date,
        price_book=opts.price_book.name if opts.price_book else None,
        usage_unknown_count=sums.usage_unknown,
        price_unknown_count=sums.price_unknown,
        unverified_count=sums.unverified,
        complete=not unpriced,
        unpriced=unpriced,
        warnings=priced.unmatched(opts.commitment),
        commitment=opts.commitment,
        committed_monthly_usd=committed,
        commitment_unknown_count=commitment_unknown,
    )


@cache
def _known_usage(cfn_type: str) -> frozenset[str]:
    """The usage keys the cost model of ``cfn_type`` reads (static: computed once per type)."""
    return frozenset(u.key for u in load_cost_models()[cfn_type].usage)


Resolved = tuple[PriceRow | None, tuple[Tier, ...], str, str, bool, str]


class _Pricer:
    """Resolves queries through the catalogue, then the price book (override, else discount)."""

    def __init__(self, catalog: Catalog, book: PriceBook | None, lines: ChargeLines) -> None:
        self.catalog = catalog
        self.book = book
        # Without a price book a resolution depends on the catalogue alone: share it across estimates.
        # A price book records which of its entries were used, so its resolutions stay per estimate.
        self._cache: dict[PriceQuery, Resolved] = catalog.resolved_memo if book is None else {}
        #: The lines of the charges resolved without a price book (shared by the estimates of a search).
        self._lines = lines
        #: Price-book entries that priced at least one line (the rest are reported as unmatched).
        self.used_overrides: set[int] = set()
        self.used_discounts: set[str] = set()

    def commit(self, lines: list[LineItem], row: PriceRow, query: PriceQuery, term: str) -> None:
        """Add the committed what-if to the priced lines of an eligible row (rate from the price book)."""
        from cloudwright.pricing.commitments import describe, eligible

        if not eligible(term, row.servicecode, row.product_family, row.attributes):
            return
        o = self.book.override_for(row, None, query.region, commitment=term) if self.book else None
        fetched = self.catalog.committed_rate(row, term) if o is None else None
        for i, li in enumerate(lines):
            if li.status != "priced" or li.quantity is None or li.quantity < 0:
                continue
            if o is None and fetched is not None:
                lines[i] = li.replaced(
                    committed_unit_price=fetched[0],
                    committed_monthly_usd=li.quantity * fetched[0],
                    committed_note=f"{describe(term)}: {fetched[1]}",
                )
                continue
            if o is None:
                lines[i] = li.replaced(
                    committed_note=(
                        f"{describe(term)} rate unknown (add a price-book override with `commitment: {term}`)"
                    )
                )
                continue
            self.used_overrides.add(id(o))
            book = self.book.name if self.book else ""
            lines[i] = li.replaced(
                committed_monthly_usd=sum((u.cost for u in split_tiers(li.quantity, o.tiers)), Decimal(0)),
                committed_unit_price=o.tiers[0].usd,
                committed_note=f"{describe(term)}: price book {book}: {o.source}",
            )

    def unmatched(self, commitment: str | None = None) -> list[str]:
        """Warnings naming the price-book entries that matched no line of this estimate."""
        if self.book is None:
            return []
        out = []
        for i, o in enumerate(self.book.overrides):
            if o.commitment is not None and o.commitment != commitment:
                continue  # a committed rate for another what-if
            if id(o) not in self.used_overrides:
                what = (
                    f"sku {o.sku}"
                    if o.sku
                    else "attributes " + ", ".join(f"{k}={v}" for k, v in o.attributes)
                )
                out.append(
                    f"price book {self.book.name}: overrides[{i}] ({what}) matched no line of this estimate"
                )
        for svc in sorted(self.book.discounts):
            if svc not in self.used_discounts:
                out.append(
                    f"price book {self.book.name}: discount for {svc} matched no line of this estimate"
                )
        return out

    def charge_lines(self, charge: Charge) -> tuple[PriceRow | None, tuple[Tier, ...], list[LineItem]]:
        """The lines of ``charge`` (a new list), with the row and tiers they are priced at.

        Without a price book, a charge's lines depend only on what they are made from and the
        catalogue's resolution of its query: they are made once per search (or estimate) and shared.
        The quantity is compared by its text, so ``1`` and ``1.0`` are priced apart."""
        if charge.user_price is not None:
            price, key = charge.user_price
            row = self.resolve(charge.query)[0]
            tiers: tuple[Tier, ...] = (Tier(Decimal(0), None, price),)
            source = f"usage file: {key} (a price you gave)"
            return row, tiers, _lines(charge, row, tiers, source, "", True, "", self.catalog.snapshot_date)
        made = None
        if self.book is None:
            what = (
                charge.query,
                charge.description,
                charge.unit,
                charge.note,
                charge.usage_keys,
                str(charge.quantity),
            )
            made = self._lines.get(what)
        if made is None:
            row, tiers, source, date, verified, why = self.resolve(charge.query)
            out = _lines(charge, row, tiers, source, date, verified, why, self.catalog.snapshot_date)
            made = (row, tiers, tuple(out))
            if self.book is None:
                self._lines[what] = made
        return made[0], made[1], list(made[2])

    def resolve(self, query: PriceQuery) -> Resolved:
        hit = self._cache.get(query)
        if hit is None:
            hit = self._resolve(query)
            self._cache[query] = hit
        return hit

    def _missing(self, query: PriceQuery) -> str:
        """Why a query has no row: the built-in catalogue lacks it (and how to fetch it) or an import does."""
        unpriced = dict(query.attributes).get("unpriced")
        if unpriced:
            return f"cloudwright does not price `{unpriced}` yet (add a price-book override to price it)"
        origins = self.catalog.service_origins(query.servicecode, query.region)
        if origins and "built-in" not in origins:
            return (
                f"no row in the {'/'.join(sorted(origins))} {query.servicecode} prices for {query.describe()}"
            )
        return (
            f"no price for {query.region} in the built-in catalogue — run "
            f"`cloudwright prices fetch --region {query.region} --service {query.servicecode}` "
            f"({query.describe()})"
        )

    def _resolve(self, query: PriceQuery) -> Resolved:
        row = self.catalog.resolve(query)
        if self.book is not None:
            sibling = None
            if row is None and query.region != "us-east-1":
                sibling = self.catalog.resolve(PriceQuery(query.servicecode, "us-east-1", query.attributes))
            o = self.book.override_for(row, sibling, query.region)
            if o is not None:
                self.used_overrides.add(id(o))
                return row, o.tiers, f"price book {self.book.name}: {o.source}", o.date, True, ""
        if row is None:
            return None, (), "", "", True, self._missing(query)
        if row.price_unknown:
            return row, (), row.source, row.effective_date, row.verified, row.note or "not found in sources"
        tiers, source = row.tiers, row.source
        pct = self.book.discount_for(row.servicecode) if self.book else None
        if pct is not None:
            self.used_discounts.add(row.servicecode)
        if pct and self.book is not None:
            factor = (Decimal(100) - pct) / Decimal(100)
            tiers = tuple(Tier(t.begin, t.end, None if t.usd is None else t.usd * factor) for t in tiers)
            source = f"{row.source}; price book {self.book.name}: -{pct}%"
        return row, tiers, source, row.effective_date, row.verified, ""


def _lines(
    charge: Charge,
    row: PriceRow | None,
    tiers: tuple[Tier, ...],
    source: str,
    date: str,
    verified: bool,
    why: str,
    as_of: str = "",
) -> list[LineItem]:
    # every line of the charge carries its unit and where its price came from
    line = partial(
        LineItem.trusted, unit=charge.unit, price_source=source, price_date=date, verified=verified
    )
    note = charge.note
    if not tiers:
        return [
            line(
                description=charge.description,
                quantity=charge.quantity,
                status="price-unknown",
                note=_join("price unknown: " + why, note),
            )
        ]
    if charge.quantity is None:
        keys = ", ".join(charge.usage_keys) or "usage"
        first = tiers[0].usd
        if first is None:
            return [
                line(
                    description=charge.description,
                    status="price-unknown",
                    note=_join("price unknown", note),
                )
            ]
        per = (
            f"{unit_price(first)} per {charge.unit.rstrip('s') if charge.unit.endswith('s') else charge.unit}"
        )
        if is_dated(date, as_of):
            note = _join(f"dated ({date})", note)
        return [
            line(
                description=charge.description,
                unit_price=first,
                status="usage-unknown",
                note=_join(f"depends on usage: {per} (set {keys})", note),
            )
        ]
    if not verified:
        note = _join("unverified price", note)
    if is_dated(date, as_of):
        note = _join(f"dated ({date})", note)
    uses = split_tiers(charge.quantity, tiers)
    out = []
    for use in uses:
        label = tier_label(use.tier, f" {charge.unit}") if len(tiers) > 1 else ""
        if use.tier.usd is None:
            out.append(
                line(
                    description=f"{charge.description} ({label})" if label else charge.description,
                    quantity=use.quantity,
                    status="price-unknown",
                    note=_join("price unknown: this tier's price is not in the sources", note),
                )
            )
            continue
        out.append(
            line(
                description=f"{charge.description} ({label})" if label else charge.description,
                quantity=use.quantity,
                unit_price=use.tier.usd,
                monthly_usd=use.cost,
                note=note,
            )
        )
    return out


#: Placement regions that are not AWS regions. Global services (CloudFront, Route 53, WAF for
#: CloudFront, IAM) are billed through us-east-1, where the catalogue keeps their rows.
GLOBAL_PLACEMENTS = {"global", "edge", ""}


def _billing_region(placement: str | None, design_region: str) -> str:
    if not placement:
        return design_region
    return "us-east-1" if placement in GLOBAL_PLACEMENTS else placement


@cache
def is_dated(date: str, as_of: str) -> bool:
    """A price dated more than twelve months before ``as_of`` (the catalogue's date) is shown as dated."""
    if len(date) < 10 or len(as_of) < 10:
        return False
    year, rest = int(as_of[:4]), as_of[4:10]
    return date[:10] < f"{year - 1}{rest}"


def _reserve(priced: _Pricer, lines: list[LineItem], row: PriceRow | None, charge: Charge) -> None:
    """Price ``lines`` at the charge's Reserved term (usage keys ``reserved_instance_*``), or unknown."""
    term = charge.reserved or ""
    if row is not None and term.startswith("ri-"):
        priced.commit(lines, row, charge.query, term)
    for i, li in enumerate(lines):
        if li.status != "priced":
            continue
        cleared = {"committed_monthly_usd": None, "committed_unit_price": None, "committed_note": ""}
        if li.committed_monthly_usd is not None:
            lines[i] = li.replaced(
                monthly_usd=li.committed_monthly_usd,
                unit_price=li.committed_unit_price,
                note=_join(li.note, li.committed_note),
                **cleared,
            )
        else:
            why = li.committed_note or f"{term} Reserved Instance rates are not catalogued"
            note = _join(li.note, "price unknown: " + why)
            lines[i] = li.replaced(status="price-unknown", monthly_usd=None, note=note, **cleared)


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _data_transfer(
    design: Design, opts: PricingOptions, priced: _Pricer, egress: JsonValue
) -> PricedResource:
    """The design-level internet egress line (``Design.assumptions["data_transfer_out_gb"]``)."""
    region = opts.region or design.region
    charge = Charge(
        "Data transfer out to the internet",
        None if egress is None else D(egress),
        "GB",
        PriceQuery("AWSDataTransfer", region).where(transferType="AWS Outbound"),
        usage_keys=("data_transfer_out_gb",),
        free_tier_pool="data-transfer-out",
    )
    row, tiers, lines = priced.charge_lines(charge)
    draws = [(charge, row, tiers)] if charge.quantity and tiers else []
    return _priced(DATA_TRANSFER_ID, DATA_TRANSFER_TYPE, "usage-only", lines, [_DATA_TRANSFER_NOTE], draws)


_DATA_TRANSFER_NOTE = 'design-level internet egress (Design.assumptions["data_transfer_out_gb"])'


def _apply_free_tier(
    mode: str, draws: list[tuple[ResourceEstimate, Charge, PriceRow | None, tuple[Tier, ...]]]
) -> list[ResourceEstimate]:
    """Add the free-tier lines to the estimates that draw from a pool; returns those estimates."""
    pools = free_tier_pools()
    drawn: dict[int, ResourceEstimate] = {}
    remaining = {k: p.quantity for k, p in pools.items() if p.scope == "always-free" or mode == "new-account"}
    for est, charge, _row, tiers in draws:
        pool_id = charge.free_tier_pool
        if pool_id not in remaining or remaining[pool_id] <= 0 or not charge.quantity:
            continue
        pool = pools[pool_id]
        take = min(remaining[pool_id], charge.quantity)
        remaining[pool_id] -= take
        value = sum((u.cost for u in split_tiers(take, tiers)), Decimal(0))
        scope = "always free" if pool.scope == "always-free" else "new accounts, 12 months"
        est.line_items.append(
            LineItem.trusted(
                description=f"Free tier: {pool.description} ({scope})",
                quantity=-take,
                unit=charge.unit,
                unit_price=tiers[0].usd,
                monthly_usd=-value,  # free units are valued at the first tiers' prices
                price_source=pool.source,
                price_date=pool.date,
                note=f"allowance {money(pool.quantity, 0)} {charge.unit}/month, shared by the account",
            )
        )
        drawn[id(est)] = est
    return list(drawn.values())


def price_resource(
    resource: Resource, design: Design | None = None, options: PricingOptions | None = None
) -> ResourceEstimate:
    """Price one resource in the context of ``design`` (convenience for reviews and tests)."""
    d = design or Design(resources=[resource], region=resource.placement.region)
    est = price_design(d, options)
    for r in est.resources:
        if r.logical_id == resource.logical_id:
            return r
    raise KeyError(resource.logical_id)  # pragma: no cover
