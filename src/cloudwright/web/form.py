"""The requirements form, generated from the :class:`~cloudwright.requirements.Requirements` model.

Type, default, limits, choices and help text come from the model's fields; this module only adds
presentation metadata (a human label, the unit and the section a field belongs to). A field the
model gains later still appears, with a label made from its name, in the "More" section.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from cloudwright.requirements import Requirements

#: Sections in display order, with a sentence under each heading.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("workload", "The workload", "What the application is and how much it is used."),
    ("targets", "Targets", "Cost, availability, latency and recovery objectives."),
    ("compliance", "Compliance and team", "Regimes that apply and who will build and run it."),
    ("more", "More", "Further assumptions, with sensible defaults."),
)

#: field → (label, unit or "", section)
LABELS: dict[str, tuple[str, str, str]] = {
    "name": ("Design name", "", "workload"),
    "application_type": ("Application type", "", "workload"),
    "expected_users": ("Monthly active users", "users", "workload"),
    "requests_per_second": ("Average load", "requests/s", "workload"),
    "peak_to_average_ratio": ("Peak ÷ average load", "×", "workload"),
    "read_percent": ("Read share of requests", "%", "workload"),
    "data_size_gb": ("Data stored today", "GB", "workload"),
    "data_growth_gb_per_month": ("Data growth", "GB/month", "workload"),
    "avg_request_kb": ("Average request size", "KB", "workload"),
    "avg_response_kb": ("Average response size", "KB", "workload"),
    "audience_regions": ("Where the users are", "", "workload"),
    "compute_preference": ("Compute preference", "", "workload"),
    "region": ("Primary AWS Region", "", "workload"),
    "budget_monthly_usd": ("Monthly budget (production)", "USD/month", "targets"),
    "availability_target": ("Availability target", "%", "targets"),
    "latency_p95_ms": ("p95 latency target", "ms", "targets"),
    "rto_minutes": ("Recovery time objective (RTO)", "minutes", "targets"),
    "rpo_minutes": ("Recovery point objective (RPO)", "minutes", "targets"),
    "compliance": ("Compliance regimes", "", "compliance"),
    "team_size": ("Team size", "engineers", "compliance"),
    "aws_experience": ("Team's AWS experience", "", "compliance"),
    "environments": ("Environments", "", "compliance"),
}


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    unit: str
    section: str
    help: str
    kind: str  # "number", "text", "select", "checkboxes"
    default: Any
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    step: str = "any"

    @property
    def multiple(self) -> bool:
        return self.kind == "checkboxes"


def _enum_of(annotation: Any) -> type[Enum] | None:
    for cand in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(cand, type) and issubclass(cand, Enum):
            return cand
    return None


def _label_from_name(name: str) -> str:
    return name.replace("_", " ").capitalize()


def form_fields() -> list[FormField]:
    out = []
    for name, info in Requirements.model_fields.items():
        label, unit, section = LABELS.get(name, (_label_from_name(name), "", "more"))
        default = info.default
        enum = _enum_of(info.annotation)
        choices = tuple(str(e.value) for e in enum) if enum else ()
        minimum = maximum = None
        for meta in info.metadata:
            for attr in ("ge", "gt"):
                if getattr(meta, attr, None) is not None:
                    minimum = float(getattr(meta, attr))
            for attr in ("le", "lt"):
                if getattr(meta, attr, None) is not None:
                    maximum = float(getattr(meta, attr))
        if isinstance(default, tuple):
            kind = "checkboxes" if choices else "text"
            default = [str(getattr(d, "value", d)) for d in default]
        elif choices:
            kind = "select"
            default = str(getattr(default, "value", default))
        elif info.annotation in (int, float):
            kind = "number"
        else:
            kind = "text"
        out.append(
            FormField(
                name=name,
                label=label,
                unit=unit,
                section=section,
                help=info.description or "",
                kind=kind,
                default=default,
                choices=choices,
                minimum=minimum,
                maximum=maximum,
                step="1" if info.annotation is int else "any",
            )
        )
    return out


def sections(values: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Fields grouped by section, each with its current value (``values`` or the model's default)."""
    values = values or {}
    fields = form_fields()
    grouped = []
    for key, title, blurb in SECTIONS:
        members = [{"field": f, "value": values.get(f.name, f.default)} for f in fields if f.section == key]
        if members:
            grouped.append({"key": key, "title": title, "blurb": blurb, "fields": members})
    return grouped


def parse_form(items: list[tuple[str, str]]) -> tuple[dict[str, Any], dict[str, str]]:
    """Form pairs → (requirements mapping, other fields). Empty inputs are left out so the model's
    documented default applies; multi-valued fields are lists (empty when nothing is ticked)."""
    fields = {f.name: f for f in form_fields()}
    data: dict[str, Any] = {f.name: [] for f in fields.values() if f.multiple}
    extra: dict[str, str] = {}
    for key, value in items:
        f = fields.get(key)
        if f is None:
            extra[key] = value
        elif f.multiple:
            data[key].append(value)
        elif value.strip() != "":
            data[key] = value.strip()
    return data, extra
