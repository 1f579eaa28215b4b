"""Builders declare what they need, use and provide; the build order comes from those declarations."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from cloudwright.design.build import (
    PROVIDED,
    BuildOrderError,
    build_design,
    build_order,
    check_catalogue,
    component,
    load_components,
)
from cloudwright.patterns.catalog import load_patterns
from cloudwright.requirements import requirements_from_mapping

COMPONENTS = Path(__file__).parents[2] / "src" / "cloudwright" / "design" / "components"


def test_every_pattern_of_the_catalogue_can_be_ordered() -> None:
    check_catalogue(load_patterns())


def test_every_declaration_names_a_provided_field() -> None:
    for spec in load_components().values():
        assert spec.needs | spec.uses | spec.provides <= PROVIDED, spec.id
        assert spec.after <= set(load_components()), spec.id


@pytest.mark.parametrize("pattern_id", sorted(load_patterns()))
def test_shuffled_component_order_builds_the_same_design(
    pattern_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cloudwright.patterns.catalog as catalog

    pattern = load_patterns()[pattern_id]
    req = requirements_from_mapping({"name": "shop", "compliance": []})
    expected = build_design(req, pattern_id=pattern_id, environment="prod").model_dump()
    rng = random.Random(pattern_id)
    shuffled_once = list(pattern.components)
    rng.shuffle(shuffled_once)
    for components in (pattern.components[::-1], shuffled_once):
        shuffled = pattern.model_copy(update={"components": components})
        assert build_order(pattern_id, shuffled.builders) == build_order(pattern_id, pattern.builders)
        patterns = {**load_patterns(), pattern_id: shuffled}
        with monkeypatch.context() as m:
            m.setattr(catalog, "load_patterns", lambda p=patterns: p)
            got = build_design(req, pattern_id=pattern_id, environment="prod").model_dump()
        assert got == expected


def test_a_missing_provider_is_a_clear_error() -> None:
    with pytest.raises(BuildOrderError, match="builder rds needs network, which no builder"):
        build_order("broken", ["rds", "kms"])


def test_unknown_builders_are_named() -> None:
    with pytest.raises(BuildOrderError, match="no builder for component"):
        build_order("broken", ["kms", "no-such-builder"])


def test_a_cycle_is_a_clear_error() -> None:
    def noop(ctx: object, options: object) -> None:
        return None

    component("test-cycle-a", uses=["apis"], provides=["saga"])(noop)
    component("test-cycle-b", uses=["saga"], provides=["apis"])(noop)
    import cloudwright.design.build as build

    load_components.cache_clear()
    try:
        with pytest.raises(BuildOrderError, match="cycle"):
            build_order("loop", ["test-cycle-a", "test-cycle-b"])
    finally:
        build._DECLARED.pop("test-cycle-a")
        build._DECLARED.pop("test-cycle-b")
        load_components.cache_clear()


def test_an_unknown_provided_field_is_refused_at_declaration() -> None:
    with pytest.raises(ValueError, match="unknown provided field"):
        component("test-bad", needs=["no_such_thing"])


def test_no_builder_compares_against_a_pattern_id() -> None:
    ids = set(load_patterns())
    found = []
    for path in sorted(COMPONENTS.glob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                operands = [node.left, *node.comparators]
                for op in operands:
                    if isinstance(op, ast.Constant) and op.value in ids:
                        found.append(f"{path.name}:{node.lineno} compares against {op.value!r}")
                    if isinstance(op, (ast.Tuple, ast.List, ast.Set)):
                        for elt in op.elts:
                            if isinstance(elt, ast.Constant) and elt.value in ids:
                                found.append(f"{path.name}:{node.lineno} compares against {elt.value!r}")
            if isinstance(node, ast.Dict):
                for key in node.keys:
                    if isinstance(key, ast.Constant) and key.value in ids:
                        found.append(f"{path.name}:{node.lineno} keys a mapping by {key.value!r}")
            if isinstance(node, ast.Attribute) and node.attr == "pattern_id":
                found.append(f"{path.name}:{node.lineno} reads the pattern id")
    assert not found, found
