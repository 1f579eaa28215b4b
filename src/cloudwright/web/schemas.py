"""The JSON API's request and response models (the OpenAPI spec is generated from these)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cloudwright.units import EnvironmentName, FreeTier


class Problem(BaseModel):
    field: str | None = None
    message: str
    allowed: list[Any] | str | None = None


class ErrorBody(BaseModel):
    """Every error the API returns, whatever its status."""

    error: str = Field(description="One line saying what is wrong and what is allowed.")
    field: str | None = Field(None, description="The request field (or header) at fault, when one is.")
    allowed: list[Any] | str | None = Field(None, description="What the field accepts, when known.")
    problems: list[Problem] | None = Field(None, description="Every problem, when there are several.")


#: Error responses documented on every operation.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad request (unreadable template, wrong Host header)."},
    401: {"model": ErrorBody, "description": "A token is configured and the request did not carry it."},
    403: {"model": ErrorBody, "description": "A cross-site request (another site's page) was refused."},
    404: {"model": ErrorBody, "description": "No such design, version or file."},
    405: {"model": ErrorBody, "description": "Method not allowed on this path."},
    413: {"model": ErrorBody, "description": "The request body or the template is too large."},
    415: {"model": ErrorBody, "description": "The body is not the media type this operation takes."},
    422: {
        "model": ErrorBody,
        "description": "Invalid input: names the field, the value and what is allowed.",
    },
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TemplateBody(_Strict):
    template: str = Field(
        description="The CloudFormation template itself, as YAML or JSON text (never a file name or path).",
        min_length=1,
    )


class EstimateBody(TemplateBody):
    usage: dict[str, Any] | None = Field(
        None,
        description="A usage file's content: `{resource_usage: {LogicalId: {key: value}}}` "
        "(see docs/usage-keys.md).",
    )
    free_tier: FreeTier = Field("none", description="Which AWS Free Tier allowances to apply.")


class ReviewBody(TemplateBody):
    compliance: list[str] | None = Field(None, description="Compliance regimes to map the findings to.")


Environment = EnvironmentName
Format = Literal["json", "html", "markdown"]
#: Usage overrides of a saved design: logical id → usage key → value (docs/usage-keys.md).
UsageOverrides = dict[str, dict[str, float | int | None]]


class DesignCreate(_Strict):
    name: str = Field(min_length=1, max_length=200, description="Name of the design in the workspace.")
    requirements: dict[str, Any] = Field(
        default_factory=dict, description="Requirements (docs/requirements.md); missing keys take defaults."
    )
    environment: Environment = Field("prod", description="Environment to design, price and template.")
    usage: UsageOverrides | None = Field(None, description="Usage overrides by logical id.")
    note: str | None = Field(None, max_length=500, description="Why this version was made.")


class DesignUpdate(_Strict):
    requirements: dict[str, Any] | None = Field(
        None, description="New requirements (omit to keep the latest version's)."
    )
    usage: UsageOverrides | None = Field(
        None, description="Usage overrides by logical id (omit to keep the latest version's; {} clears)."
    )
    environment: Environment | None = Field(None, description="Omit to keep the design's environment.")
    note: str | None = Field(None, max_length=500, description="Why this version was made.")


class DesignRename(_Strict):
    name: str = Field(min_length=1, max_length=200)


class DesignDuplicate(_Strict):
    name: str | None = Field(None, min_length=1, max_length=200)


class VersionRef(BaseModel):
    id: int = Field(description="Design id.")
    version: int = Field(description="Version number.")


class VersionSummary(BaseModel):
    number: int
    created_at: str = Field(description="UTC timestamp, ISO 8601.")
    note: str
    pattern: str
    catalog_date: str = Field(description="Date of the price catalogue the version was priced with.")
    monthly_usd: float | None
    verdict: str = Field(description="Budget verdict of the version.")
    findings: int = Field(description="Number of review findings.")


class _DesignBase(BaseModel):
    id: int
    name: str
    environment: str
    created_at: str
    updated_at: str
    deleted: bool
    copied_from: str | None = Field(None, description="DESIGN/VERSION this design was duplicated from.")


class DesignSummary(_DesignBase):
    latest: VersionSummary


class DesignDetail(_DesignBase):
    versions: list[VersionSummary]


class VersionDetail(VersionSummary):
    design_id: int
    requirements: dict[str, Any]
    usage: dict[str, Any]
    result: dict[str, Any] = Field(description="The design result (docs/json-schema.md).")
    files: list[str] = Field(description="Names of the downloadable files of this version.")


class CostLine(BaseModel):
    logical_id: str
    description: str
    from_usd: float | None
    to_usd: float | None
    delta_usd: float
    change: Literal["added", "removed", "changed"]
    magnitude: float = Field(description="|delta_usd|, to order lines by the size of the change.")


class ResourceChange(BaseModel):
    logical_id: str
    type: str
    changed: list[str]


class FindingRef(BaseModel):
    check_id: str
    resource: str | None
    severity: str | None
    title: str | None


class Diff(BaseModel):
    cost_from_usd: float
    cost_to_usd: float
    cost_delta_usd: float = Field(description="Total monthly cost change, USD (to − from).")
    cost_lines: list[CostLine] = Field(description="Lines whose cost or quantity changed.")
    resources_added: list[str]
    resources_removed: list[str]
    resources_changed: list[ResourceChange]
    findings_new: list[FindingRef]
    findings_fixed: list[FindingRef]
    pattern_from: str
    pattern_to: str
    requirements_changed: dict[str, dict[str, Any]]
    verdict_from: str | None
    verdict_to: str | None
