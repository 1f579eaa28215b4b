"""The review's vocabulary: pillars, severities, check metadata, results, findings and the review itself.

Every renderer (terminal, Markdown, HTML, JSON, SARIF) reads :class:`Review`; nothing else.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_serializer,
    model_serializer,
)

from cloudwright.units import ENVIRONMENTS, JsonObject, JsonValue, round_money


class Pillar(StrEnum):
    OPERATIONAL_EXCELLENCE = "operational-excellence"
    SECURITY = "security"
    RELIABILITY = "reliability"
    PERFORMANCE_EFFICIENCY = "performance-efficiency"
    COST_OPTIMISATION = "cost-optimisation"
    SUSTAINABILITY = "sustainability"

    @property
    def title(self) -> str:  # type: ignore[override]
        return self.value.replace("-", " ").capitalize()


#: Check-id prefix → pillar (``SEC-S3-001`` is a security check).
PILLAR_PREFIX: dict[str, Pillar] = {
    "OPS": Pillar.OPERATIONAL_EXCELLENCE,
    "SEC": Pillar.SECURITY,
    "REL": Pillar.RELIABILITY,
    "PERF": Pillar.PERFORMANCE_EFFICIENCY,
    "COST": Pillar.COST_OPTIMISATION,
    "SUS": Pillar.SUSTAINABILITY,
}
PILLAR_ORDER = list(Pillar)


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical … 4 for info (sort key)."""
        return list(Severity).index(self)

    @property
    def weight(self) -> int:
        """Weight in the pillar score (see docs/checks.md)."""
        return {"critical": 10, "high": 5, "medium": 3, "low": 1, "info": 0}[self.value]


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    SUPPRESSED = "suppressed"


class CheckMeta(BaseModel):
    """Metadata every check must carry (a meta-test enforces completeness)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^(OPS|SEC|REL|PERF|COST|SUS)-[A-Z0-9]+-\d{3}$")
    title: str = Field(min_length=5)
    pillar: Pillar
    severity: Severity
    rationale: str = Field(min_length=10)
    remediation: str = Field(min_length=10)
    #: Well-Architected best-practice ids (``SEC08-BP02``) and overlapping ``checkov:CKV_AWS_16`` /
    #: ``cfn-lint:W3011`` ids, plus URLs.
    references: tuple[str, ...] = Field(min_length=1)
    #: CloudFormation types the check looks at; empty for design-wide checks.
    types: tuple[str, ...] = ()
    #: Environments the check applies to (default: all).
    environments: tuple[str, ...] = ENVIRONMENTS
    kind: Literal["declarative", "logic"] = "logic"
    #: How the check's cost grows with the design: ``quadratic`` checks are skipped, with a note, above
    #: ``cloudwright.review.engine.QUADRATIC_MAX_RESOURCES`` resources.
    complexity: Literal["linear", "quadratic"] = "linear"


class Finding(BaseModel):
    """One failed check on one resource (or on the design as a whole)."""

    model_config = ConfigDict(extra="forbid")

    check_id: str
    title: str
    pillar: Pillar
    severity: Severity
    #: Logical id of the resource, or ``"design"`` for design-wide findings.
    resource: str
    #: Path into the template, cfn-lint style: ``["Resources", "Db", "Properties", "MultiAZ"]``.
    path: list[str] = Field(default_factory=list)
    message: str
    remediation: str
    #: Monthly cost change of applying the remediation (None: no cost change or unknown, see cost_note).
    cost_delta_usd: Decimal | None = None
    cost_note: str = ""
    #: Where the finding came from: our own checks, cfn-lint or checkov.
    source: Literal["cloudwright", "cfn-lint", "checkov"] = "cloudwright"
    #: Why this finding is expected (dev allow-list), shown next to it.
    expected_reason: str = ""

    def sort_key(self) -> tuple[int, str, str, str]:
        return (self.severity.rank, self.check_id, self.resource, "/".join(self.path))

    @field_serializer("cost_delta_usd", when_used="json-unless-none")
    def _money(self, value: Decimal) -> float:
        """JSON: a number rounded to cents."""
        return float(round_money(value))


class CheckResult(BaseModel):
    """The outcome of one check on one resource: pass / fail / unknown / suppressed (with reason)."""

    model_config = ConfigDict(extra="forbid")

    check_id: str
    resource: str
    status: Status
    reason: str = ""


class PillarScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pillar: Pillar
    #: 0–100, or None when no check of the pillar applied.
    score: int | None
    passed: int = 0
    failed: int = 0
    unknown: int = 0
    suppressed: int = 0


class _Section(BaseModel):
    """A section of the review. Numbers read from the data files keep their JSON form (``2`` stays
    ``2``, ``0.1`` stays ``0.1``): fields that hold them are ``int | float``."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------------------------------
# availability (composite of published SLAs)
# --------------------------------------------------------------------------------------------------
class SlaComponent(_Section):
    """One distinct (service, form, Region) on the request or data path, with its published SLA."""

    service: str
    name: str
    #: ``multi_az`` | ``single_az`` | ``multi_region`` | ``"<k> AZs in parallel"`` (stand-alone instances).
    form: str
    #: A Region, or ``global`` (global services and data shared by every Region: in series).
    region: str
    #: The SLA of this form, percent (None: no published figure).
    sla_percent: int | float | None
    #: The SLA the service would have deployed across AZs (or Regions, for ``multi_region``).
    multi_az_percent: int | float | None
    source: str
    date: str
    resources: list[str] = Field(default_factory=list)


class SinglePointOfFailure(_Section):
    """A dependency that stays in one Region while the design claims more, with its mitigation."""

    #: Logical id, or ``design`` when the whole design runs in one Region.
    resource: str
    type: str
    region: str
    why: str
    mitigation: str


AvailabilityVerdict = Literal[
    "unknown",
    "no target",
    "meets target",
    "below target: single-AZ components",
    "below target: SLA product",
]


class Availability(_Section):
    """Composite availability from the published SLAs, against the requirements' target."""

    #: Percent, rounded to 4 decimals (None: no component with a published SLA).
    composite_percent: float | None
    #: The composite with every component in its multi-AZ form.
    multi_az_percent: float | None
    #: A component has no published SLA: the composite is an upper bound.
    is_upper_bound: bool
    unknown_services: list[str] = Field(default_factory=list)
    target_percent: float | None = None
    verdict: AvailabilityVerdict
    regions: list[str] = Field(default_factory=list)
    dr_strategy: str | None = None
    #: How the components combine (in series, regional stacks in parallel, …).
    composition: str
    #: Dependencies whose own SLA holds the product below the target.
    limiting_dependencies: list[str] = Field(default_factory=list)
    single_points_of_failure: list[SinglePointOfFailure] = Field(default_factory=list)
    components: list[SlaComponent] = Field(default_factory=list)
    downtime_minutes_per_month: float | None = None


# --------------------------------------------------------------------------------------------------
# recovery objectives
# --------------------------------------------------------------------------------------------------
class RecoveryComponent(_Section):
    """The recovery row (``data/slas/recovery.yaml``) of one stateful or serving component."""

    resource: str
    type: str
    failure: str
    #: Minutes (None: unknown).
    rto_min: int | float | None
    rpo_min: int | float | None
    how: str
    source: str
    #: The row of the recovery table.
    model: str
    #: Why the RTO is unknown (single-AZ tiers); absent from JSON when there is none.
    note: str | None = None
    #: The row cites its own source (False: the recovery table's, which JSON writes after ``model``).
    own_source: bool = Field(default=True, exclude=True, repr=False)

    @model_serializer(mode="plain")
    def _serialize(self) -> JsonObject:
        """The row as the recovery table has it: its own source before ``model``, the table's after it;
        ``note`` only when there is one."""
        data: JsonObject = {
            "resource": self.resource,
            "type": self.type,
            "failure": self.failure,
            "rto_min": self.rto_min,
            "rpo_min": self.rpo_min,
            "how": self.how,
        }
        if self.own_source:
            data["source"], data["model"] = self.source, self.model
        else:
            data["model"], data["source"] = self.model, self.source
        if self.note is not None:
            data["note"] = self.note
        return data


class RecoveryStep(_Section):
    """One failover step of a disaster-recovery strategy (or the basis of its RPO), with its source."""

    step: str
    minutes: int | float
    how: str
    source: str


class RegionFailure(_Section):
    """A Region-wide outage: the design's disaster-recovery strategy and its failover steps."""

    strategy: str
    name: str
    band: str
    secondary: str
    rto_minutes: float
    rpo_minutes: float
    rto_steps: list[RecoveryStep] = Field(default_factory=list)
    rpo_basis: RecoveryStep
    source: str


class Recovery(_Section):
    """The worst RTO/RPO over the components (and a Region outage when a DR strategy is built in)."""

    #: Minutes (None: a component's figure is unknown).
    rto_minutes: int | float | None
    rpo_minutes: int | float | None
    region_failure: RegionFailure | None = None
    #: Which failures the figures cover.
    scope: str
    rto_target_minutes: float | None = None
    rpo_target_minutes: float | None = None
    components: list[RecoveryComponent] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# service quotas
# --------------------------------------------------------------------------------------------------
class QuotaCheck(_Section):
    """One default service quota against what the sized design needs."""

    #: Key in ``cloudwright.quotas`` (``lambda.concurrent_executions``).
    quota: str
    service: str
    name: str
    needed: int | float
    default: int | float
    unit: str
    scope: str
    #: What was counted (``peak concurrency, all functions in us-east-1``, an AZ, a logical id).
    detail: str
    adjustable: bool
    breach: bool
    #: How to raise the quota (only on a breach).
    how_to_raise: str = ""
    resources: list[str] = Field(default_factory=list)
    source: str
    date: str


# --------------------------------------------------------------------------------------------------
# compliance evidence
# --------------------------------------------------------------------------------------------------
ControlStatus = Literal["met", "not met", "unknown", "not assessed", "process"]


class ControlEvidence(_Section):
    """One control of a framework, the checks mapped to it and what they show."""

    id: str
    requirement: str
    control: str
    #: The resource settings that implement the control.
    settings: str = ""
    checks: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    status: ControlStatus
    evidence: str


class FrameworkEvidence(_Section):
    """A compliance framework (``data/compliance/``) mapped onto the review's check results."""

    framework: str
    title: str
    source: str
    date: str
    #: Controls per status, sorted by status.
    counts: dict[str, int] = Field(default_factory=dict)
    controls: list[ControlEvidence] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# external validators
# --------------------------------------------------------------------------------------------------
class SuppressedRule(_Section):
    """A validator rule skipped in the template, with the reason written there."""

    tool: str
    rule_id: str
    resource: str | None
    reason: str


class ExternalValidators(_Section):
    """Which validators ran on the rendered template and what they found (or why they did not run).

    Their findings also appear in :attr:`Review.findings` with ``source`` set to the tool."""

    ran: bool = False
    tools: list[str] = Field(default_factory=list)
    #: Findings per tool, sorted by tool.
    counts: dict[str, int] = Field(default_factory=dict)
    suppressed: list[SuppressedRule] = Field(default_factory=list)
    error: str = ""


class Review(BaseModel):
    """Everything the review found about one design."""

    model_config = ConfigDict(extra="forbid")

    design_name: str
    environment: str
    origin: str = ""
    #: Date at which lifecycle facts (runtime deprecation, end of support) were judged.
    as_of: str = ""
    compliance_frameworks: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    results: list[CheckResult] = Field(default_factory=list)
    scores: dict[str, PillarScore] = Field(default_factory=dict)
    compliance: list[FrameworkEvidence] = Field(default_factory=list)
    #: The sections below are None until the review computed them (JSON: ``{}``).
    availability: Availability | None = None
    recovery: Recovery | None = None
    quotas: list[QuotaCheck] = Field(default_factory=list)
    #: External validators (None: not asked for).
    external: ExternalValidators | None = None
    notes: list[str] = Field(default_factory=list)

    @field_serializer("availability", "recovery", "external", mode="wrap")
    def _absent_as_empty(self, value: _Section | None, handler: SerializerFunctionWrapHandler) -> JsonValue:
        result: JsonValue = {} if value is None else handler(value)
        return result

    def own_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.source == "cloudwright"]

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out

    def to_dict(self) -> JsonObject:
        """JSON-ready mapping (money as numbers rounded to cents)."""
        data: JsonObject = self.model_dump(mode="json")
        data["counts"] = dict[str, JsonValue](self.counts())
        return data
