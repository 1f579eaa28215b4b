from __future__ import annotations

import random

import pytest
import yaml

from cfn.sample import sample_design
from cloudwright.cfn.writer import (
    SUPPRESSIONS,
    render_template,
    render_templates,
    tag_style,
    template_dict,
)
from cloudwright.design.model import Placement, Resource


def test_render_is_deterministic_whatever_the_resource_order():
    d = sample_design()
    first = render_template(d)
    shuffled = sample_design()
    random.Random(7).shuffle(shuffled.resources)
    shuffled.edges.reverse()
    assert render_template(shuffled) == first
    assert list(yaml.safe_load(first)["Resources"]) == sorted(r.logical_id for r in d.resources)


def test_template_sections_and_parameters():
    t = yaml.safe_load(render_template(sample_design()))
    assert t["AWSTemplateFormatVersion"] == "2010-09-09"
    assert set(t["Parameters"]) == {"CostCentre", "Environment", "ProjectName"}
    assert t["Parameters"]["Environment"]["Default"] == "prod"
    assert t["Parameters"]["ProjectName"]["Default"] == "shop"
    assert t["Outputs"]["OrdersQueueUrl"]["Value"] == {"Ref": "OrdersQueue"}
    assert t["Resources"]["DataKey"]["DeletionPolicy"] == "Retain"


def test_environment_override_changes_only_the_environment():
    t = yaml.safe_load(render_template(sample_design(), environment="dev"))
    assert t["Parameters"]["Environment"]["Default"] == "dev"
    assert t["Metadata"]["cloudwright"]["environment"] == "dev"


@pytest.mark.parametrize(
    ("rtype", "style"),
    [
        ("AWS::S3::Bucket", "list"),
        ("AWS::SSM::Parameter", "map"),
        ("AWS::AutoScaling::AutoScalingGroup", "list-propagate"),
        ("AWS::S3::BucketPolicy", None),
        ("AWS::Lambda::Permission", None),
    ],
)
def test_tag_style_comes_from_the_cfn_lint_schema(rtype, style):
    assert tag_style(rtype) == style


def test_tags_on_every_taggable_resource_list_and_map_forms():
    d = sample_design()
    d.add(
        Resource(
            logical_id="Setting",
            type="AWS::SSM::Parameter",
            properties={"Type": "String", "Value": "x", "Tags": {"team": "web"}},
        )
    )
    d.add(
        Resource(
            logical_id="Asg",
            type="AWS::AutoScaling::AutoScalingGroup",
            properties={
                "MinSize": "1",
                "MaxSize": "2",
                "Tags": [{"Key": "Name", "Value": "web", "PropagateAtLaunch": True}],
            },
        )
    )
    t = template_dict(d)
    for lid, body in t["Resources"].items():
        style = tag_style(body["Type"])
        tags = body.get("Properties", {}).get("Tags")
        if style is None:
            assert tags is None, lid
        elif style == "map":
            assert tags == {
                "cost-centre": {"Ref": "CostCentre"},
                "environment": {"Ref": "Environment"},
                "project": {"Ref": "ProjectName"},
                "team": "web",
            }
        else:
            keys = [x["Key"] for x in tags]
            assert keys == sorted(keys)
            assert {"project", "environment", "cost-centre"} <= set(keys), lid
            if style == "list-propagate":
                assert all(x["PropagateAtLaunch"] is True for x in tags)
    assert "Tags" not in t["Resources"]["AssetsBucketPolicy"]["Properties"]


def test_a_design_property_change_changes_the_template():
    d = sample_design()
    before = template_dict(d)["Resources"]["ApiFunction"]["Properties"]["MemorySize"]
    d["ApiFunction"].properties["MemorySize"] = 1024
    after = template_dict(d)["Resources"]["ApiFunction"]["Properties"]["MemorySize"]
    assert (before, after) == (256, 1024)


def test_a_design_property_change_changes_the_estimate_too():
    from cloudwright.pricing import engine

    d = sample_design()
    before = engine.price_design(d).resource_cost("ApiFunction")
    d["ApiFunction"].properties["MemorySize"] = 1024
    after = engine.price_design(d).resource_cost("ApiFunction")
    assert before is not None and after is not None and after > before


def test_redundant_depends_on_is_dropped_but_needed_one_kept():
    d = sample_design()
    d["OrdersQueue"].depends_on = ["OrdersDlq", "AssetsBucket"]
    body = template_dict(d)["Resources"]["OrdersQueue"]
    assert body["DependsOn"] == ["AssetsBucket"]  # OrdersDlq is already implied by GetAtt


def test_suppressions_are_written_with_reasons():
    t = template_dict(sample_design())
    skips = t["Resources"]["ApiFunction"]["Metadata"]["checkov"]["skip"]
    expected = sorted(s.check_id for s in SUPPRESSIONS if s.resource_type == "AWS::Lambda::Function")
    assert [s["id"] for s in skips] == expected
    assert all(len(s["comment"]) > 30 for s in skips)


def test_multi_region_resources_go_to_their_own_template():
    d = sample_design()
    d.add(
        Resource(
            logical_id="ReplicaQueue",
            type="AWS::SQS::Queue",
            properties={
                "KmsMasterKeyId": "alias/aws/sqs",
                "RedrivePolicy": {
                    "deadLetterTargetArn": {"Fn::GetAtt": ["OrdersDlq", "Arn"]},
                    "maxReceiveCount": 5,
                },
                "Tags": [{"Key": "x", "Value": {"Fn::Sub": "${OrdersTable}-copy"}}],
            },
            placement=Placement(region="eu-west-1"),
        )
    )
    files = render_templates(d)
    assert sorted(files) == ["template.eu-west-1.yaml", "template.yaml"]
    primary = yaml.safe_load(files["template.yaml"])
    secondary = yaml.safe_load(files["template.eu-west-1.yaml"])
    assert "ReplicaQueue" not in primary["Resources"]
    assert list(secondary["Resources"]) == ["ReplicaQueue"]
    props = secondary["Resources"]["ReplicaQueue"]["Properties"]
    assert props["RedrivePolicy"]["deadLetterTargetArn"] == {"Ref": "OrdersDlqArn"}
    assert {"Key": "x", "Value": {"Fn::Sub": "${OrdersTableRef}-copy"}} in props["Tags"]
    assert "OrdersDlqArn" in secondary["Parameters"] and "OrdersTableRef" in secondary["Parameters"]
    assert secondary["Metadata"]["cloudwright"]["region"] == "eu-west-1"


def test_multiline_code_is_a_literal_block():
    text = render_template(sample_design())
    assert "ZipFile: |" in text


def test_suppressions_apply_only_where_they_hold():
    d = sample_design("prod")
    assert "CKV_AWS_21" not in {s["id"] for s in _skips(d, "AssetsBucket")}  # versioning is on
    d["ApiFunction"].properties["VpcConfig"] = {"SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}
    assert "CKV_AWS_117" not in {s["id"] for s in _skips(d, "ApiFunction")}
    d.add(Resource(logical_id="Db", type="AWS::RDS::DBInstance", properties={"MultiAZ": False}))
    assert "CKV_AWS_157" not in {s["id"] for s in _skips(d, "Db")}  # prod: single-AZ is a real finding
    d.environment = "dev"
    assert "CKV_AWS_157" in {s["id"] for s in _skips(d, "Db")}


def _skips(d, logical_id):
    return template_dict(d)["Resources"][logical_id]["Metadata"].get("checkov", {}).get("skip", [])
