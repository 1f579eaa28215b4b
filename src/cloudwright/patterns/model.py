"""The pattern model: one YAML file per pattern in ``patterns/data/``, validated on load.

A pattern says what it is for (``fits_when``, ``use_cases``), what it is made of (``components``, each
with the alternative considered and why), its trade-offs (``pros``, ``cons``), its limits (``scale``,
``scaling_limits`` with sources, ``availability``), what it costs to run (``operational_burden``,
``cost``) and how well it fits a set of requirements (``fit``: declarative, weighted criteria that
:mod:`cloudwright.patterns.recommend` evaluates). ``seeds`` traces it to the reference material.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Conditions a component can be gated on (``when:``); evaluated by :func:`condition_holds`.
CONDITIONS = {
    "prod": "only in the prod environment",
    "not-dev": "in staging and prod",
    "compliance": "when any compliance regime applies",
    "hipaa": "when HIPAA applies",
    "regulated": "when HIPAA or PCI-DSS applies",
    "global": "when the audience spans more than one region",
    "prod-or-compliance": "in prod, or in any environment when a compliance regime applies",
    "media-video-calls": "when the application handles video calls",
    "media-live-streaming": "when the application streams live video",
    "media-video-on-demand": "when the application serves video on demand",
    "gpu": "when the workload needs GPU accelerators",
}

Operator = Literal["in", "not_in", "min", "max", "between", "contains", "not_contains", "equals"]


class ComponentRef(BaseModel):
    """One building block of a pattern: which builder makes it, and why this service."""

    model_config = ConfigDict(extra="forbid")

    #: Builder id registered in ``cloudwright.design.components`` (e.g. ``network``, ``rest-api``).
    builder: str
    #: Options passed to the builder.
    options: dict[str, Any] = Field(default_factory=dict)
    #: Role in the architecture (frontend, api, database, cache, queue, …).
    role: str = ""
    #: The AWS service(s) used, as a user would name them.
    service: str = ""
    purpose: str = ""
    #: The alternative considered and why this one was chosen (seed 001's selection-rationale table).
    alternative: str = ""
    why: str = ""
    #: Build only when every listed condition holds (see :data:`CONDITIONS`).
    when: list[str] = Field(default_factory=list)

    @field_validator("when")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        for c in v:
            if c not in CONDITIONS:
                raise ValueError(f"unknown condition {c!r}; allowed: {sorted(CONDITIONS)}")
        return v


class FitCriterion(BaseModel):
    """A declarative test over a requirement feature (see ``recommend.features``).

    ``weight`` is added when the test holds, ``penalty`` subtracted when it does not; ``reason`` is the
    sentence shown to users either way (prefixed with "fits:" or "misses:").
    """

    model_config = ConfigDict(extra="forbid")

    feature: str
    op: Operator
    value: Any
    weight: float = 0.0
    penalty: float = 0.0
    reason: str

    @model_validator(mode="after")
    def _shape(self) -> FitCriterion:
        if self.op == "between" and not (isinstance(self.value, list) and len(self.value) == 2):
            raise ValueError("between needs [low, high]")
        if self.op in ("in", "not_in") and not isinstance(self.value, list):
            raise ValueError(f"{self.op} needs a list")
        if self.weight < 0 or self.penalty < 0:
            raise ValueError("weight and penalty are magnitudes (≥ 0)")
        return self


class ScalingLimit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: str
    source: str


class ScaleRange(BaseModel):
    """The load the pattern is built for (outside it the recommendation loses points)."""

    model_config = ConfigDict(extra="forbid")

    users: tuple[float, float]
    peak_rps: tuple[float, float]
    source: str


class Availability(BaseModel):
    model_config = ConfigDict(extra="forbid")

    #: The highest availability target (percent) the pattern is designed to meet.
    max_target: float
    basis: str
    source: str


class OperationalBurden(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: Literal["low", "medium", "high", "very-high"]
    min_team_size: int = Field(ge=1)
    min_experience: Literal["beginner", "intermediate", "advanced"]
    note: str


Level = Literal["beginner", "intermediate", "advanced"]


class Serves(BaseModel):
    """What a pattern can serve at all: the hard gates checked before any score or price.

    A pattern is a candidate only when the requirement's value is in each list.
    """

    model_config = ConfigDict(extra="forbid")

    application_types: list[str] = Field(min_length=1)
    interactions: list[str] = Field(default_factory=lambda: ["request_response"], min_length=1)
    accelerators: list[str] = Field(default_factory=lambda: ["none"], min_length=1)
    media: list[str] = Field(default_factory=lambda: ["none"], min_length=1)

    @model_validator(mode="after")
    def _known(self) -> Serves:
        from cloudwright.requirements import Accelerator, ApplicationType, Interaction, Media

        for name, enum in (
            ("application_types", ApplicationType),
            ("interactions", Interaction),
            ("accelerators", Accelerator),
            ("media", Media),
        ):
            allowed = [e.value for e in enum]
            for v in getattr(self, name):
                if v not in allowed:
                    raise ValueError(f"serves.{name}: unknown value {v!r}; allowed: {allowed}")
        return self


class LatencyFloor(BaseModel):
    """The lowest p95 latency target (ms) the pattern can meet, with why and where that comes from."""

    model_config = ConfigDict(extra="forbid")

    p95_ms: int = Field(ge=1)
    basis: str = Field(min_length=1)
    source: str = Field(min_length=1)


class TeamGate(BaseModel):
    """A hard team-capability gate, overridden only by forcing the pattern (``--pattern``)."""

    model_config = ConfigDict(extra="forbid")

    min_experience: Level = "beginner"
    min_team_size: int = Field(1, ge=1)
    why: str = Field(min_length=1)


class CostProfile(BaseModel):
    """A rough prod cost model used only to rank patterns against a budget (the estimate comes from
    the pricing engine). Every figure is derived from the unit prices named in ``basis``."""

    model_config = ConfigDict(extra="forbid")

    floor_usd: float = Field(ge=0)
    per_million_requests_usd: float = Field(ge=0)
    per_gb_month_usd: float = Field(ge=0)
    #: Per 1,000 monthly active users (e.g. Cognito sign-in), ignoring free tiers.
    per_thousand_users_usd: float = Field(0.0, ge=0)
    basis: str


class Pattern(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    summary: str
    components: list[ComponentRef]
    #: Seed documents the pattern comes from (``000`` … ``003``), with what was taken from each.
    seeds: list[str] = Field(default_factory=list)
    traceability: str = ""
    use_cases: list[str] = Field(default_factory=list)
    fits_when: list[str] = Field(default_factory=list)
    not_for: list[str] = Field(default_factory=list)
    compute: Literal["serverless", "containers", "kubernetes", "virtual_machines"] = "serverless"
    uses_vpc: bool = False
    #: Service keys (``cloudwright.eligibility``) the pattern deploys; checked for HIPAA eligibility.
    services: list[str] = Field(default_factory=list)
    pros: list[str] = Field(default_factory=list)
    cons: list[str] = Field(default_factory=list)
    scale: ScaleRange | None = None
    scaling_limits: list[ScalingLimit] = Field(default_factory=list)
    availability: Availability | None = None
    operational_burden: OperationalBurden | None = None
    cost: CostProfile | None = None
    #: Hard gates: application types, interactions, accelerators and media the pattern serves.
    serves: Serves
    #: Lowest p95 latency target the pattern can meet (None: no floor within the requirement range).
    latency_floor: LatencyFloor | None = None
    #: Team capability gate (None: any team may be handed the pattern).
    team_gate: TeamGate | None = None
    fit: list[FitCriterion] = Field(default_factory=list)
    diagram: dict[str, Any] = Field(default_factory=dict)
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", v):
            raise ValueError("pattern ids are lower-case words joined by hyphens")
        return v

    @property
    def builders(self) -> list[str]:
        return [c.builder for c in self.components]

    def summary_dict(self) -> dict[str, Any]:
        """JSON-ready view for reports and the CLI."""
        return self.model_dump(mode="json", exclude={"fit", "extra", "diagram"})


def condition_holds(
    condition: str,
    *,
    environment: str,
    compliance: set[str],
    is_global: bool,
    media: str = "none",
    accelerator: str = "none",
) -> bool:
    """Evaluate one ``when:`` condition of a component."""
    if condition.startswith("media-"):
        return media == condition.removeprefix("media-").replace("-", "_")
    if condition == "gpu":
        return accelerator == "gpu"
    if condition == "prod":
        return environment == "prod"
    if condition == "not-dev":
        return environment != "dev"
    if condition == "compliance":
        return bool(compliance)
    if condition == "hipaa":
        return "HIPAA" in compliance
    if condition == "regulated":
        return bool({"HIPAA", "PCI-DSS"} & compliance)
    if condition == "global":
        return is_global
    if condition == "prod-or-compliance":
        return environment == "prod" or bool(compliance)
    raise ValueError(f"unknown condition {condition!r}")
