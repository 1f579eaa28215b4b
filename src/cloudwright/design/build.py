"""Pattern + Requirements → Design.

A pattern (data, ``patterns/data/<id>.yaml``) lists *components*; each component id names a builder
function in ``cloudwright.design.components`` registered with :func:`component`. Builders add
CloudFormation-shaped resources, edges and usage to the design through a :class:`BuildContext`.
Builders run in the order the pattern lists them and may read what earlier builders added
(``ctx.outputs``), e.g. the network builder publishes subnet ids for the database builder.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from cloudwright.design.model import Design, EdgeKind, Placement, Resource, Tier
from cloudwright.errors import InputError
from cloudwright.requirements import Requirements
from cloudwright.units import ENVIRONMENTS

Builder = Callable[["BuildContext", dict[str, Any]], None]

_DECLARED: dict[str, Builder] = {}


def component(component_id: str) -> Callable[[Builder], Builder]:
    """Declare a component builder. The loader (:func:`load_components`) collects them."""

    def deco(fn: Builder) -> Builder:
        if component_id in _DECLARED and _DECLARED[component_id] is not fn:
            raise ValueError(f"component {component_id!r} declared twice")
        _DECLARED[component_id] = fn
        return fn

    return deco


@cache
def load_components() -> Mapping[str, Builder]:
    """Import every module in ``cloudwright.design.components`` and return the builder registry."""
    import cloudwright.design.components as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        importlib.import_module(f"{pkg.__name__}.{info.name}")
    return MappingProxyType(dict(sorted(_DECLARED.items())))


@dataclass
class BuildContext:
    """What a component builder sees: the requirements, the environment and the design so far."""

    requirements: Requirements
    environment: str
    design: Design
    pattern_id: str
    #: Values published by earlier builders, e.g. ``outputs["network"]["private_subnets"]``.
    outputs: dict[str, Any] = field(default_factory=dict)

    # --- environment shape (seed 003: dev single-AZ and cheap, staging production-like, prod multi-AZ) --
    @property
    def region(self) -> str:
        return self.requirements.region

    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    @property
    def is_dev(self) -> bool:
        return self.environment == "dev"

    @property
    def az_count(self) -> int:
        """dev: 1 AZ; staging: 2; prod: 2, or 3 when the availability target is above 99.95%."""
        if self.is_dev:
            return 1
        if self.is_prod and self.requirements.availability_target > 99.95:
            return 3
        return 2

    @property
    def azs(self) -> list[str]:
        return [f"{self.region}{s}" for s in "abc"[: self.az_count]]

    @property
    def load_factor(self) -> float:
        """Share of production load an environment is sized for: prod 1, staging 0.25, dev 0.05."""
        return {"prod": 1.0, "staging": 0.25, "dev": 0.05}.get(self.environment, 1.0)

    @property
    def name_prefix(self) -> str:
        return f"{self.requirements.name}-{self.environment}"

    # --- graph building -------------------------------------------------------------------------
    def add(
        self,
        logical_id: str,
        type_: str,
        properties: dict[str, Any] | None = None,
        *,
        usage: dict[str, Any] | None = None,
        label: str | None = None,
        role: str | None = None,
        rationale: str | None = None,
        sizing: list[dict[str, Any]] | None = None,
        tier: Tier = "regional",
        vpc: str | None = None,
        azs: list[str] | None = None,
        region: str | None = None,
        depends_on: list[str] | None = None,
        condition: str | None = None,
        attributes: dict[str, Any] | None = None,
        component_id: str | None = None,
    ) -> Resource:
        """Add a resource. ``sizing`` is a list of ``{"rule": ..., "value": ..., "source": ...}`` notes."""
        metadata: dict[str, Any] = {}
        if label:
            metadata["label"] = label
        if role:
            metadata["role"] = role
        if rationale:
            metadata["rationale"] = rationale
        if sizing:
            metadata["sizing"] = sizing
        if component_id:
            metadata["component"] = component_id
        res = Resource(
            logical_id=logical_id,
            type=type_,
            properties=properties or {},
            usage=usage or {},
            placement=Placement(region=region or self.region, vpc=vpc, azs=list(azs or []), tier=tier),
            metadata=metadata,
            depends_on=list(depends_on or []),
            condition=condition,
            attributes=dict(attributes or {}),
        )
        return self.design.add(res)

    def connect(self, source: str, target: str, kind: EdgeKind = "request", label: str = "") -> None:
        self.design.connect(source, target, kind, label)

    def warn(self, message: str) -> None:
        if message not in self.design.warnings:
            self.design.warnings.append(message)

    def assume(self, key: str, value: Any) -> None:
        self.design.assumptions[key] = value

    def has(self, logical_id: str) -> bool:
        return self.design.get(logical_id) is not None


def build_design(requirements: Requirements, pattern_id: str, environment: str = "prod") -> Design:
    """Build the sized resource graph for a pattern.

    The recommended pattern is the recommendation's to choose, one layer up:
    ``recommend(requirements).pattern.id`` (:mod:`cloudwright.patterns.recommend`).
    """
    from cloudwright.patterns.catalog import load_patterns

    if environment not in ENVIRONMENTS:
        raise InputError("unknown environment", field="environment", value=environment, allowed=ENVIRONMENTS)
    patterns = load_patterns()
    if pattern_id not in patterns:
        raise InputError("unknown pattern", field="pattern", value=pattern_id, allowed=sorted(patterns))
    pattern = patterns[pattern_id]
    from cloudwright.eligibility import ineligible

    not_eligible = ineligible(pattern.services, [str(c) for c in requirements.compliance])
    if not_eligible:
        raise InputError(
            f"pattern {pattern.id} uses services not confirmed HIPAA eligible: {', '.join(not_eligible)}",
            field="pattern",
            value=pattern.id,
            allowed=[p.id for p in patterns.values() if not ineligible(p.services, ["HIPAA"])],
        )
    design = Design(
        name=requirements.name,
        description=pattern.summary,
        region=requirements.region,
        environment=environment,
        origin=f"pattern:{pattern.id}",
    )
    ctx = BuildContext(
        requirements=requirements, environment=environment, design=design, pattern_id=pattern.id
    )
    from cloudwright.design.sizing import design_assumptions
    from cloudwright.patterns.model import condition_holds

    design.assumptions.update(design_assumptions(requirements, environment, ctx.load_factor, ctx.az_count))
    compliance = {str(c) for c in requirements.compliance}
    builders = load_components()
    for comp in pattern.components:
        if not all(
            condition_holds(
                c,
                environment=environment,
                compliance=compliance,
                is_global=requirements.is_global,
                media=str(requirements.media),
                accelerator=str(requirements.accelerator),
            )
            for c in comp.when
        ):
            continue
        builder = builders.get(comp.builder)
        if builder is None:
            raise ValueError(f"pattern {pattern.id}: no builder for component {comp.builder!r}")
        builder(ctx, dict(comp.options))
    design.resources.sort(key=lambda r: r.logical_id)
    design.edges.sort(key=lambda e: (e.source, e.target, e.kind, e.label))
    return design
