"""Disaster recovery: the secondary Region, the four strategies built and priced, and the choice.

:func:`plan_dr` is one step the recommender and the pipeline call on a built design: it picks the
secondary Region inside ``allowed_regions`` (same partition, same residency group first), builds every
strategy into a copy of the design (:mod:`cloudwright.dr.stacks`), prices each copy through the normal
pricing entry point (each resource at its ``placement.region``'s prices, unknown prices stay unknown),
derives each strategy's RTO/RPO from its failover steps (:mod:`cloudwright.dr.strategies`), and keeps
the cheapest strategy that meets ``rto_minutes``/``rpo_minutes``.

Targets: the requirements' ``rto_minutes``/``rpo_minutes`` unless left at their defaults (15 / 60 min,
"not stated"); without them no target constrains the choice and the cheapest strategy (backup &
restore) is kept, which the plan says.
DR is designed for production only; dev and staging stay in one Region.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from typing import Any

from cloudwright import regions
from cloudwright.design.model import Design, list_or_empty
from cloudwright.dr.strategies import STRATEGIES, recoveries, recovery
from cloudwright.requirements import Requirements
from cloudwright.units import round_money

__all__ = [
    "STRATEGIES",
    "DrPlan",
    "build_strategy",
    "choose",
    "comparable",
    "plan_dr",
    "ranking_basis",
    "secondary_region",
    "unpriced_signature",
]

#: Regions that must be enabled (opted in) in an account before use; never picked as a DR Region when
#: another Region is allowed.
OPT_IN = frozenset(
    {
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-south-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-7",
        "ca-west-1",
        "eu-central-2",
        "eu-south-1",
        "eu-south-2",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
    }
)


@cache
def _region_ranks() -> dict[str, tuple[str, str, bool, int]]:
    """Per known Region (static data): its partition, its residency group, whether it needs opt-in and
    its position in the catalogue."""
    return {r.code: (r.partition, r.group, r.code in OPT_IN, i) for i, r in enumerate(regions.REGIONS)}


def secondary_region(
    primary: str, allowed: tuple[str, ...] | list[str], priced: AbstractSet[str] | None = None
) -> str | None:
    """The DR Region for ``primary``: inside ``allowed`` (empty = anywhere), same partition, same
    residency group first, then Regions with catalogue prices, Regions that need no opt-in, catalogue
    order. None when the allowed set holds no other Region."""
    partition = regions.partition_of(primary)
    group = regions.group_of(primary)
    ranks = _region_ranks()
    priced = priced or frozenset()
    best: tuple[bool, bool, bool, int] | None = None
    found: str | None = None
    for code in regions.expand(tuple(allowed)):
        code_partition, code_group, opt_in, position = ranks[code]
        if code == primary or code_partition != partition:
            continue
        rank = (code_group != group, code not in priced, opt_in, position)
        if best is None or rank < best:
            best, found = rank, code
    return found


def unpriced_signature(estimate: Any) -> tuple[tuple[str, str, str], ...]:
    """The lines of an estimate that have no price (resource, line, quantity), and the types with no cost
    model: two estimates with the same signature lack the same amounts, so their priced parts compare
    exactly."""
    out: list[tuple[str, str, str]] = []
    for r in estimate.resources:
        if r.classification == "unsupported":
            out.append((r.logical_id, r.type, "no cost model"))
            continue
        for li in r.line_items:
            if li.status == "price-unknown":
                out.append((r.logical_id, li.description, str(li.quantity)))
    return tuple(sorted(out))


def comparable(signatures: list[tuple[tuple[str, str, str], ...]]) -> bool:
    """Whether priced totals with these unpriced-line signatures can be ranked by their priced parts:
    every one complete, or every one lacking exactly the same lines."""
    return len(set(signatures)) <= 1


@dataclass
class DrOption:
    strategy: str
    monthly_usd: Decimal | None
    complete: bool
    unpriced_lines: int
    rto_minutes: float
    rpo_minutes: float
    meets_targets: bool
    recovery: dict[str, Any]
    #: The lines without a price (see :func:`unpriced_signature`).
    signature: tuple[tuple[str, str, str], ...] = ()
    #: The estimate and the design the option was priced from (its :attr:`by_region` split is made from
    #: them when asked: only the options of the plan a result shows are split).
    priced: tuple[Any, Design] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def by_region(self) -> dict[str, dict[str, Any]]:
        """Per Region: the priced monthly total and the lines without a price (:func:`by_region`)."""
        return {} if self.priced is None else by_region(*self.priced)

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "name": self.recovery["name"],
            "monthly_usd": None if self.monthly_usd is None else float(round_money(self.monthly_usd)),
            "complete": self.complete,
            "unpriced_lines": self.unpriced_lines,
            "rto_minutes": self.rto_minutes,
            "rpo_minutes": self.rpo_minutes,
            "meets_targets": self.meets_targets,
            "band": self.recovery["band"],
            "secondary": self.recovery["secondary"],
            "rto_steps": self.recovery["rto_steps"],
            "rpo_basis": self.recovery["rpo_basis"],
            "by_region": {
                k: {
                    "monthly_usd": float(round_money(v["monthly_usd"])),
                    "unpriced_lines": v["unpriced_lines"],
                }
                for k, v in sorted(self.by_region.items())
            },
        }


@dataclass
class DrPlan:
    strategy: str
    regions: list[str]
    primary: str
    secondary: str | None
    rto_minutes: float
    rpo_minutes: float
    rto_target_minutes: float | None
    rpo_target_minutes: float | None
    options: list[DrOption]
    reason: str
    design: Design
    estimate: Any = None
    notes: list[str] = field(default_factory=list)
    #: How the options were ranked (see :func:`choose`).
    ranking_basis: str = "totals"
    #: A lazy plan's builder and the options it built (None: every option is in ``options``).
    _pending: Any = field(default=None, repr=False, compare=False)

    @property
    def partial(self) -> bool:
        """Only the options deciding the choice are built (``plan_dr(lazy=True)``); see :meth:`complete`."""
        return self._pending is not None

    def complete(self) -> DrPlan:
        """Build and price the options a lazy plan left out, so that ``options``, ``reason`` and ``notes``
        are those of the full comparison (the choice, its design and estimate do not change)."""
        if self._pending is None:
            return self
        job, built = self._pending
        missing = [s for s in STRATEGIES if s not in built]
        for s in missing:
            built[s] = job.evaluate(s, last=s == missing[-1])
        full = job.plan(built)
        if full.strategy != self.strategy or full.ranking_basis != self.ranking_basis:
            raise AssertionError(  # pragma: no cover - the lazy choice is the full one by construction
                f"lazy DR choice {self.strategy} ({self.ranking_basis}) differs from the full one "
                f"{full.strategy} ({full.ranking_basis})"
            )
        self.options, self.reason, self.notes = full.options, full.reason, full.notes
        self._pending = None
        return self

    def option(self, strategy: str) -> DrOption:
        return next(o for o in self.options if o.strategy == strategy)

    def to_dict(self) -> dict[str, Any]:
        self.complete()
        return {
            "strategy": self.strategy,
            "rto_minutes": self.rto_minutes,
            "rpo_minutes": self.rpo_minutes,
            "rto_target_minutes": self.rto_target_minutes,
            "rpo_target_minutes": self.rpo_target_minutes,
            "regions": list(self.regions),
            "primary_region": self.primary,
            "secondary_region": self.secondary,
            "reason": self.reason,
            "ranking_basis": self.ranking_basis,
            "notes": list(self.notes),
            "options": [o.to_dict() for o in self.options],
        }


def targets(req: Requirements) -> tuple[float | None, float | None]:
    """The RTO/RPO targets for a Region outage: the requirements' values unless they are the documented
    defaults (15 / 60 min), which stand for "not stated" (a value equal to the default reads the same
    after the requirements are saved and loaded again, so the choice does not depend on how they were
    written)."""
    fields = Requirements.model_fields
    rto_default, rpo_default = fields["rto_minutes"].default, fields["rpo_minutes"].default
    return (
        None if req.rto_minutes == rto_default else req.rto_minutes,
        None if req.rpo_minutes == rpo_default else req.rpo_minutes,
    )


#: The ``[region]`` tag ending a global table's per-replica line.
_REPLICA_TAG = re.compile(r"\[([a-z]{2}(?:-[a-z]+)+-\d)\]$")


def by_region(estimate: Any, design: Design) -> dict[str, dict[str, Any]]:
    """Per Region: the priced monthly total and the number of lines without a price. Each resource
    counts at its placement Region; a global table's per-replica lines (``[region]`` tag) at their
    replica's Region; global services (CloudFront, Route 53) under ``global``."""
    placement = {r.logical_id: r.placement.region for r in design.resources}
    out: dict[str, dict[str, Any]] = {}
    for res in estimate.resources:
        home = placement.get(res.logical_id, design.region)
        for li in res.line_items:
            m = _REPLICA_TAG.search(li.description) if li.description.endswith(("]", "]\n")) else None
            region = m.group(1) if m else home
            if region in ("edge", ""):
                region = "global"
            row = out.get(region)
            if row is None:
                row = out[region] = {"monthly_usd": Decimal(0), "unpriced_lines": 0}
            if li.monthly_usd is not None:
                row["monthly_usd"] += li.monthly_usd
            if li.status != "priced":
                row["unpriced_lines"] += 1
    for r in design.resources:
        region = r.placement.region
        if region in ("edge", ""):
            region = "global"
        if region not in out:
            out[region] = {"monthly_usd": Decimal(0), "unpriced_lines": 0}
    return out


#: How the strategies were ranked (``DrPlan.ranking_basis``, ``dr.ranking_basis`` in design.json).
RANKING_BASES = ("totals", "whitepaper-order", "fastest", "asked", "active-by-pattern")


def ranking_basis(options: list[DrOption]) -> str:
    """``totals`` when the priced totals of the options meeting the targets compare exactly (every one
    complete, or every one lacking the same lines); otherwise ``whitepaper-order``; ``fastest`` when no
    option meets the targets."""
    meeting = [o for o in options if o.meets_targets]
    if not meeting:
        return "fastest"
    return "totals" if comparable([o.signature for o in meeting]) else "whitepaper-order"


def choose(options: list[DrOption]) -> DrOption:
    """The cheapest option that meets the targets; none meeting them: the fastest one.

    Totals are compared only when they compare exactly (:func:`ranking_basis`); otherwise a partial
    total could make a dearer strategy look cheaper (its missing lines are in other Regions), and the
    strategies' cost order from the AWS whitepaper ($ backup & restore < $$ pilot light < $$$ warm
    standby < $$$$ active/active) decides.
    """
    meeting = [o for o in options if o.meets_targets]
    basis = ranking_basis(options)
    if basis == "totals":
        return min(meeting, key=lambda o: (o.monthly_usd or 0, STRATEGIES.index(o.strategy)))
    if basis == "whitepaper-order":
        return min(meeting, key=lambda o: STRATEGIES.index(o.strategy))
    return min(options, key=lambda o: (o.rto_minutes, o.rpo_minutes))


def secondaries_for(design: Design, req: Requirements, catalog: Any) -> tuple[list[str], bool]:
    """The recovery Regions of ``design`` and whether the pattern names them itself (multi-Region
    patterns serve users from every Region they run in)."""
    existing = [
        str(s["region"])
        for s in list_or_empty(design.metadata.get("secondary_regions"))
        if isinstance(s, dict) and regions.is_known(str(s.get("region")))
    ]
    if existing:
        return existing, True
    found = secondary_region(design.region, req.allowed_regions, _priced_regions(catalog))
    return ([found] if found else []), False


def build_strategy(
    design: Design, req: Requirements, strategy: str, *, pricing: Any = None, copy: bool = True
) -> tuple[Design, Any]:
    """``design`` with ``strategy`` built in, and its estimate (one strategy, no comparison): how the
    search prices a candidate's strategy at another load. ``copy=False`` builds into ``design`` itself."""
    from cloudwright.dr.stacks import apply_strategy
    from cloudwright.pricing.catalog import load_catalog
    from cloudwright.pricing.engine import PricingOptions, price_design

    opts = pricing or PricingOptions()
    secondaries, _ = secondaries_for(design, req, opts.catalog or load_catalog())
    variant = apply_strategy(design, req, strategy, secondaries, copy=copy)
    return variant, price_design(variant, opts)


def plan_dr(
    design: Design,
    req: Requirements,
    *,
    pricing: Any = None,
    strategy: str | None = None,
    copy: bool = True,
    lazy: bool = False,
    rebuild: Callable[[], Design] | None = None,
) -> DrPlan | None:
    """Build, price and compare the four strategies for a production design; None for dev/staging.

    ``pricing`` is a :class:`~cloudwright.pricing.engine.PricingOptions`; ``strategy`` forces one;
    ``copy=False`` lets the last strategy be built into ``design`` itself (the caller no longer needs it).

    ``lazy``: build and price only the strategies needed to decide the choice (the RTO/RPO of a strategy
    are known before it is built; with the totals of the options meeting the targets not comparable the
    whitepaper's cost order decides, so pricing stops at the second meeting option whose unpriced lines
    differ from the first's). The chosen strategy, its design, estimate, RTO/RPO and ranking basis are
    those of the full comparison; :meth:`DrPlan.complete` adds the other options (the table a report
    shows) when they are needed. A lazy plan never builds into ``design`` (``copy`` is ignored) unless
    ``rebuild`` is given: a function returning a design identical to ``design`` (e.g. the same
    ``build_design`` call again). Then the last strategy a lazy plan builds goes into ``design`` itself
    (no copy), and :meth:`DrPlan.complete` rebuilds the design it builds the other options into.
    """
    from cloudwright.pricing.catalog import load_catalog
    from cloudwright.pricing.engine import PricingOptions

    if design.environment != "prod":
        return None
    opts = pricing or PricingOptions()
    catalog = opts.catalog or load_catalog()
    # a multi-Region pattern names its own active Regions (audience-driven); otherwise pick one
    secondaries, by_pattern = secondaries_for(design, req, catalog)
    if by_pattern and strategy is None:
        strategy = "active-active"
    job = _Job(design, req, opts, secondaries, by_pattern, strategy, rebuild if lazy else None)
    if lazy:
        return job.plan(job.needed())
    built: dict[str, tuple[DrOption, Design, Any]] = {}
    for s in STRATEGIES:
        # the last strategy is built into ``design`` itself (``copy=False`` when the caller allows it)
        built[s] = job.evaluate(s, copy=copy or s != STRATEGIES[-1])
    return job.plan(built)


class _Job:
    """One design's strategies: what is needed to build, price and judge each, and the plan they give."""

    def __init__(
        self,
        design: Design,
        req: Requirements,
        opts: Any,
        secondaries: list[str],
        by_pattern: bool,
        strategy: str | None,
        rebuild: Callable[[], Design] | None = None,
    ) -> None:
        #: The design the strategies are built into (a copy each, but the last one); None once the last
        #: strategy was built into it, until ``rebuild`` gives it again.
        self.base: Design | None = design
        self.rebuild = rebuild
        self.primary = design.region
        self.req = req
        self.opts = opts
        self.secondaries = secondaries
        self.secondary = secondaries[0] if secondaries else None
        self.existing = secondaries if by_pattern else []
        self.strategy = strategy
        self.rto_t, self.rpo_t = targets(req)

    def meets(self, rec: dict[str, Any]) -> bool:
        return (
            self.secondary is not None
            and (self.rto_t is None or rec["rto_minutes"] <= self.rto_t)
            and (self.rpo_t is None or rec["rpo_minutes"] <= self.rpo_t)
        )

    def evaluate(self, s: str, *, copy: bool = True, last: bool = False) -> tuple[DrOption, Design, Any]:
        """Strategy ``s`` built into a copy of the base design and priced. ``copy=False``, or ``last``
        with a ``rebuild`` function (the base can be made again), builds into the base itself."""
        from cloudwright.dr.stacks import apply_strategy
        from cloudwright.pricing.engine import price_design

        base = self.base
        if base is None:
            if self.rebuild is None:  # pragma: no cover - only a plan given ``rebuild`` consumes its base
                raise AssertionError("the base design was built into and cannot be rebuilt")
            base = self.base = self.rebuild()
        into_base = not copy or (last and self.rebuild is not None)
        if into_base:
            self.base = None
        variant = apply_strategy(base, self.req, s, self.secondaries, copy=not into_base)
        est = price_design(variant, self.opts)
        rec = recovery(variant, s)
        option = DrOption(
            strategy=s,
            monthly_usd=Decimal(est.monthly_usd),
            complete=bool(est.complete),  # pricing/verdict.py owns what complete means
            unpriced_lines=sum(li.status == "price-unknown" for r in est.resources for li in r.line_items),
            rto_minutes=rec["rto_minutes"],
            rpo_minutes=rec["rpo_minutes"],
            meets_targets=self.meets(rec),
            recovery=rec,
            signature=unpriced_signature(est),
            priced=(est, variant),
        )
        return option, variant, est

    def needed(self) -> dict[str, tuple[DrOption, Design, Any]]:
        """The strategies that decide the choice, built and priced (see ``plan_dr(lazy=True)``)."""
        # RTO/RPO from the failover steps of the design before the strategy is built: a strategy adds no
        # data-store kind and no compute kind the design lacks (checked below on every option built)
        assert self.base is not None
        early = recoveries(self.base)
        meets = {s: self.meets(early[s]) for s in STRATEGIES}
        built: dict[str, tuple[DrOption, Design, Any]] = {}
        if self.strategy is not None:
            built[self.strategy] = self.evaluate(self.strategy, last=True)
        elif not any(meets.values()):
            fastest = min(STRATEGIES, key=lambda s: (early[s]["rto_minutes"], early[s]["rpo_minutes"]))
            built[fastest] = self.evaluate(fastest, last=True)
        else:
            meeting = [s for s in STRATEGIES if meets[s]]
            for s in meeting:
                # likely the last one built: the last meeting the targets, or one after an option lacking
                # prices for some lines (the next almost always lacks others, its secondary Region's,
                # which ends the comparison); if not, the base is rebuilt for the next
                likely_last = s == meeting[-1] or any(o.signature for o, _, _ in built.values())
                built[s] = self.evaluate(s, last=likely_last)
                if not comparable([o.signature for o, _, _ in built.values()]):
                    break  # the whitepaper's cost order decides: the first meeting option is chosen
        if any(o.recovery != early[s] or o.meets_targets != meets[s] for s, (o, _, _) in built.items()):
            return {s: built.get(s) or self.evaluate(s) for s in STRATEGIES}  # pragma: no cover
        return built

    def plan(self, built: dict[str, tuple[DrOption, Design, Any]]) -> DrPlan:
        """The plan from the options built (every strategy, or those deciding the choice)."""
        primary = self.primary
        secondaries, existing, secondary, strategy = (
            self.secondaries,
            self.existing,
            self.secondary,
            self.strategy,
        )
        rto_t, rpo_t = self.rto_t, self.rpo_t
        options = [built[s][0] for s in STRATEGIES if s in built]
        notes: list[str] = []
        if secondary is None:
            notes.append(
                f"allowed_regions ({', '.join(self.req.allowed_regions)}) leaves no second Region in the "
                f"{regions.partition_of(primary)} partition: a Region-wide outage cannot be recovered "
                "inside the residency boundary; backups stay in the primary Region."
            )
        basis = ranking_basis(options)
        if existing and strategy == "active-active":
            chosen = next(o for o in options if o.strategy == strategy)
            basis = "active-by-pattern"
            reason = (
                f"the pattern serves users from every Region it runs in ({', '.join([primary, *existing])}), "
                "so every Region is active"
            )
        elif strategy is not None:
            chosen = next(o for o in options if o.strategy == strategy)
            basis = "asked"
            reason = f"{chosen.recovery['name']} was asked for"
        else:
            chosen = choose(options)
            if rto_t is None and rpo_t is None:
                reason = (
                    "no rto_minutes/rpo_minutes given (or left at the defaults 15/60): the cheapest strategy "
                    "is kept; give them to require a faster recovery"
                )
            elif chosen.meets_targets:
                dearer = [o.strategy for o in options if o.meets_targets and o.strategy != chosen.strategy]
                if basis == "totals":
                    reason = f"the cheapest strategy that meets RTO {_fmt(rto_t)} / RPO {_fmt(rpo_t)} min" + (
                        f" ({', '.join(dearer)} also meet them at a higher cost)" if dearer else ""
                    )
                else:
                    reason = (
                        "the cheapest strategy in the AWS whitepaper's cost order that meets "
                        f"RTO {_fmt(rto_t)} / RPO {_fmt(rpo_t)} min: the options' totals lack prices for "
                        "different lines, so their priced parts are not compared"
                        + (f" ({', '.join(dearer)} also meet them)" if dearer else "")
                    )
            else:
                reason = (
                    f"no strategy meets RTO {_fmt(rto_t)} / RPO {_fmt(rpo_t)} min; the fastest one is kept"
                )
        if not all(o.complete for o in options):
            notes.append(
                "some lines have no price (e.g. a Region outside the price catalogue): option totals cover "
                "the priced lines only"
                + (
                    "; a strategy whose total lacks prices for other lines is not ranked cheaper on its "
                    "priced part (the AWS whitepaper's cost order decides)"
                    if basis == "whitepaper-order"
                    else ""
                )
            )
        _, variant, est = built[chosen.strategy]
        plan = DrPlan(
            strategy=chosen.strategy,
            regions=[primary, *(secondaries if chosen.strategy != "backup-restore" else secondaries[:1])],
            primary=primary,
            secondary=secondary,
            rto_minutes=chosen.rto_minutes,
            rpo_minutes=chosen.rpo_minutes,
            rto_target_minutes=rto_t,
            rpo_target_minutes=rpo_t,
            options=options,
            reason=reason,
            design=variant,
            estimate=est,
            notes=notes,
            ranking_basis=basis,
        )
        if len(built) < len(STRATEGIES):
            plan._pending = (self, built)
        return plan


_PRICED: dict[int, tuple[int, frozenset[str]]] = {}


def _priced_regions(catalog: Any) -> frozenset[str]:
    """Regions the price catalogue has rows for (loaded or built-in regional tables); remembered per
    catalogue while its row count is unchanged (every candidate of a search asks)."""
    from cloudwright.pricing.catalog import regional_regions

    n = len(catalog.rows)
    hit = _PRICED.get(id(catalog))
    if hit is None or hit[0] != n:
        hit = (n, frozenset(catalog.regions()) | frozenset(regional_regions()))
        _PRICED.clear()
        _PRICED[id(catalog)] = hit
    return hit[1]


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:g}"
