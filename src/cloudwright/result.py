"""The canonical result of ``cloudwright design``: one model every surface renders.

:class:`DesignResult` holds the requirements, the recommendation (chosen pattern, ranked alternatives,
flip points), the sized resource graph, the estimate, the budget verdict, the review, the network and
security plan, the implementation checklist and the roadmap. :meth:`DesignResult.to_dict` is the JSON
contract documented in ``docs/json-schema.md`` (``SCHEMA_VERSION`` changes when a field is removed or
changes meaning; adding fields is backwards compatible).

Money is :class:`~decimal.Decimal` in the model; ``to_dict`` writes monthly amounts as numbers rounded
half-up to cents and unit prices exactly.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from cloudwright.design.model import Design, Placement
from cloudwright.design.plan import NetworkPlan as NetworkPlan
from cloudwright.design.plan import Phase as Phase
from cloudwright.design.plan import RoadmapPhase as RoadmapPhase
from cloudwright.design.plan import Task as Task
from cloudwright.pricing.model import LineItem
from cloudwright.pricing.verdict import UnpricedResource
from cloudwright.pricing.verdict import Verdict as Verdict
from cloudwright.requirements import Requirements
from cloudwright.review.model import Review
from cloudwright.units import HOURS_PER_MONTH, JsonObject, JsonValue, round_money

SCHEMA_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ComponentView(_Model):
    """One row of the pattern's selection-rationale table (service, purpose, alternative, why)."""

    builder: str
    role: str = ""
    service: str = ""
    purpose: str = ""
    alternative: str = ""
    why: str = ""


class PatternView(_Model):
    id: str
    name: str
    summary: str = ""
    score: float | None = None
    reasons: list[str] = Field(default_factory=list)
    when_to_use: list[str] = Field(default_factory=list)
    pros: list[str] = Field(default_factory=list)
    cons: list[str] = Field(default_factory=list)
    use_cases: list[str] = Field(default_factory=list)
    not_for: list[str] = Field(default_factory=list)
    #: Scaling characteristics as label → text (e.g. ``"peak requests/s": "100 – 10,000"``).
    scaling: dict[str, str] = Field(default_factory=dict)
    #: Hard limits with their sources: ``[{"limit": ..., "source": ...}]``.
    scaling_limits: list[dict[str, str]] = Field(default_factory=list)
    operational_burden: str = ""
    seeds: list[str] = Field(default_factory=list)
    components: list[ComponentView] = Field(default_factory=list)
    #: The chosen candidate as the search saw it (same fields as in ``alternatives``).
    monthly_usd: Decimal | None = None
    dr_strategy: str | None = None
    meets_targets: bool | None = None
    targets: list[TargetResult] = Field(default_factory=list)
    burden: str = ""
    sensitivity: list[LoadCost] = Field(default_factory=list)
    gates: list[GateResult] = Field(default_factory=list)


class TargetResult(_Model):
    """One target of the requirements checked on one candidate design (``met`` None: cannot be told)."""

    target: str
    required: JsonValue = None
    achieved: JsonValue = None
    met: bool | None = None
    basis: str = ""


class LoadCost(_Model):
    """The candidate's monthly cost, rebuilt and re-priced at ``load_factor`` × the stated load."""

    load_factor: float
    monthly_usd: Decimal | None = None


class GateResult(_Model):
    """A hard gate the pattern failed, and what it would take to pass it."""

    gate: str
    reason: str
    would_take: str = ""


class Alternative(_Model):
    id: str
    name: str = ""
    score: float | None = None
    #: Why it lost (or what speaks against it for these requirements).
    reasons: list[str] = Field(default_factory=list)
    #: Ruled out entirely by a hard gate (application type, interaction, compliance, team, …).
    excluded: bool = False
    #: Designed and priced as a candidate (False: ruled out by a gate before any design).
    candidate: bool = False
    #: Priced prod total of the candidate design with its DR strategy (None when it was not designed).
    monthly_usd: Decimal | None = None
    #: The disaster-recovery strategy the candidate was designed and priced with (None: not prod).
    dr_strategy: str | None = None
    #: The candidate's estimate has a price for every line (usage-dependent lines aside).
    estimate_complete: bool | None = None
    #: True when every target below is met.
    meets_targets: bool | None = None
    targets: list[TargetResult] = Field(default_factory=list)
    #: Operational burden level: low | medium | high | very-high.
    burden: str = ""
    #: Cost at 0.5×, 1×, 2×, 5× and 10× the stated load.
    sensitivity: list[LoadCost] = Field(default_factory=list)
    gates: list[GateResult] = Field(default_factory=list)


class Fit(_Model):
    """Whether the catalogue can serve the workload: fits | partial | none, with the gaps named."""

    status: Literal["fits", "partial", "none"] = "fits"
    gaps: list[str] = Field(default_factory=list)


class Crossover(_Model):
    """Between two load factors the cheapest candidate meeting the targets changes."""

    low_factor: float
    high_factor: float
    #: Load factor where the two costs cross (linear between the two priced points).
    load_factor: float
    from_pattern: str
    to_pattern: str
    description: str


class Flip(_Model):
    """A requirement value at which the recommendation would change."""

    field: str
    current: JsonValue = None
    value: JsonValue = None
    #: "at or above" | "at or below" | "set to" | "add" | "remove"
    direction: str = ""
    pattern_id: str = ""
    description: str


class LineItemView(LineItem):
    """A priced line with the resource it belongs to (the flat ``estimate.line_items`` list)."""

    logical_id: str
    type: str


class ResourceCost(_Model):
    logical_id: str
    type: str
    classification: str
    monthly_usd: Decimal | None = None


class EstimateView(_Model):
    monthly_usd: Decimal
    catalog_date: str = ""
    free_tier: str = "none"
    hours_per_month: Decimal = HOURS_PER_MONTH
    line_items: list[LineItemView] = Field(default_factory=list)
    resources: list[ResourceCost] = Field(default_factory=list)
    unsupported_types: list[str] = Field(default_factory=list)
    #: Lines whose amount is not in ``monthly_usd`` (usage unknown or price unknown).
    unpriced_lines: int = 0
    #: False when a line lacks a price or a type has no cost model: ``monthly_usd`` is then partial.
    complete: bool = True
    #: Each resource behind a partial total and what is missing.
    unpriced: list[UnpricedResource] = Field(default_factory=list)
    #: Lines priced per unit whose usage is unknown (not in ``monthly_usd``; not making it incomplete).
    usage_unknown_lines: int = 0
    #: The total as a sentence that says when it is partial.
    total: str = ""


class Budget(_Model):
    #: The budget from the requirements (None: no budget given).
    monthly_usd: Decimal | None
    estimate_usd: Decimal
    over_budget: bool
    #: How far the estimate exceeds the budget (0 when within). Never clamped.
    overrun_usd: Decimal
    headroom_usd: Decimal
    #: Estimate ÷ budget, percent (None without a budget).
    utilisation_percent: Decimal | None
    #: ``within-budget`` | ``over-budget`` | ``incomplete`` | ``no-budget`` (see pricing/verdict.py).
    verdict: Verdict
    message: str
    #: Within budget but at ≥ 90 % of it.
    near_budget: bool = False
    #: Whether the estimate behind the verdict is complete (no line without a price).
    complete: bool = True
    #: The cost floor: the prod cost of the cheapest candidate meeting every target (None: none meets them).
    floor_usd: Decimal | None = None
    #: The pattern at the floor and the resources that drive its cost (largest first).
    floor_pattern: str = ""
    floor_drivers: list[str] = Field(default_factory=list)


class ResourceView(_Model):
    logical_id: str
    type: str
    label: str
    role: str = ""
    rationale: str = ""
    component: str = ""
    category: str = ""
    properties: JsonObject = Field(default_factory=dict)
    usage: JsonObject = Field(default_factory=dict)
    placement: Placement = Field(default_factory=Placement)
    metadata: JsonObject = Field(default_factory=dict)
    depends_on: list[str] = Field(default_factory=list)
    monthly_usd: Decimal | None = None
    cost_status: str = ""


class EdgeView(_Model):
    source: str
    target: str
    kind: str
    label: str = ""


class DrStep(_Model):
    """One step of a recovery (or the basis of the RPO): how long it takes, how, and the source."""

    step: str
    minutes: float | None = None
    how: str = ""
    source: str = ""


class DrRegionCost(_Model):
    monthly_usd: float
    unpriced_lines: int


class DrOption(_Model):
    """One disaster-recovery strategy built and priced for the design."""

    strategy: str
    name: str
    monthly_usd: float | None
    complete: bool
    unpriced_lines: int
    rto_minutes: float
    rpo_minutes: float
    meets_targets: bool
    band: str
    #: What runs in the secondary Region.
    secondary: str
    rto_steps: list[DrStep] = Field(default_factory=list)
    rpo_basis: DrStep
    by_region: dict[str, DrRegionCost] = Field(default_factory=dict)


class DisasterRecovery(_Model):
    """The chosen strategy, its Regions, RTO/RPO against the targets, and the four options compared."""

    strategy: str
    rto_minutes: float
    rpo_minutes: float
    rto_target_minutes: float | None = None
    rpo_target_minutes: float | None = None
    regions: list[str] = Field(default_factory=list)
    primary_region: str
    secondary_region: str | None = None
    reason: str = ""
    #: How the strategies were ranked: totals | whitepaper-order | fastest | asked | active-by-pattern.
    ranking_basis: str = ""
    notes: list[str] = Field(default_factory=list)
    options: list[DrOption] = Field(default_factory=list)


class DesignResult(_Model):
    schema_version: str = SCHEMA_VERSION
    name: str
    environment: str
    region: str
    origin: str = ""
    #: The requirements as given (JSON: their canonical form, every field with its value).
    requirements: Requirements
    pattern: PatternView
    #: Can the catalogue serve this workload: fits | partial | none, with the gaps.
    fit: Fit = Field(default_factory=Fit)
    alternatives: list[Alternative] = Field(default_factory=list)
    flips: list[Flip] = Field(default_factory=list)
    #: Loads at which the cheapest candidate meeting the targets changes.
    crossovers: list[Crossover] = Field(default_factory=list)
    #: How the candidates' costs were compared: totals | complete-first | priced-parts | burden ("" when
    #: no search ran).
    ranking_basis: str = ""
    resources: list[ResourceView] = Field(default_factory=list)
    edges: list[EdgeView] = Field(default_factory=list)
    estimate: EstimateView
    budget: Budget
    #: The review of the design (JSON: :meth:`Review.to_dict`, with the severity counts).
    review: Review | None = None
    #: The network and security plan read from the graph (subnets, NAT, endpoints, rules, roles, encryption).
    network: NetworkPlan
    checklist: list[Phase] = Field(default_factory=list)
    roadmap: list[RoadmapPhase] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    assumptions: JsonObject = Field(default_factory=dict)
    #: Disaster recovery (production): the chosen strategy, its Regions, RTO/RPO and the four options.
    dr: DisasterRecovery | None = None

    #: The design graph the result was built from (not serialised: the CloudFormation writer reads it).
    design_obj: Design | None = Field(default=None, exclude=True, repr=False)

    @field_serializer("requirements")
    def _requirements_json(self, requirements: Requirements) -> JsonObject:
        return requirements.canonical()

    @field_serializer("review")
    def _review_json(self, review: Review | None) -> JsonObject | None:
        return None if review is None else review.to_dict()

    def resource(self, logical_id: str) -> ResourceView | None:
        for r in self.resources:
            if r.logical_id == logical_id:
                return r
        return None

    def to_dict(self) -> JsonObject:
        """The JSON contract: JSON-ready values only (money as numbers, cents for monthly amounts)."""
        raw = self.model_dump(mode="python", exclude={"design_obj"})
        return {str(k): _jsonable(v, key=str(k)) for k, v in raw.items()}


_EXACT_KEYS = {"unit_price", "quantity"}


def _jsonable(value: object, *, key: str) -> JsonValue:
    """``value`` (from ``model_dump(mode="python")``) as JSON: Decimals as numbers (monthly amounts and
    percentages rounded to cents), integral floats as integers, enums as their values."""
    if isinstance(value, Decimal):
        if key in _EXACT_KEYS:
            return _number(value)
        if key.endswith("usd") or key.endswith("_percent"):
            return _number(round_money(value))
        return _number(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v, key=str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v, key=key) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value) if abs(value) < 1e15 else value
    if isinstance(value, Enum) and isinstance(value.value, str):
        return value.value
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"not JSON-ready: {type(value).__name__} under {key!r}")


def _number(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)
