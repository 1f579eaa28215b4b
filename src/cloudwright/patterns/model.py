"""The pattern model: one YAML file per pattern in ``patterns/data/``, validated on load."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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


class Pattern(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    summary: str
    components: list[ComponentRef]
    extra: dict[str, Any] = Field(default_factory=dict)
