"""Build a few component builders into a bare design, through the same registry patterns use."""

from __future__ import annotations

from typing import Any

from cloudwright.design.build import BuildContext, BuildOrderError, KmsKey, build_order, load_components
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
    """Run ``steps`` (builder ids, or ``(id, options)`` pairs) in build order; ``kms`` publishes a
    customer key."""
    r = requirements_from_mapping({"name": name, **req})
    design = Design(name=name, region=r.region, environment=env)
    ctx = BuildContext(requirements=r, environment=env, design=design)
    if kms:
        ctx.provided.kms_key = KmsKey(key="DataKey", alias="DataKeyAlias")
    builders = load_components()
    pairs = [(step, {}) if isinstance(step, str) else step for step in steps]
    ids = [b for b, _ in pairs]
    if len(set(ids)) == len(ids):
        # the order a pattern would run them in (declarations, not list order); partial sets whose
        # providers are missing keep the listed order
        try:
            order = build_order("test", ids)
        except BuildOrderError:
            order = ids
        pairs = sorted(pairs, key=lambda p: order.index(p[0]))
    for builder_id, options in pairs:
        builders[builder_id](ctx, dict(options))
    return design
