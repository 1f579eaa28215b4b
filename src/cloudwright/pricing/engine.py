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

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import yaml

from cloudwright.design.model import Design, Resource
from cloudwright.errors import InputError
from cloudwright.pricing.catalog import Catalog, PriceRow, latest_snapshot, load_catalog
from cloudwright.pricing.coverage import classify
from cloudwright.pricing.model import Charge, Estimate, LineItem, PriceQuery, ResourceEstimate
from cloudwright.pricing.pricebook import PriceBook
from cloudwright.pricing.registry import ModelContext, load_cost_models
from cloudwright.pricing.tiers import Tier, split_tiers, tier_label
from cloudwright.pricing.usage import UsageFile, not_applied, parse_usage, usage_for
from cloudwright.pricing.verdict import unpriced_resources
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
    priced = _Pricer(catalog, opts.price_book)

    resources: list[ResourceEstimate] = []
    unsupported: set[str] = set()
    # (resource estimate, line index, charge, tier uses) for the free-tier pass
    draws: list[tuple[ResourceEstimate, Charge, PriceRow | None, tuple[Tier, ...]]] = []
    usage_file = opts.usage if isinstance(opts.usage, UsageFile) else None
    for r in design.sorted_resources():
        cls = classify(r.type)
        est = ResourceEstimate(logical_id=r.logical_id, type=r.type, classification=cls)
        if cls == "unsupported":
            unsupported.add(r.type)
            est.notes.append("unsupported type: not priced (not included in the total)")
        elif cls == "free":
            est.notes.append("no charge for this resource type")
        else:
            region = opts.region or _billing_region(r.placement.region, design.region)
            ctx = ModelContext(design, r, usage_for(r, usage_file), region, hours)
            pending = not_applied(r.type, ctx.usage)
            if ctx.usage:
                known = _known_usage(r.type)
                ignored = sorted(k for k in ctx.usage if k not in known and k not in pending)
                if ignored:
                    est.notes.append("usage keys not used by this cost model: " + ", ".join(ignored))
            for key in pending:
                est.line_items.append(
                    LineItem(
                        description=f"Usage {key} = {ctx.usage[key]}",
                        status="price-unknown",
                        note=f"price unknown: the infracost usage key `{key}` is accepted but cloudwright "
                        "does not apply it yet, so this resource's price may differ",
                    )
                )
            charges = models[r.type](r, ctx)
            if not charges:
                est.notes.append("no charge for this configuration")
            for charge in charges:
                row, tiers, source, date, verified, why = priced.resolve(charge.query)
                if charge.user_price is not None:
                    price, key = charge.user_price
                    tiers, verified, why = (Tier(Decimal(0), None, price),), True, ""
                    source, date = f"usage file: {key} (a price you gave)", ""
                lines = _lines(charge, row, tiers, source, date, verified, why, catalog.snapshot_date)
                if charge.reserved:
                    _reserve(priced, lines, row, charge)
                if opts.commitment and row is not None:
                    priced.commit(lines, row, charge.query, opts.commitment)
                est.line_items.extend(lines)
                if charge.free_tier_pool and tiers and charge.quantity:
                    draws.append((est, charge, row, tiers))
        resources.append(est)

    egress = design.assumptions.get("data_transfer_out_gb")
    if egress is not None or any(r.type != DATA_TRANSFER_TYPE for r in design.resources):
        resources.append(_data_transfer(design, opts, priced, draws, egress))

    if opts.free_tier != "none":
        _apply_free_tier(opts.free_tier, draws)

    for est in resources:
        if not est.line_items:
            continue  # the default total, Decimal(0)
        est.monthly_usd = sum(
            (li.monthly_usd for li in est.line_items if li.monthly_usd is not None), Decimal(0)
        )
    items = [li for est in resources for li in est.line_items]
    unpriced = unpriced_resources(resources)
    committed: Decimal | None = None
    if opts.commitment:
        committed = sum(
            (
                li.committed_monthly_usd if li.committed_monthly_usd is not None else li.monthly_usd
                for li in items
                if li.monthly_usd is not None
            ),
            Decimal(0),
        )
    return Estimate(
        name=design.name,
        region=opts.region or design.region,
        monthly_usd=sum((e.monthly_usd for e in resources), Decimal(0)),
        resources=resources,
        unsupported_types=sorted(unsupported),
        free_tier=opts.free_tier,
        hours_per_month=hours,
        catalog_date=catalog.snapshot_date,
        price_book=opts.price_book.name if opts.price_book else None,
        usage_unknown_count=sum(1 for li in items if li.status == "usage-unknown"),
        price_unknown_count=sum(1 for li in items if li.status == "price-unknown"),
        unverified_count=sum(1 for li in items if not li.verified and li.status != "price-unknown"),
        complete=not unpriced,
        unpriced=unpriced,
        warnings=priced.unmatched(opts.commitment),
        commitment=opts.commitment,
        committed_monthly_usd=committed,
        commitment_unknown_count=sum(
            1 for li in items if li.committed_note and li.committed_monthly_usd is None and li.monthly_usd
        ),
    )


@cache
def _known_usage(cfn_type: str) -> frozenset[str]:
    """The usage keys the cost model of ``cfn_type`` reads (static: computed once per type)."""
    return frozenset(u.key for u in load_cost_models()[cfn_type].usage)


Resolved = tuple[PriceRow | None, tuple[Tier, ...], str, str, bool, str]


class _Pricer:
    """Resolves queries through the catalogue, then the price book (override, else discount)."""

    def __init__(self, catalog: Catalog, book: PriceBook | None) -> None:
        self.catalog = catalog
        self.book = book
        # Without a price book a resolution depends on the catalogue alone: share it across estimates.
        # A price book records which of its entries were used, so its resolutions stay per estimate.
        self._cache: dict[PriceQuery, Resolved] = catalog.resolved_memo if book is None else {}
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
        for li in lines:
            if li.status != "priced" or li.quantity is None or li.quantity < 0:
                continue
            if o is None and fetched is not None:
                li.committed_unit_price, source = fetched
                li.committed_monthly_usd = li.quantity * fetched[0]
                li.committed_note = f"{describe(term)}: {source}"
                continue
            if o is None:
                li.committed_note = (
                    f"{describe(term)} rate unknown (add a price-book override with `commitment: {term}`)"
                )
                continue
            self.used_overrides.add(id(o))
            li.committed_monthly_usd = sum((u.cost for u in split_tiers(li.quantity, o.tiers)), Decimal(0))
            li.committed_unit_price = o.tiers[0].usd
            li.committed_note = (
                f"{describe(term)}: price book {self.book.name if self.book else ''}: {o.source}"
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
    base = {"unit": charge.unit, "price_source": source, "price_date": date, "verified": verified}
    note = charge.note
    if not tiers:
        return [
            LineItem(
                description=charge.description,
                quantity=charge.quantity,
                status="price-unknown",
                note=_join("price unknown: " + why, note),
                **base,  # type: ignore[arg-type]
            )
        ]
    if charge.quantity is None:
        keys = ", ".join(charge.usage_keys) or "usage"
        first = tiers[0].usd
        if first is None:
            return [
                LineItem(
                    description=charge.description,
                    status="price-unknown",
                    note=_join("price unknown", note),
                    **base,  # type: ignore[arg-type]
                )
            ]
        per = (
            f"{unit_price(first)} per {charge.unit.rstrip('s') if charge.unit.endswith('s') else charge.unit}"
        )
        if is_dated(date, as_of):
            note = _join(f"dated ({date})", note)
        return [
            LineItem(
                description=charge.description,
                unit_price=first,
                status="usage-unknown",
                note=_join(f"depends on usage: {per} (set {keys})", note),
                **base,  # type: ignore[arg-type]
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
                LineItem(
                    description=f"{charge.description} ({label})" if label else charge.description,
                    quantity=use.quantity,
                    status="price-unknown",
                    note=_join("price unknown: this tier's price is not in the sources", note),
                    **base,  # type: ignore[arg-type]
                )
            )
            continue
        out.append(
            LineItem(
                description=f"{charge.description} ({label})" if label else charge.description,
                quantity=use.quantity,
                unit_price=use.tier.usd,
                monthly_usd=use.cost,
                note=note,
                **base,  # type: ignore[arg-type]
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
    for li in lines:
        if li.status != "priced":
            continue
        if li.committed_monthly_usd is not None:
            li.monthly_usd, li.unit_price = li.committed_monthly_usd, li.committed_unit_price
            li.note = _join(li.note, li.committed_note)
        else:
            why = li.committed_note or f"{term} Reserved Instance rates are not catalogued"
            li.status, li.monthly_usd = "price-unknown", None
            li.note = _join(li.note, "price unknown: " + why)
        li.committed_monthly_usd, li.committed_unit_price, li.committed_note = None, None, ""


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _data_transfer(
    design: Design,
    opts: PricingOptions,
    priced: _Pricer,
    draws: list[tuple[ResourceEstimate, Charge, PriceRow | None, tuple[Tier, ...]]],
    egress: JsonValue,
) -> ResourceEstimate:
    region = opts.region or design.region
    est = ResourceEstimate(logical_id=DATA_TRANSFER_ID, type=DATA_TRANSFER_TYPE, classification="usage-only")
    est.notes.append('design-level internet egress (Design.assumptions["data_transfer_out_gb"])')
    charge = Charge(
        "Data transfer out to the internet",
        None if egress is None else D(egress),
        "GB",
        PriceQuery("AWSDataTransfer", region).where(transferType="AWS Outbound"),
        usage_keys=("data_transfer_out_gb",),
        free_tier_pool="data-transfer-out",
    )
    row, tiers, source, date, verified, why = priced.resolve(charge.query)
    est.line_items.extend(
        _lines(charge, row, tiers, source, date, verified, why, priced.catalog.snapshot_date)
    )
    if charge.quantity and tiers:
        draws.append((est, charge, row, tiers))
    return est


def _apply_free_tier(
    mode: str, draws: list[tuple[ResourceEstimate, Charge, PriceRow | None, tuple[Tier, ...]]]
) -> None:
    pools = free_tier_pools()
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
            LineItem(
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
