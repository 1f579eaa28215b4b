from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budgets import examples
from cfn.sample import FOREIGN_YAML, foreign_json, sample_design
from cloudwright.cfn.writer import render_template
from cloudwright.design.cfn_import import import_template, parse_template
from cloudwright.errors import TemplateError


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_round_trip_is_byte_identical(env):
    first = render_template(sample_design(env))
    again = render_template(import_template(first))
    assert again == first


def test_import_restores_the_graph():
    original = sample_design()
    imported = import_template(render_template(original))
    assert imported.name == original.name
    assert imported.environment == original.environment
    assert imported.assumptions == original.assumptions
    assert [r.logical_id for r in imported.resources] == [r.logical_id for r in original.resources]
    for r in original.resources:
        got = imported[r.logical_id]
        assert got.type == r.type
        assert got.usage == r.usage
        assert got.placement.tier == r.placement.tier
        assert got.metadata.get("label") == r.metadata.get("label")
    assert imported.sorted_edges() == original.sorted_edges()


def test_import_reads_a_file_path(tmp_path: Path):
    path = tmp_path / "stack.yaml"
    path.write_text(FOREIGN_YAML)
    d = import_template(path)
    assert d.name == "stack"
    assert d.origin == f"template:{path}"


def test_short_tags_become_long_form():
    d = import_template(FOREIGN_YAML)
    db = d["Db"]
    assert db.properties["DBInstanceClass"] == {"Ref": "DbClass"}
    assert db.properties["MultiAZ"] == {"Fn::If": ["IsProd", True, False]}
    assert db.properties["VPCSecurityGroups"] == [{"Fn::GetAtt": ["DbSg", "GroupId"]}]
    notes = d["Notes"]
    assert notes.properties["Value"] == {"Fn::Sub": "postgres://${Db.Endpoint.Address}:5432 on ${Alb}"}
    assert notes.properties["Description"] == {
        "Fn::Join": ["-", ["a", {"Fn::Select": [0, {"Fn::GetAZs": ""}]}]]
    }
    assert d.outputs["DbEndpoint"]["Value"] == {"Fn::GetAtt": ["Db", "Endpoint.Address"]}
    assert d.parameters["DbClass"]["Default"] == "db.t4g.micro"
    assert d.conditions["IsProd"] == {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
    assert db.attributes["DeletionPolicy"] == "Snapshot"


def test_placement_is_inferred_from_subnets_and_vpc():
    d = import_template(FOREIGN_YAML)
    assert d["PublicA"].placement.tier == "public"  # routes to the internet gateway
    assert d["DataA"].placement.tier == "data"  # serves the DB subnet group
    assert d["Db"].placement.tier == "data"
    assert d["Alb"].placement.tier == "public"
    assert {d[x].placement.vpc for x in ("Db", "Alb", "DataA", "DbSg")} == {"Vpc"}


def test_edges_from_ref_getatt_sub_and_depends_on():
    d = import_template(FOREIGN_YAML)
    pairs = {(e.source, e.target) for e in d.edges}
    assert ("Db", "DbSubnets") in pairs  # Ref
    assert ("Db", "DbSg") in pairs  # GetAtt
    assert ("Notes", "Alb") in pairs  # Sub
    assert ("Notes", "Db") in pairs  # Sub + DependsOn
    assert ("DbSubnets", "DataA") in pairs


def test_json_templates_are_read():
    d = import_template(foreign_json())
    assert [r.logical_id for r in d.resources] == ["Fn", "Mapping", "Queue"]
    kinds = {(e.source, e.target): e.kind for e in d.edges}
    assert kinds[("Mapping", "Queue")] == "event"


def test_yaml_dates_and_yes_no_stay_strings():
    data = parse_template(
        "Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n"
        "      Value: yes\n      Description: 2012-10-17\n"
    )
    props = data["Resources"]["P"]["Properties"]
    assert props["Value"] == "yes"
    assert props["Description"] == "2012-10-17"


MALFORMED = [
    ("", "empty", None),
    ("- a\n- b\n", "must be a mapping", 1),
    ("Resources:\n  A:\n    Type: AWS::SQS::Queue\n   Properties: {}\n", "invalid YAML", 4),
    ("Parameters: {}\n", "no Resources", 1),
    ("Resources:\n  A:\n    Properties: {}\n", "Resources.A.Type", 2),
    ("Resources:\n  A:\n    Type: sqs queue\n", "is not a resource type", 3),
    ("Resources:\n  A:\n    Type: AWS::SQS::Queue\n    DependsOn: B\n", "DependsOn: no resource 'B'", 4),
    (
        "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy:\n"
        "        deadLetterTargetArn: !GetAtt Nope.Arn\n",
        "unknown resource 'Nope'",
        6,
    ),
    (
        "Resources:\n  A:\n    Type: AWS::SQS::Queue\n  A:\n    Type: AWS::SQS::Queue\n",
        "duplicate key 'A'",
        4,
    ),
    ('{"Resources": {"A": {"Type": "AWS::SQS::Queue"}}\n', "invalid JSON", 2),
    ("Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Condition: Missing\n", "no condition", 4),
    ("Resources:\n  A:\n    Type: AWS::SQS::Queue\n    Propertys: {}\n", "unknown resource attribute", 4),
    ("Resources:\n  A:\n    Type: AWS::SQS::Queue\nOutputs:\n  X:\n    Description: y\n", "needs a Value", 5),
]


@pytest.mark.parametrize(("text", "message", "line"), MALFORMED)
def test_malformed_templates_name_line_and_key(text, message, line):
    with pytest.raises(TemplateError) as info:
        import_template(text if "\n" in text or text.startswith("{") else text + "\n")
    assert message in str(info.value)
    assert info.value.line == line


def test_missing_file_is_a_template_error(tmp_path: Path):
    with pytest.raises(TemplateError, match="no such template file"):
        import_template(tmp_path / "nope.yaml")


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=st.sampled_from(list("Resources:Type!Ref AWS::SQS{}[]-\n \"'&*|>#%@`,")), max_size=200)
)
def test_garbage_never_crashes(text):
    with contextlib.suppress(TemplateError):
        import_template(text + "\n")


@settings(max_examples=examples(60), deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
        max_leaves=10,
    )
)
def test_random_json_structures_never_crash(value):
    with contextlib.suppress(TemplateError):
        import_template(json.dumps({"Resources": value}))


BLOCK_TEMPLATE = """Resources:
  Queue:
    Type: AWS::SQS::Queue
    Metadata:
      cloudwright:
        {block}
"""


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        ("usage: notamap", "usage must be a mapping"),
        ("usage: [1]", "usage must be a mapping"),
        ("azs: -1", "azs must be a list"),
        ("tier: sideways", "Input should be"),
        ("label: [1, 2]", "label, role and component must be strings"),
        ("usage: {monthly_requests: " + "9" * 400 + "}", "usage.monthly_requests"),
        ("usage: {monthly_requests: -5}", "not a usage figure"),
        ("usage: {storage: {standard: {storage_gb: .inf}}}", "usage.storage.standard.storage_gb"),
    ],
)
def test_malformed_cloudwright_metadata_is_ignored_with_a_warning(block, problem):
    d = import_template(BLOCK_TEMPLATE.format(block=block))
    assert d["Queue"].type == "AWS::SQS::Queue"
    assert d["Queue"].usage == {}
    warning = next(w for w in d.warnings if w.startswith("Resources.Queue.Metadata.cloudwright"))
    assert "ignored" in warning and problem in warning


def test_malformed_template_metadata_is_ignored_with_a_warning():
    d = import_template(
        "Metadata:\n  cloudwright:\n    assumptions: [1]\n    edges: 3\nResources:\n"
        "  Queue:\n    Type: AWS::SQS::Queue\n"
    )
    assert d.assumptions == {}
    assert any("assumptions: ignored" in w for w in d.warnings)
    assert any("edges: ignored" in w for w in d.warnings)


def test_a_reference_cycle_is_a_clear_error_naming_it():
    text = (
        "Resources:\n"
        "  A:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !GetAtt B.QueueName\n"
        "  B:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref A\n"
    )
    with pytest.raises(TemplateError, match="circular dependency between resources: A → B → A"):
        import_template(text)
    with pytest.raises(TemplateError, match="C → C"):
        import_template("Resources:\n  C:\n    Type: AWS::SNS::Topic\n    DependsOn: C\n")


def test_references_between_security_groups_through_rules_are_not_a_cycle():
    text = (
        "Resources:\n"
        "  SgA:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: a\n"
        "  SgB:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: b\n"
        "  AtoB:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n"
        "      GroupId: !Ref SgB\n      SourceSecurityGroupId: !Ref SgA\n      IpProtocol: tcp\n"
        "      FromPort: 443\n      ToPort: 443\n"
        "  BtoA:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n"
        "      GroupId: !Ref SgA\n      SourceSecurityGroupId: !Ref SgB\n      IpProtocol: tcp\n"
        "      FromPort: 443\n      ToPort: 443\n"
    )
    assert len(import_template(text).resources) == 4


def test_a_yaml_alias_bomb_is_refused():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append('Resources: {Q: {Type: "AWS::SQS::Queue", Metadata: {x: *i}}}')
    with pytest.raises(TemplateError, match="aliases"):
        import_template("\n".join(lines) + "\n")
