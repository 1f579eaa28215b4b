"""The design's JSON sections: typed readers of list and mapping properties, and JSON output that
keeps every kind of value (Decimal as a string, booleans, integers, floats, nesting) without warnings."""

from __future__ import annotations

import warnings
from decimal import Decimal

from cloudwright.design.model import Design, Resource, dict_or_empty, list_or_empty


def _resource() -> Resource:
    return Resource(
        logical_id="Table",
        type="AWS::DynamoDB::GlobalTable",
        properties={
            "Replicas": [{"Region": "eu-west-1"}, {"Region": {"Ref": "SecondRegion"}}, "junk"],
            "StreamSpecification": {"StreamViewType": "NEW_IMAGE"},
            "Tags": {"Fn::If": ["IsProd", [{"Key": "env", "Value": "prod"}], []]},
            "TableName": "orders",
        },
    )


def test_prop_list_returns_lists_only() -> None:
    r = _resource()
    assert r.prop_list("Replicas") == [{"Region": "eu-west-1"}, {"Region": {"Ref": "SecondRegion"}}, "junk"]
    assert r.prop_list("Replicas") is r.properties["Replicas"]  # the property itself, not a copy
    assert r.prop_list("Tags") == []  # an intrinsic function is not a list until it is evaluated
    assert r.prop_list("TableName") == []
    assert r.prop_list("Missing.Path") == []


def test_prop_dict_returns_mappings_only() -> None:
    r = _resource()
    assert r.prop_dict("StreamSpecification") == {"StreamViewType": "NEW_IMAGE"}
    assert r.prop_dict("Replicas") == {}
    assert r.prop_dict("TableName") == {}
    assert r.prop_dict("Missing") == {}


def test_list_or_empty_and_dict_or_empty() -> None:
    assert list_or_empty([1, "a"]) == [1, "a"]
    assert dict_or_empty({"a": 1}) == {"a": 1}
    for value in (None, "x", 3, 1.5, True, Decimal(2)):
        assert list_or_empty(value) == []
        assert dict_or_empty(value) == {}
    assert list_or_empty({"a": 1}) == []
    assert dict_or_empty([1]) == {}


def test_data_regions_resolves_replica_regions_through_the_resolver() -> None:
    r = _resource()
    assert r.data_regions() == {"us-east-1", "eu-west-1"}
    resolved = r.data_regions(lambda v: "ap-southeast-2" if v == {"Ref": "SecondRegion"} else v)
    assert resolved == {"us-east-1", "eu-west-1", "ap-southeast-2"}


def test_json_sections_dump_every_kind_of_value_without_warnings() -> None:
    d = Design(
        assumptions={"hours_per_month": Decimal("730"), "ratio": 0.25, "az_count": 2, "prod": True},
        metadata={"secondary_regions": [{"region": "eu-west-1", "note": None}]},
        resources=[_resource()],
    )
    d.resources[0].usage["storage_gb"] = Decimal("1.5")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dumped = d.model_dump(mode="json")
        text = d.model_dump_json()
    assert dumped["assumptions"] == {"hours_per_month": "730", "ratio": 0.25, "az_count": 2, "prod": True}
    assert dumped["metadata"] == {"secondary_regions": [{"region": "eu-west-1", "note": None}]}
    assert dumped["resources"][0]["usage"] == {"storage_gb": "1.5"}
    assert dumped["resources"][0]["properties"]["Replicas"][1] == {"Region": {"Ref": "SecondRegion"}}
    assert '"hours_per_month":"730"' in text
    assert d.regions() == {"us-east-1", "eu-west-1"}
