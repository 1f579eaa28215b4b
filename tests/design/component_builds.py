"""Build a few component builders into a bare design, through the same registry patterns use."""

from __future__ import annotations

from typing import Any

from cloudwright.design.build import BuildContext, load_components
from cloudwright.design.model import Design
from cloudwright.requirements import requirements_from_mapping


def build_components(
    steps: list[str] | list[tuple[str, dict[str, Any]]],
    env: str = "prod",
    *,
    name: str = "shop",
    kms: bool = False,
    **req: Any,
) -> Design:
    """Run ``steps`` (builder ids, or ``(id, options)`` pairs) in order; ``kms`` publishes a customer key."""
    r = requirements_from_mapping({"name": name, **req})
    design = Design(name=name, region=r.region, environment=env)
    ctx = BuildContext(requirements=r, environment=env, design=design, pattern_id="test")
    if kms:
        ctx.outputs["kms"] = {"key": "DataKey"}
    builders = load_components()
    for step in steps:
        builder_id, options = (step, {}) if isinstance(step, str) else step
        builders[builder_id](ctx, dict(options))
    return design
