"""Typed access to the design's JSON sections (``json_object``, ``json_array``, ``network_section``)."""

from __future__ import annotations

import pytest

from cloudwright.design.build import BuildContext, json_array, json_object
from cloudwright.design.model import Design
from cloudwright.requirements import requirements_from_mapping
from cloudwright.units import JsonValue


def test_sections_are_made_once_and_shared() -> None:
    doc: dict[str, JsonValue] = {}
    json_object(doc, "a")["x"] = 1
    json_object(doc, "a")["y"] = 2
    json_array(json_object(doc, "a"), "items").append("one")
    assert doc == {"a": {"x": 1, "y": 2, "items": ["one"]}}


def test_a_value_of_another_type_is_a_bug() -> None:
    doc: dict[str, JsonValue] = {"a": [1], "b": {"k": 1}}
    with pytest.raises(TypeError, match="a is a list, not an object"):
        json_object(doc, "a")
    with pytest.raises(TypeError, match="b is a dict, not an array"):
        json_array(doc, "b")


def test_network_section_writes_the_design_network_plan() -> None:
    ctx = BuildContext(
        requirements=requirements_from_mapping({"name": "shop"}), environment="dev", design=Design()
    )
    ctx.network_section("dns")["routing"] = "simple"
    assert ctx.design.network == {"dns": {"routing": "simple"}}
