"""Monthly cost delta of a remediation, priced in proportion to what the fix touches.

A fix (:attr:`Outcome.fix`) is applied to a :class:`FixView`: a copy-on-write view of the design that
copies a resource only when the fix asks for it and records the resources it adds. The delta is then the
price of the *affected* resources after the fix minus their price before it, where the affected
resources are

* the resources the fix copied or added,
* the resources that reference them (a cost model reads the resources it references — an instance its
  launch template, an ECS service its task definition — so their price may depend on the fixed ones),
* with a free tier, every resource that draws from a free-tier allowance: the allowance is shared by the
  account and handed out in logical-id order, so a fix can move it between resources.

Both sides are priced by the pricing engine (:func:`cloudwright.pricing.engine.price_design`) on a small
design holding the affected resources and the resources they reference (so their cost models see what
they see in the whole design). The design itself is never copied and never re-priced as a whole per
finding, and the "before" price of a resource is computed once and shared by every finding on it.

A fix that cannot be applied or priced gets "cost delta unknown (…)" naming the fixed resource and the
error; the review still completes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from cloudwright.design.model import Design, Resource
from cloudwright.errors import CloudwrightError
from cloudwright.review.context import Outcome

if TYPE_CHECKING:
    from cloudwright.pricing.engine import PricingOptions
    from cloudwright.pricing.model import Estimate

UNKNOWN_NOTE = "cost delta unknown"

#: Errors pricing is expected to raise: bad input (a usage value), an inconsistent catalogue, arithmetic
#: on a value that is not a number. Anything else is a bug and propagates.
PRICING_ERRORS: tuple[type[Exception], ...] = (CloudwrightError, ArithmeticError)
#: Errors applying a fix is expected to raise: the resource it names is absent (KeyError) or the
#: resource it adds already exists (ValueError from ``Design.add``).
FIX_ERRORS: tuple[type[Exception], ...] = (KeyError, ValueError)


class FixView:
    """A copy-on-write view of a design for one fix: ``view[id]`` / ``view.get(id)`` return a private copy
    of that resource (the original is never touched) and ``view.add(r)`` records a new one.

    Fixes address resources by logical id (``design[rid]``) and add resources with ``design.add``;
    everything else a fix may read (``region``, ``parameters`` …) is the design's own. The resource list
    is not offered: a fix that needs the whole list would make the price of the fix depend on the whole
    design, which this view exists to avoid.
    """

    def __init__(self, design: Design) -> None:
        self._design = design
        self.copied: dict[str, Resource] = {}
        self.added: dict[str, Resource] = {}

    def get(self, logical_id: str) -> Resource | None:
        if logical_id in self.added:
            return self.added[logical_id]
        hit = self.copied.get(logical_id)
        if hit is None:
            original = self._design.get(logical_id)
            if original is None:
                return None
            hit = self.copied[logical_id] = original.model_copy(deep=True)
        return hit

    def __getitem__(self, logical_id: str) -> Resource:
        r = self.get(logical_id)
        if r is None:
            raise KeyError(logical_id)
        return r

    def add(self, resource: Resource) -> Resource:
        if self.get(resource.logical_id) is not None:
            raise ValueError(f"duplicate logical id {resource.logical_id}")
        self.added[resource.logical_id] = resource
        return resource

    def changed(self) -> dict[str, Resource]:
        """The fixed resources by logical id: copies (changed or only read) and added ones."""
        return {**self.copied, **self.added}

    def __getattr__(self, name: str) -> Any:
        if name in ("resources", "edges", "__iter__", "by_type", "model_copy"):
            raise AttributeError(f"a fix addresses resources by logical id; FixView has no {name!r}")
        return getattr(self._design, name)


class CostDeltas:
    """Prices the fixes of a design's findings, each in proportion to what it touches.

    When the caller passes the design's estimate, its total is the design's monthly cost (for the
    budget check) and its free-tier mode and hours per month are reused, so a delta compares like
    with like.

    ``pricings`` counts the calls to the pricing engine and ``priced_resources`` the resources they
    priced (tests use them to show a review never prices the whole design per finding).
    """

    def __init__(self, design: Design, *, enabled: bool = True, estimate: Estimate | None = None) -> None:
        self.design = design
        self.enabled = enabled
        self._base: Decimal | None = None
        self._base_error: str | None = None
        self._given: Decimal | None = None
        #: The estimate behind ``total()`` (the given one, else the base pricing); None until priced.
        self.estimate: Estimate | None = estimate
        #: The given estimate, whose free-tier mode and hours per month every pricing here reuses.
        self._given_estimate = estimate
        self.note = ""
        self.pricings = 0
        self._opts: PricingOptions | None = None
        self._failed: list[str] = []
        #: id(outcome) → what ``prepare`` got applying its fix
        self._applied: dict[int, tuple[dict[str, Resource], set[str]] | str] = {}
        self.priced_resources = 0
        #: logical id → ids of the resources whose properties mention it (built on first use)
        self._mentioned_by: dict[str, set[str]] | None = None
        #: logical id → ids its properties mention
        self._mentions: dict[str, set[str]] = {}
        self._ids: set[str] = set()
        #: logical ids of resources drawing from a free-tier allowance (free tier on only)
        self._pool_members: set[str] | None = None
        #: logical id → its monthly price in the unchanged design (no free tier)
        self._before: dict[str, Decimal] = {}
        #: affected ids → total of their small design before the fix (free tier on)
        self._before_sets: dict[frozenset[str], Decimal] = {}
        if estimate is not None:
            self._given = Decimal(estimate.monthly_usd)

    # --- the design's total --------------------------------------------------------------------------
    def given(self) -> Decimal | None:
        """The total of the estimate passed in (None when none was)."""
        return self._given

    def _pricing_options(self) -> PricingOptions:
        """One set of options and one loaded catalogue (which remembers its query resolutions) for every
        pricing of this review."""
        if self._opts is None:
            from cloudwright.pricing.catalog import load_catalog
            from cloudwright.pricing.engine import PricingOptions

            given = self._given_estimate
            self._opts = (
                PricingOptions(catalog=load_catalog())
                if given is None
                else PricingOptions(
                    free_tier=given.free_tier, hours_per_month=given.hours_per_month, catalog=load_catalog()
                )
            )
        return self._opts

    def _price(self, design: Design) -> Estimate:
        from cloudwright.pricing.engine import price_design

        self.pricings += 1
        self.priced_resources += len(design.resources)
        return price_design(design, self._pricing_options())

    def base(self) -> Decimal | None:
        """The priced monthly total of the unchanged design (None when pricing failed)."""
        if self._base is None and self._base_error is None:
            try:
                est = self._price(self.design)
                self._base = Decimal(est.monthly_usd)
                if self.estimate is None:
                    self.estimate = est
            except PRICING_ERRORS as exc:  # pricing is another stage; the review must not fail with it
                self._base_error = f"{type(exc).__name__}: {exc}"
                self.note = f"Cost deltas unknown: the design could not be priced ({self._base_error})."
        return self._base

    def total(self) -> Decimal | None:
        """The design's monthly cost: the given estimate's total, else priced here."""
        return self._given if self._given is not None else self.base()

    # --- the cost of a fix -----------------------------------------------------------------------------
    def delta(self, outcome: Outcome) -> tuple[Decimal | None, str]:
        if outcome.cost_delta is not None:
            return Decimal(outcome.cost_delta), outcome.cost_note
        if outcome.fix is None:
            return None, outcome.cost_note
        if not self.enabled:
            return None, UNKNOWN_NOTE
        applied = self._applied.pop(id(outcome), None) or self._apply(outcome)
        if isinstance(applied, str):
            return None, applied
        changed, affected = applied
        try:
            diff = self._after(affected, changed) - self._before_total(affected)
        except PRICING_ERRORS as exc:
            why = f"{type(exc).__name__}: {exc}"
            self._failed.append(f"{outcome.resource}: {why}")
            self.note = (
                f"Cost deltas unknown for {len(self._failed)} fix(es) that could not be priced "
                f"(first: {self._failed[0]})."
            )
            return None, f"{UNKNOWN_NOTE} (the fix for {outcome.resource} cannot be priced: {why})"
        if diff == 0:
            return None, outcome.cost_note
        return diff, outcome.cost_note

    def prepare(self, outcomes: Iterable[Outcome]) -> None:
        """Apply every fix up front and price the unchanged resources they affect in one pricing.

        Optional (``delta`` works without it); it turns one "before" pricing per fixed resource into one
        for the review. Without a free tier only: with one, "before" depends on the whole set priced.
        """
        if not self.enabled or self._free_tier():
            return
        wanted: set[str] = set()
        for o in outcomes:
            if o.fix is None or o.cost_delta is not None:
                continue
            applied = self._applied[id(o)] = self._apply(o)
            if not isinstance(applied, str):
                wanted |= {i for i in applied[1] if i not in self._before and self.design.get(i) is not None}
        if wanted:
            # on failure each fix is priced on its own below, and the one that fails says so
            with contextlib.suppress(*PRICING_ERRORS):
                self._price_before(wanted)

    def _apply(self, outcome: Outcome) -> tuple[dict[str, Resource], set[str]] | str:
        """The fixed resources and the affected ids, or the note saying why the fix cannot be applied."""
        view = FixView(self.design)
        try:
            assert outcome.fix is not None
            outcome.fix(cast(Design, view))
        except FIX_ERRORS as exc:
            return f"{UNKNOWN_NOTE} (the fix for {outcome.resource} cannot be applied: {exc!r})"
        changed = view.changed()
        affected = set(changed)
        for lid in changed:
            affected |= self._referrers(lid)
        return changed, affected

    # --- graph ---------------------------------------------------------------------------------------
    def _index(self) -> dict[str, set[str]]:
        if self._mentioned_by is None:
            ids = self._ids = {r.logical_id for r in self.design.resources}
            back: dict[str, set[str]] = {}
            for r in self.design.resources:
                found: set[str] = set()
                _mentions(r.properties, ids, found)
                found.update(d for d in r.depends_on if d in ids)
                found.discard(r.logical_id)
                self._mentions[r.logical_id] = found
                for target in found:
                    back.setdefault(target, set()).add(r.logical_id)
            self._mentioned_by = back
        return self._mentioned_by

    def _referrers(self, logical_id: str) -> set[str]:
        """Resources whose properties mention ``logical_id`` (Ref, GetAtt, Sub or the plain id)."""
        return set(self._index().get(logical_id, ()))

    def _context(self, resources: Iterable[Resource]) -> set[str]:
        """Ids the given resources mention (their cost models may read those resources)."""
        self._index()
        ids = self._ids
        out: set[str] = set()
        for r in resources:
            known = self._mentions.get(r.logical_id)
            if known is None or r is not self.design.get(r.logical_id):
                known = set()
                _mentions(r.properties, ids, known)
            out |= known
        return out

    def _free_tier(self) -> bool:
        return self._given_estimate is not None and self._given_estimate.free_tier != "none"

    def _pools(self) -> set[str]:
        """Resources with a charge that draws from a free-tier allowance (one pass of the cost models)."""
        if self._pool_members is None:
            from cloudwright.pricing.engine import _billing_region  # the engine's own region rule
            from cloudwright.pricing.registry import ModelContext, load_cost_models
            from cloudwright.pricing.usage import usage_for
            from cloudwright.units import HOURS_PER_MONTH, D

            models = load_cost_models()
            given = self._given_estimate
            hours = D(given.hours_per_month if given is not None else HOURS_PER_MONTH)
            members: set[str] = set()
            for r in self.design.resources:
                model = models.get(r.type)
                if model is None:
                    continue
                region = _billing_region(r.placement.region, self.design.region)
                ctx = ModelContext(self.design, r, usage_for(r, None), region, hours)
                try:
                    charges = model(r, ctx)
                except PRICING_ERRORS:
                    charges = []
                if any(c.free_tier_pool for c in charges):
                    members.add(r.logical_id)
            self._pool_members = members
        return self._pool_members

    # --- pricing of a few resources --------------------------------------------------------------------
    def _small_design(self, priced: set[str], replaced: dict[str, Resource]) -> Design:
        """A design of the ``priced`` resources (``replaced`` substituted) and what they reference."""
        own = [replaced.get(i) or self.design[i] for i in sorted(priced)]
        context = [self.design[i] for i in sorted(self._context(own) - priced)]
        d = self.design
        return Design.model_construct(
            name=d.name,
            description=d.description,
            region=d.region,
            environment=d.environment,
            origin=d.origin,
            resources=own + context,
            edges=[],
            parameters=d.parameters,
            conditions=d.conditions,
            outputs={},
            mappings=d.mappings,
            assumptions=d.assumptions,
            network={},
            warnings=[],
            metadata=d.metadata,
        )

    def _sum(self, estimate: Estimate, ids: set[str]) -> Decimal:
        return sum((Decimal(r.monthly_usd) for r in estimate.resources if r.logical_id in ids), Decimal(0))

    def _before_total(self, affected: set[str]) -> Decimal:
        present = {i for i in affected if self.design.get(i) is not None}
        if self._free_tier():
            key = frozenset(present | self._pools())
            if key not in self._before_sets:
                self._before_sets[key] = Decimal(self._price(self._small_design(set(key), {})).monthly_usd)
            return self._before_sets[key]
        missing = {i for i in present if i not in self._before}
        if missing:
            self._price_before(missing)
        return sum((self._before[i] for i in present), Decimal(0))

    def _price_before(self, ids: set[str]) -> None:
        est = self._price(self._small_design(ids, {}))
        for r in est.resources:
            if r.logical_id in ids:
                self._before[r.logical_id] = Decimal(r.monthly_usd)

    def _after(self, affected: set[str], changed: dict[str, Resource]) -> Decimal:
        if self._free_tier():
            priced = affected | self._pools()
            return Decimal(self._price(self._small_design(priced, changed)).monthly_usd)
        return self._sum(self._price(self._small_design(affected, changed)), affected)


def _mentions(node: Any, ids: set[str], found: set[str]) -> None:
    """Logical ids ``node`` mentions: Ref / GetAtt / Sub targets (read by :mod:`cloudwright.cfn.intrinsics`)
    and plain strings equal to an id."""
    from cloudwright.cfn.intrinsics import references

    found.update(name for name in references(node) if name in ids)
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
        elif isinstance(cur, str) and cur in ids:
            found.add(cur)
