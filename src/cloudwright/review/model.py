"""The review's vocabulary: pillars, severities, check metadata, results, findings and the review itself.

Every renderer (terminal, Markdown, HTML, JSON, SARIF) reads :class:`Review`; nothing else.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cloudwright.units import ENVIRONMENTS, round_money


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
    compliance: list[dict[str, Any]] = Field(default_factory=list)
    availability: dict[str, Any] = Field(default_factory=dict)
    recovery: dict[str, Any] = Field(default_factory=dict)
    quotas: list[dict[str, Any]] = Field(default_factory=list)
    #: External validators section: {"ran": bool, "tools": {...}, "findings": [...] } (findings also
    #: appear in ``findings`` with ``source`` set to the tool).
    external: dict[str, Any] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)

    def own_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.source == "cloudwright"]

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (money as numbers rounded to cents)."""
        data = self.model_dump(mode="json")
        for f, raw in zip(self.findings, data["findings"], strict=True):
            raw["cost_delta_usd"] = None if f.cost_delta_usd is None else float(round_money(f.cost_delta_usd))
        data["counts"] = self.counts()
        return data
