"""What an application needs, as one validated model.

YAML and JSON files, CLI flags, the web form and the REST API all load into :class:`Requirements`.
A file written with the original ``ArchitectureDesigner`` keys (``application_type``, ``expected_users``,
``requests_per_second``, ``budget_monthly_usd``, ``team_size``, ``aws_experience``, ``compliance``,
``data_size_gb``) loads as is. Bad input raises :class:`~cloudwright.errors.InputError` naming the
field, the bad value and what is allowed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cloudwright import regions
from cloudwright.errors import InputError
from cloudwright.units import MONTH_SECONDS


class ApplicationType(StrEnum):
    WEB_APPLICATION = "web_application"
    SAAS_PLATFORM = "saas_platform"
    MOBILE_BACKEND = "mobile_backend"
    DATA_PIPELINE = "data_pipeline"
    MICROSERVICES = "microservices"
    IOT_PLATFORM = "iot_platform"
    #: Public pages and media for mostly anonymous readers (sites, docs, blogs, news, catalogues).
    CONTENT_SITE = "content_site"


class Experience(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Compliance(StrEnum):
    HIPAA = "HIPAA"
    PCI_DSS = "PCI-DSS"
    SOC2 = "SOC2"
    GDPR = "GDPR"
    ISO27001 = "ISO27001"


class Environment(StrEnum):
    """The environments of :data:`cloudwright.units.ENVIRONMENTS` as an enum (a test keeps them equal)."""

    DEV = "dev"
    STAGING = "staging"
    PROD = "prod"


class ComputePreference(StrEnum):
    AUTO = "auto"
    SERVERLESS = "serverless"
    CONTAINERS = "containers"
    KUBERNETES = "kubernetes"
    VIRTUAL_MACHINES = "virtual_machines"


class Interaction(StrEnum):
    REQUEST_RESPONSE = "request_response"
    WEBSOCKET = "websocket"
    BATCH = "batch"
    STREAMING = "streaming"


class Accelerator(StrEnum):
    NONE = "none"
    GPU = "gpu"


class Media(StrEnum):
    NONE = "none"
    VIDEO_CALLS = "video_calls"
    LIVE_STREAMING = "live_streaming"
    VIDEO_ON_DEMAND = "video_on_demand"


class BatchSpec(BaseModel):
    """How a batch workload runs: how often, how much input each run reads, and its time window."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    runs_per_day: float = Field(1.0, gt=0, le=1440, description="Batch runs per day.")
    input_gb_per_run: float = Field(10.0, ge=0, le=10_000_000, description="Input data each run reads, GB.")
    window_hours: float = Field(4.0, gt=0, le=24, description="Hours each run may take from start to finish.")


class AudienceRegion(StrEnum):
    NORTH_AMERICA = "north-america"
    SOUTH_AMERICA = "south-america"
    EUROPE = "europe"
    ASIA_PACIFIC = "asia-pacific"
    MIDDLE_EAST = "middle-east"
    AFRICA = "africa"


_COMPLIANCE_ALIASES = {
    "hipaa": Compliance.HIPAA,
    "pci": Compliance.PCI_DSS,
    "pcidss": Compliance.PCI_DSS,
    "soc2": Compliance.SOC2,
    "soc": Compliance.SOC2,
    "soc2type2": Compliance.SOC2,
    "gdpr": Compliance.GDPR,
    "iso27001": Compliance.ISO27001,
    "iso": Compliance.ISO27001,
}
_ENV_ALIASES = {
    "dev": "dev",
    "development": "dev",
    "staging": "staging",
    "stage": "staging",
    "prod": "prod",
    "production": "prod",
}
_REGION_RE = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")


def _normalised_list(value: Any, normalise: Callable[[str], Any]) -> Any:
    """A list field given as a list or a comma/space-separated string: each text item normalised, repeats
    dropped, order kept. Anything else is returned for pydantic to refuse."""
    if isinstance(value, str):
        value = [p for p in re.split(r"[,\s]+", value) if p]
    if not isinstance(value, list | tuple):
        return value
    out: list[Any] = []
    for item in value:
        if isinstance(item, str):
            item = normalise(item)
        if item not in out:
            out.append(item)
    return tuple(out)


class Requirements(BaseModel):
    """An application's requirements. Every field has a documented default (see docs/requirements.md)."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, frozen=True, allow_inf_nan=False)

    name: str = Field(
        "my-app", min_length=1, max_length=64, description="Project name, used for tags and names."
    )
    application_type: ApplicationType = Field(
        ApplicationType.WEB_APPLICATION, description="What kind of application this is."
    )
    expected_users: int = Field(
        1000, ge=0, le=10_000_000_000, description="Monthly active users (devices for IoT)."
    )
    requests_per_second: float = Field(
        10.0,
        ge=0,
        le=10_000_000,
        description="Average requests (events, messages) per second; peak = this × peak_to_average_ratio.",
    )
    budget_monthly_usd: float = Field(
        500.0, ge=0, le=1e9, description="Monthly budget in USD for production."
    )
    team_size: int = Field(3, ge=1, le=100_000, description="Engineers who will build and run it.")
    aws_experience: Experience = Field(Experience.BEGINNER, description="The team's AWS experience.")
    compliance: tuple[Compliance, ...] = Field((), description="Compliance regimes that apply.")
    data_size_gb: float = Field(10.0, ge=0, le=1e9, description="Data stored today, in GB.")

    region: str = Field("us-east-1", description="Primary AWS region.")
    availability_target: float = Field(
        99.9, ge=90.0, le=99.999, description="Required availability of the whole system, percent."
    )
    latency_p95_ms: int = Field(200, ge=1, le=600_000, description="p95 API latency target, milliseconds.")
    rto_minutes: float = Field(15.0, gt=0, le=100_000, description="Recovery time objective, minutes.")
    rpo_minutes: float = Field(60.0, ge=0, le=100_000, description="Recovery point objective, minutes.")
    environments: tuple[Environment, ...] = Field(
        (Environment.DEV, Environment.STAGING, Environment.PROD), description="Environments to plan for."
    )
    peak_to_average_ratio: float = Field(3.0, ge=1.0, le=1000.0, description="Peak load ÷ average load.")
    read_percent: float = Field(
        80.0, ge=0.0, le=100.0, description="Share of requests that only read, percent."
    )
    avg_request_kb: float = Field(2.0, ge=0.0, le=10_240, description="Average request payload, KB.")
    avg_response_kb: float = Field(5.0, ge=0.0, le=10_240, description="Average response payload, KB.")
    data_growth_gb_per_month: float = Field(1.0, ge=0.0, le=1e9, description="Data added per month, GB.")
    audience_regions: tuple[AudienceRegion, ...] = Field(
        (AudienceRegion.NORTH_AMERICA,), description="Where the users are."
    )
    compute_preference: ComputePreference = Field(
        ComputePreference.AUTO, description="Preferred compute model, or auto."
    )

    # --- workload shape ---------------------------------------------------------------------------
    interaction: Interaction = Field(
        Interaction.REQUEST_RESPONSE,
        description="How clients talk to the system: request/response, long-lived websockets, "
        "scheduled batch runs, or a continuous stream of events.",
    )
    concurrent_connections: int | None = Field(
        None,
        ge=0,
        le=1_000_000_000,
        description="Websocket connections open at the same time at peak (websocket workloads).",
    )
    messages_per_connection_per_second: float | None = Field(
        None,
        ge=0,
        le=1000,
        description="Messages each open websocket connection sends or receives per second.",
    )
    batch: BatchSpec | None = Field(
        None, description="Batch runs: runs_per_day, input_gb_per_run, window_hours (batch workloads)."
    )
    accelerator: Accelerator = Field(
        Accelerator.NONE, description="Hardware the workload needs beyond CPUs: none or gpu."
    )
    media: Media = Field(
        Media.NONE,
        description="Audio/video the application handles: none, video_calls, live_streaming or "
        "video_on_demand.",
    )
    signed_in_share_percent: float = Field(
        100.0,
        ge=0.0,
        le=100.0,
        description="Share of users who sign in, percent. Anonymous users are never billed as "
        "identity users.",
    )
    allowed_regions: tuple[str, ...] = Field(
        (),
        description="Where data may live (residency): Region codes or the groups eu, us, apac, ca, "
        "latam, me, af, cn. Empty means anywhere.",
    )

    # --- normalisation -------------------------------------------------------------------------
    @field_validator("compliance", mode="before")
    @classmethod
    def _compliance(cls, v: Any) -> Any:
        def alias(item: str) -> Any:
            return _COMPLIANCE_ALIASES.get(re.sub(r"[^a-z0-9]", "", item.lower()), item)

        return _normalised_list(() if v is None else v, alias)

    @field_validator("environments", mode="before")
    @classmethod
    def _environments(cls, v: Any) -> Any:
        return _normalised_list(v, lambda item: _ENV_ALIASES.get(item.lower(), item))

    @field_validator("audience_regions", mode="before")
    @classmethod
    def _audience(cls, v: Any) -> Any:
        return _normalised_list(v, lambda item: item.lower().replace("_", "-"))

    @field_validator("allowed_regions", mode="before")
    @classmethod
    def _allowed_regions(cls, v: Any) -> Any:
        def known(item: str) -> str:
            item = item.strip().lower()
            if item not in regions.GROUPS and not regions.is_known(item):
                raise ValueError(
                    f"{item!r} is neither a known AWS Region code nor a group ({', '.join(regions.GROUPS)})"
                )
            return item

        return _normalised_list(() if v is None else v, known)

    @field_validator(
        "application_type",
        "aws_experience",
        "compute_preference",
        "interaction",
        "accelerator",
        "media",
        mode="before",
    )
    @classmethod
    def _lower(cls, v: Any) -> Any:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("region")
    @classmethod
    def _region(cls, v: str) -> str:
        v = v.strip().lower()
        if not _REGION_RE.match(v) or not regions.is_known(v):
            raise ValueError("not a known AWS Region code such as us-east-1 or eu-west-1")
        return v

    @field_validator("*", mode="before")
    @classmethod
    def _plain_numbers(cls, v: Any, info: Any) -> Any:
        """Numeric fields take finite numbers (or numeric text from forms and flags), never true/false."""
        return _check_number(cls, info.field_name, v)

    @field_validator("budget_monthly_usd")
    @classmethod
    def _budget_cents(cls, v: float) -> float:
        if 0 < v < 0.01:
            raise ValueError("a budget is 0 (none set) or at least $0.01")
        return v

    @model_validator(mode="before")
    @classmethod
    def _region_from_allowed(cls, data: Any) -> Any:
        """With ``allowed_regions`` but no ``region``, the primary Region is the first allowed one."""
        if isinstance(data, dict) and data.get("allowed_regions") and "region" not in data:
            entries = data["allowed_regions"]
            if isinstance(entries, str):
                entries = [p for p in re.split(r"[,\s]+", entries) if p]
            if isinstance(entries, list | tuple) and entries and isinstance(entries[0], str):
                default = regions.default_region([entries[0].strip().lower()])
                if default:
                    data = {**data, "region": default}
        return data

    @model_validator(mode="after")
    def _non_empty(self) -> Requirements:
        if not self.environments:
            raise ValueError("environments: at least one of dev, staging, prod is needed")
        if not self.audience_regions:
            raise ValueError("audience_regions: at least one region of the audience is needed")
        if self.allowed_regions and not regions.allows(self.allowed_regions, self.region):
            raise ValueError(
                f"region: {self.region} is outside allowed_regions ({', '.join(self.allowed_regions)}); "
                "choose a primary Region inside them"
            )
        if self.interaction is Interaction.BATCH and self.batch is None:
            raise ValueError(
                "batch: a batch workload needs batch: {runs_per_day, input_gb_per_run, window_hours}"
            )
        if self.interaction is not Interaction.BATCH and self.batch is not None:
            raise ValueError("batch: only used when interaction is batch")
        return self

    # --- derived figures (shared by sizing and pricing) ---------------------------------------------
    @property
    def peak_rps(self) -> float:
        return self.requests_per_second * self.peak_to_average_ratio

    @property
    def requests_per_month(self) -> float:
        """Average RPS over a 730-hour month (:data:`cloudwright.units.MONTH_HOURS`)."""
        return self.requests_per_second * MONTH_SECONDS

    @property
    def signed_in_users(self) -> int:
        """Users who sign in (identity users); anonymous readers are not counted."""
        return round(self.expected_users * self.signed_in_share_percent / 100.0)

    @property
    def allowed_region_codes(self) -> tuple[str, ...]:
        """Every Region code data may live in (all known Regions when unrestricted)."""
        return regions.expand(self.allowed_regions)

    @property
    def is_global(self) -> bool:
        return len(self.audience_regions) > 1

    @property
    def has_prod(self) -> bool:
        return Environment.PROD in self.environments

    def canonical(self) -> dict[str, Any]:
        """JSON-ready mapping with every field, in declaration order."""
        return json.loads(self.model_dump_json())


def _check_number(model: Any, field: str | None, v: Any) -> Any:
    """Refuse booleans and non-finite values for int/float fields before pydantic coerces them."""
    info = model.model_fields.get(field or "")
    if info is None or info.annotation not in (int, float, int | None, float | None):
        return v
    if isinstance(v, bool):
        raise ValueError("a number is needed, not true/false")
    if isinstance(v, str):
        try:
            num = float(v.strip().replace("_", ""))
        except ValueError:
            return v  # pydantic reports "not a valid number"
        if not math.isfinite(num):
            raise ValueError("only finite numbers are allowed")
    elif isinstance(v, float | Decimal) and not math.isfinite(v):
        raise ValueError("only finite numbers are allowed")
    return v


# ------------------------------------------------------------------------------------------------
# loading
# ------------------------------------------------------------------------------------------------
FIELD_NAMES = tuple(Requirements.model_fields)


def numeric_bounds() -> dict[str, str]:
    """Every numeric field and its bounds in words (what docs/requirements.md lists)."""
    out: dict[str, str] = {}
    for name, info in Requirements.model_fields.items():
        if info.annotation in (int, float, int | None, float | None):
            allowed = _allowed_for(name)
            out[name] = allowed if isinstance(allowed, str) else ""
    return out


def _allowed_for(field: str) -> list[str] | str | None:
    info = Requirements.model_fields.get(field)
    if info is None:
        return list(FIELD_NAMES)
    ann = info.annotation
    enum_cls = None
    args = getattr(ann, "__args__", ())
    for candidate in (ann, *args):
        if isinstance(candidate, type) and issubclass(candidate, StrEnum):
            enum_cls = candidate
    if enum_cls is not None:
        return [e.value for e in enum_cls]
    bounds = []
    for meta in info.metadata:
        for attr, sym in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            val = getattr(meta, attr, None)
            if val is not None:
                bounds.append(f"{sym} {val:g}" if isinstance(val, int | float) else f"{sym} {val}")
    if bounds:
        kind = "a whole number" if ann in (int, int | None) else "a finite number"
        extra = " (0, or at least 0.01)" if field == "budget_monthly_usd" else ""
        return f"{kind} {' and '.join(bounds)}{extra}"
    if field == "region":
        return "a known AWS Region code such as us-east-1 (see docs/requirements.md)"
    if field == "allowed_regions":
        return f"AWS Region codes or the groups {', '.join(regions.GROUPS)}"
    return None


def _friendly(exc: ValidationError, data: Any) -> InputError:
    problems: list[InputError] = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        field = loc[0] if loc else "requirements"
        value = err.get("input")
        etype = err.get("type", "")
        if etype == "extra_forbidden":
            problems.append(InputError("unknown field", field=field, value=None, allowed=list(FIELD_NAMES)))
            continue
        msg = str(err.get("msg", "invalid value"))
        msg = msg.replace("Value error, ", "")
        if not loc:
            # a whole-model rule: its message starts with the field it is about ("region: …")
            head, sep, rest = msg.partition(": ")
            if sep and head in Requirements.model_fields:
                field = head
                given = value.get(head) if isinstance(value, dict) else None
                value = None if given is None or rest.startswith(str(given)) else given
                problems.append(InputError(msg, field=field, value=value, allowed=_allowed_for(field)))
                continue
        if etype == "enum":
            msg = "not an allowed value"
        problems.append(
            InputError(msg, field=".".join(loc) or field, value=value, allowed=_allowed_for(field))
        )
    if len(problems) == 1:
        return problems[0]
    return InputError(f"{len(problems)} problems in the requirements:", problems=problems)


def requirements_from_mapping(data: Any, *, overrides: dict[str, Any] | None = None) -> Requirements:
    """Validate a mapping (from YAML, JSON, a form or flags) into :class:`Requirements`."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(
            "requirements must be a mapping of field: value", field="requirements", value=type(data).__name__
        )
    merged = dict(data)
    if "requirements" in merged and isinstance(merged["requirements"], dict) and len(merged) == 1:
        merged = dict(merged["requirements"])
    for k, v in (overrides or {}).items():
        if v is not None:
            merged[k] = v
    bad_keys = [k for k in merged if not isinstance(k, str)]
    if bad_keys:
        raise InputError("field names must be text", field=str(bad_keys[0]), allowed=list(FIELD_NAMES))
    try:
        return Requirements.model_validate(merged)
    except ValidationError as exc:
        raise _friendly(exc, merged) from None


def parse_requirements_text(text: str, *, source: str = "<input>") -> Requirements:
    data = parse_document(text, source=source)
    return requirements_from_mapping(data)


def parse_document(text: str, *, source: str = "<input>", field: str = "file") -> Any:
    """Parse YAML or JSON text (see :func:`cloudwright.inputs.parse_document`): malformed input, duplicate
    keys and alias bombs become an InputError pointing at the line."""
    from cloudwright.inputs import parse_document as parse

    return parse(text, source=source, field=field)


def read_document(path: str | Path, *, field: str = "file", what: str = "file") -> Any:
    """Read (bounded, regular files only) and parse a YAML or JSON file; every failure is an InputError
    naming ``field`` and the path."""
    from cloudwright.inputs import read_document as read

    return read(path, what=what, field=field)


def load_requirements(path: str | Path, *, overrides: dict[str, Any] | None = None) -> Requirements:
    """Load requirements from a YAML or JSON file, with optional field overrides (CLI flags)."""
    from cloudwright.inputs import read_input

    text = read_input(path, what="requirements file")
    data = parse_document(text, source=str(path))
    try:
        return requirements_from_mapping(data, overrides=overrides)
    except InputError as exc:
        raise _located(exc, text, str(path)) from None


def _located(exc: InputError, text: str, source: str) -> InputError:
    """Prefix each problem's field with ``file:line:column`` of its key in the document."""
    from cloudwright.inputs import key_positions

    positions = key_positions(text)
    for problem in exc.problems or [exc]:
        key = (problem.field or "").split(".")[0]
        where = positions.get(key)
        if problem.field is not None and not problem.field.startswith(source):
            problem.field = (
                f"{source}:{where[0]}:{where[1]}: {problem.field}" if where else f"{source}: {problem.field}"
            )
    return exc


def looks_like_requirements(data: Any) -> bool:
    """True when a parsed document is a requirements file rather than a CloudFormation template."""
    if not isinstance(data, dict):
        return False
    if "Resources" in data or "AWSTemplateFormatVersion" in data:
        return False
    return bool(set(data) & set(FIELD_NAMES)) or "requirements" in data
