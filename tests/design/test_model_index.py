"""The design's lookup indexes (resources by logical id, edge keys) stay correct however the lists
change, and the unvalidated ``trusted`` constructors make what validation makes."""

from __future__ import annotations

import pytest

from cloudwright.design.build import build_design
from cloudwright.design.model import Design, Edge, Placement, Resource
from cloudwright.patterns.catalog import load_patterns
from cloudwright.requirements import requirements_from_mapping


def _res(lid: str) -> Resource:
    return Resource(logical_id=lid, type="AWS::SNS::Topic")


def _keys(d: Design) -> list[tuple[str, str, str, str]]:
    return [(e.source, e.target, e.kind, e.label) for e in d.edges]


def test_connect_skips_duplicates_and_keeps_distinct_edges() -> None:
    d = Design()
    d.connect("A", "B")
    d.connect("A", "B")
    d.connect("A", "B", "data")
    d.connect("A", "B", "data", "writes")
    d.connect("A", "B", "data", "writes")
    assert _keys(d) == [("A", "B", "request", ""), ("A", "B", "data", ""), ("A", "B", "data", "writes")]
    assert d.edges[0] == Edge(source="A", target="B")


def test_connect_sees_an_edge_list_replaced_appended_to_or_cut() -> None:
    d = Design()
    d.connect("A", "B")
    d.edges = [Edge(source="C", target="D")]  # replaced: A→B is gone, C→D is there
    d.connect("A", "B")
    d.connect("C", "D")
    assert _keys(d) == [("C", "D", "request", ""), ("A", "B", "request", "")]
    d.edges.append(Edge(source="E", target="F"))  # appended directly
    d.connect("E", "F")
    assert len(d.edges) == 3
    d.edges.pop()  # removed directly
    d.connect("E", "F")
    assert _keys(d)[-1] == ("E", "F", "request", "")
    assert len(d.edges) == 3


def test_connect_sees_a_removal_followed_by_an_append() -> None:
    d = Design()
    d.connect("A", "B")
    d.connect("C", "D")
    d.edges.remove(Edge(source="A", target="B"))
    d.edges.append(Edge(source="X", target="Y"))  # same length as before, another last edge
    d.connect("A", "B")
    d.connect("X", "Y")
    assert sorted(_keys(d)) == [
        ("A", "B", "request", ""),
        ("C", "D", "request", ""),
        ("X", "Y", "request", ""),
    ]


def test_connect_after_a_sort_and_on_a_copy() -> None:
    d = Design()
    for s in "DCBA":
        d.connect(s, "Z")
    d.edges.sort(key=lambda e: e.source)
    d.connect("A", "Z")
    d.connect("D", "Z")
    assert [e.source for e in d.edges] == ["A", "B", "C", "D"]
    copy = d.model_copy(update={"edges": list(d.edges)})
    copy.connect("E", "Z")
    d.connect("F", "Z")
    assert [e.source for e in copy.edges] == ["A", "B", "C", "D", "E"]
    assert [e.source for e in d.edges] == ["A", "B", "C", "D", "F"]
    deep = d.model_copy(deep=True)
    deep.connect("G", "Z")
    deep.connect("A", "Z")
    assert len(deep.edges) == 6 and len(d.edges) == 5


def test_add_and_get_see_a_resource_list_replaced_or_appended_to() -> None:
    d = Design()
    d.add(_res("A"))
    with pytest.raises(ValueError, match="duplicate logical id A"):
        d.add(_res("A"))
    d.resources = [_res("B")]
    assert d.get("A") is None and d.get("B") is not None
    d.add(_res("A"))
    d.resources.append(_res("C"))
    assert d.get("C") is d.resources[-1]
    with pytest.raises(ValueError, match="duplicate logical id C"):
        d.add(_res("C"))
    d.resources.pop()
    assert d.get("C") is None
    d.add(_res("C"))
    assert [r.logical_id for r in d.resources] == ["B", "A", "C"]


def test_add_after_a_rename_in_place() -> None:
    d = Design()
    d.add(_res("A"))
    d.resources[0].logical_id = "B"
    d.add(_res("A"))  # the old id is free again
    assert d.get("A") is d.resources[1] and d.get("B") is d.resources[0]
    with pytest.raises(ValueError, match="duplicate logical id B"):
        d.add(_res("B"))


def test_trusted_constructors_make_what_validation_makes() -> None:
    placement = {"region": "eu-west-1", "vpc": "Vpc", "azs": ["eu-west-1a"], "tier": "private"}
    assert Placement.trusted(**placement) == Placement(**placement)  # type: ignore[arg-type]
    fields = {
        "logical_id": "Topic",
        "type": "AWS::SNS::Topic",
        "properties": {"TopicName": "t"},
        "usage": {"monthly_requests": 1},
        "metadata": {"label": "topic"},
        "depends_on": ["Key"],
        "condition": None,
        "attributes": {"DeletionPolicy": "Retain"},
    }
    trusted = Resource.trusted(placement=Placement.trusted(**placement), **fields)  # type: ignore[arg-type]
    validated = Resource(placement=Placement(**placement), **fields)  # type: ignore[arg-type]
    assert trusted == validated
    assert trusted.model_fields_set == validated.model_fields_set
    assert trusted.model_dump_json() == validated.model_dump_json()
    assert trusted.model_copy(deep=True) == validated
    edge = {"source": "A", "target": "B", "kind": "data", "label": "x"}
    assert Edge.trusted(**edge) == Edge(**edge)  # type: ignore[arg-type]
    with pytest.raises(Exception, match="frozen"):
        Edge.trusted(**edge).label = "y"  # type: ignore[arg-type]


@pytest.mark.parametrize("environment", ["prod", "dev"])
def test_every_pattern_builds_what_a_validating_round_trip_gives(environment: str) -> None:
    """Builders hand the unvalidated constructors plain values of the declared types: a design
    re-validated from its own dump is equal, and every string field is a plain ``str``."""
    req = requirements_from_mapping({"name": "shop"})
    for pattern_id in load_patterns():
        design = build_design(req, pattern_id, environment)
        assert Design.model_validate(design.model_dump()) == design, pattern_id
        for r in design.resources:
            assert type(r.logical_id) is str and type(r.type) is str, r.logical_id
            assert type(r.placement.region) is str and type(r.placement.tier) is str, r.logical_id
            assert all(type(d) is str for d in r.depends_on), r.logical_id
            assert all(type(a) is str for a in r.placement.azs), r.logical_id
        for e in design.edges:
            assert all(type(v) is str for v in (e.source, e.target, e.kind, e.label)), e
