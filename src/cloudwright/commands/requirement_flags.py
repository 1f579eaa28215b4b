"""The ``design`` command's requirement flags, generated from the requirements model.

As the web form is: one ``--kebab-case`` flag per field of
:class:`~cloudwright.requirements.Requirements`, its help text from the field's description, its choices
from the field's enum, repeatable for list fields, and ``--batch-<field>`` for the fields of the nested
``batch`` block. A field the model gains later gets its flag with no change here.

Flag values are handed to the model as text: the model converts and validates them, so a bad value exits
with the same one-line error as a bad value in a requirements file.
"""

from __future__ import annotations

import inspect
import types
from dataclasses import dataclass
from enum import Enum
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

#: Flag names of earlier releases, kept working as hidden, deprecated aliases: old flag → field path.
LEGACY_FLAGS: dict[str, str] = {
    "--app-type": "application_type",
    "--users": "expected_users",
    "--rps": "requests_per_second",
    "--budget": "budget_monthly_usd",
    "--experience": "aws_experience",
    "--data-gb": "data_size_gb",
    "--availability": "availability_target",
    "--latency": "latency_p95_ms",
    "--compute": "compute_preference",
    "--audience": "audience_regions",
    "--signed-in-share": "signed_in_share_percent",
    "--allowed-region": "allowed_regions",
    "--messages-per-connection": "messages_per_connection_per_second",
    "--batch-input-gb": "batch.input_gb_per_run",
}

PANEL = "Requirements (override the file's fields)"


@dataclass(frozen=True)
class RequirementFlag:
    """One flag: the field path (``expected_users``, ``batch.runs_per_day``), the Python parameter name,
    the flag itself, its help text and metavar, and whether it repeats (list fields)."""

    path: str
    param: str
    flag: str
    help: str
    metavar: str
    many: bool
    hidden: bool = False


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The field's element type without ``None``, and whether the field is a list (``tuple[X, ...]``)."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    if get_origin(annotation) in (tuple, list):
        return get_args(annotation)[0], True
    return annotation, False


def _metavar(kind: Any) -> str:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "CHOICE"
    return {int: "INTEGER", float: "NUMBER"}.get(kind, "TEXT")


def _help(info: FieldInfo, kind: Any, many: bool, extra: str = "") -> str:
    text = (info.description or "").strip() + extra
    if isinstance(kind, type) and issubclass(kind, Enum):
        values = [str(m.value) for m in kind]
        if not all(v in text for v in values):  # unless the description already names them
            text += " One of: " + ", ".join(values) + "."
    if many:
        text += " Repeat or comma-separate."
    default = info.get_default(call_default_factory=True)
    if default not in (None, (), []):
        items = default if many else (default,)
        text += " [model default: " + ", ".join(str(getattr(d, "value", d)) for d in items) + "]"
    return text.strip()


def requirement_flags() -> list[RequirementFlag]:
    """Every flag, in the model's field order (nested ``batch`` fields in place of ``batch``)."""
    from cloudwright.requirements import Requirements

    out: list[RequirementFlag] = []

    def add(model: type[BaseModel], prefix: str, extra: str) -> None:
        for name, info in model.model_fields.items():
            kind, many = _unwrap(info.annotation)
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                add(
                    kind,
                    f"{prefix}{name}.",
                    f" Part of the {name} block; giving it sets interaction: {name}.",
                )
                continue
            path = prefix + name
            param = path.replace(".", "_")
            out.append(
                RequirementFlag(
                    path=path,
                    param=param,
                    flag="--" + param.replace("_", "-"),
                    help=_help(info, kind, many, extra),
                    metavar=_metavar(kind),
                    many=many,
                )
            )

    add(Requirements, "", "")
    by_path = {f.path: f for f in out}
    for old, path in LEGACY_FLAGS.items():
        new = by_path[path]
        out.append(
            RequirementFlag(
                path=path,
                param="legacy_" + old.removeprefix("--").replace("-", "_"),
                flag=old,
                help=f"Deprecated alias of {new.flag}.",
                metavar=new.metavar,
                many=new.many,
                hidden=True,
            )
        )
    return out


def parameters() -> list[inspect.Parameter]:
    """The flags as keyword parameters typer reads (each ``None`` unless given)."""
    import typer

    params = []
    for f in requirement_flags():
        option = typer.Option(
            None,
            f.flag,
            help=f.help,
            metavar=f.metavar,
            hidden=f.hidden,
            show_default=False,
            rich_help_panel=PANEL,
        )
        annotation = list[str] | None if f.many else str | None
        params.append(
            inspect.Parameter(f.param, inspect.Parameter.KEYWORD_ONLY, default=option, annotation=annotation)
        )
    return params


def deprecated_used(values: dict[str, Any]) -> list[str]:
    """One notice per deprecated alias given, naming the flag that replaces it."""
    flags = requirement_flags()
    current = {f.path: f.flag for f in flags if not f.hidden}
    return [
        f"{f.flag} is deprecated and will be removed; use {current[f.path]}"
        for f in flags
        if f.hidden and values.get(f.param) not in (None, [], ())
    ]


def overrides(values: dict[str, Any]) -> dict[str, Any]:
    """The requirement fields the given flags set (nested fields under their block; a batch field sets
    ``interaction: batch`` unless it is given); a field given under its flag and its deprecated alias at
    once is an error."""
    from cloudwright.errors import InputError

    out: dict[str, Any] = {}
    given: dict[str, str] = {}
    for f in requirement_flags():
        value = values.get(f.param)
        if value is None or (isinstance(value, list | tuple) and not value):
            continue
        if f.path in given:
            raise InputError(
                f"{f.flag} and {given[f.path]} set the same field; give one",
                field=f.flag,
                value=value,
                allowed=given[f.path],
            )
        given[f.path] = f.flag
        if f.many:
            value = [p.strip() for v in value for p in str(v).split(",") if p.strip()]
        block, _, sub = f.path.rpartition(".")
        if block:
            out.setdefault(block, {})[sub] = value
        else:
            out[f.path] = value
    if "batch" in out and "interaction" not in out:  # the batch block is only used by batch workloads
        out["interaction"] = "batch"
    return out
