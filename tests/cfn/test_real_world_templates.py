"""Real-world template shapes (SAM with Globals, Fn::ForEach, Conditions, custom resources with Version,
nested stacks, JSON and YAML): each is accepted and priced, or refused with one line naming the step."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cloudwright.cli import app
from cloudwright.design.cfn_import import import_template
from cloudwright.errors import InputError, TemplateError
from cloudwright.pricing.engine import PricingOptions, price_design

HERE = Path(__file__).parent / "real_world"

#: file → (resource types that must be there after the reader, types that must be classified priced
#: or usage-only by pricing)
ACCEPTED = {
    "sam_rest_api_globals.yaml": (
        {
            "AWS::Lambda::Function",
            "AWS::ApiGateway::RestApi",
            "AWS::ApiGateway::Stage",
            "AWS::DynamoDB::Table",
        },
        {"AWS::Lambda::Function", "AWS::ApiGateway::RestApi", "AWS::DynamoDB::Table"},
    ),
    "sam_http_api_url_state_machine.yaml": (
        {
            "AWS::Lambda::Function",
            "AWS::Lambda::Url",
            "AWS::ApiGatewayV2::Api",
            "AWS::StepFunctions::StateMachine",
        },
        {"AWS::Lambda::Function", "AWS::ApiGatewayV2::Api", "AWS::StepFunctions::StateMachine"},
    ),
    "foreach_buckets_and_queues.yaml": (
        {"AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::Logs::LogGroup"},
        {"AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::Logs::LogGroup"},
    ),
    "conditions_rds_read_replica.json": ({"AWS::RDS::DBInstance"}, {"AWS::RDS::DBInstance"}),
    "custom_resource_with_version.yaml": (
        {"Custom::AmiLookup", "AWS::IAM::RolePolicy", "AWS::Logs::QueryDefinition"},
        {"AWS::Lambda::Function"},
    ),
    "nested_stacks.yaml": ({"AWS::CloudFormation::Stack", "AWS::SNS::Topic"}, {"AWS::SNS::Topic"}),
}

REFUSED = {
    "refused_macro.yaml": "Transform 'StringFunctions' is a macro",
    "refused_include.yaml": "AWS::Include: inline the included snippet first",
    "refused_rain_module.yaml": "Rain module: run `rain pkg` first",
    "refused_foreach_without_values.yaml": "give --param QueueNames=",
}


def test_every_fixture_is_listed():
    assert {p.name for p in HERE.iterdir()} == set(ACCEPTED) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_and_priced(name: str):
    design = import_template(HERE / name)
    types = {r.type for r in design.resources}
    must_have, priced = ACCEPTED[name]
    assert must_have <= types
    assert not [t for t in types if t.startswith("AWS::Serverless::")], "SAM resources are expanded"
    estimate = price_design(design, PricingOptions())
    by_type = {line.type: line.classification for line in estimate.resources}
    for t in priced:
        assert by_type[t] in ("priced", "usage-only"), (t, by_type[t])
    unpriced = {line.type for line in estimate.resources if line.classification == "unsupported"}
    if name == "nested_stacks.yaml":
        assert unpriced == {"AWS::CloudFormation::Stack"}, "a nested stack's cost is not free: unpriced"
    else:
        assert unpriced == set(), unpriced


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_one_line_naming_the_step(name: str):
    with pytest.raises(TemplateError) as info:
        import_template(HERE / name)
    text = str(info.value)
    assert REFUSED[name] in text
    assert "\n" not in text
    assert info.value.line is not None


def test_refusals_exit_2_from_the_cli():
    result = CliRunner().invoke(app, ["estimate", str(HERE / "refused_rain_module.yaml")])
    assert result.exit_code == 2
    assert "rain pkg" in result.output and "Traceback" not in result.output


def test_sam_globals_description_and_generated_references():
    design = import_template(HERE / "sam_rest_api_globals.yaml")
    fn = design["CreateOrderFunction"]
    assert fn.properties["Runtime"] == "python3.12"  # from Globals
    assert fn.properties["Timeout"] == 10
    assert fn.properties["TracingConfig"] == {"Mode": "Active"}
    stage = [r for r in design.resources if r.type == "AWS::ApiGateway::Stage"]
    assert design.outputs["ApiStage"]["Value"] == {"Ref": stage[0].logical_id}
    assert design.outputs["LiveAlias"]["Value"]["Ref"].startswith("CreateOrderFunctionAlias")
    assert design.metadata["transforms"] == ["AWS::Serverless-2016-10-31"]


def test_foreach_expands_from_the_default_and_from_param():
    default = import_template(HERE / "foreach_buckets_and_queues.yaml")
    assert sorted(r.logical_id for r in default.by_type("AWS::S3::Bucket")) == [
        "Bucketacme",
        "Bucketglobex",
        "Bucketinitech",
    ]
    assert (
        default["Queueglobex"].properties["QueueName"] == {"Fn::Sub": "jobs-globex"}
        or default["Queueglobex"].properties["QueueName"] == "jobs-globex"
    )
    assert default.outputs["BucketacmeName"]["Value"] == {"Fn::GetAtt": ["Bucketacme", "Arn"]}
    two = import_template(HERE / "foreach_buckets_and_queues.yaml", parameters={"Tenants": "north,south"})
    assert sorted(r.logical_id for r in two.by_type("AWS::SQS::Queue")) == ["Queuenorth", "Queuesouth"]


def _total(design) -> Decimal:
    return price_design(design, PricingOptions()).monthly_usd


def test_a_resource_whose_condition_is_false_is_not_priced():
    off = import_template(HERE / "conditions_rds_read_replica.json")
    assert off.get("ReplicaDB") is None
    assert any("ReplicaDB" in w and "CreateReadReplica" in w for w in off.warnings)
    on = import_template(HERE / "conditions_rds_read_replica.json", parameters={"EnableReadReplica": "true"})
    assert on.get("ReplicaDB") is not None
    # The replica doubles the instance line, and MultiAZ (Fn::If on the same condition) doubles the primary.
    assert _total(on) > 2 * _total(off)
    assert _total(off) > 0


def test_a_false_condition_still_renders_back(tmp_path: Path):
    from cloudwright.cfn.writer import template_dict

    design = import_template(HERE / "conditions_rds_read_replica.json")
    rendered = template_dict(design)
    assert rendered["Resources"]["ReplicaDB"]["Condition"] == "CreateReadReplica"


def test_unknown_param_names_are_refused():
    with pytest.raises(InputError, match="no parameter 'Nope'"):
        import_template(HERE / "conditions_rds_read_replica.json", parameters={"Nope": "1"})
    for command in ("estimate", "review", "import", "deploy"):
        result = CliRunner().invoke(
            app, [command, str(HERE / "conditions_rds_read_replica.json"), "--param", "Nope=1"]
        )
        assert result.exit_code == 2, (command, result.output)
        assert "Nope" in result.output


def test_param_changes_the_estimate_from_the_cli():
    path = str(HERE / "conditions_rds_read_replica.json")
    runner = CliRunner()
    off = json.loads(runner.invoke(app, ["estimate", path, "-f", "json"]).stdout)
    on = json.loads(
        runner.invoke(app, ["estimate", path, "-f", "json", "--param", "EnableReadReplica=true"]).stdout
    )
    assert {r["logical_id"] for r in on["resources"]} - {r["logical_id"] for r in off["resources"]} == {
        "ReplicaDB"
    }
    assert on["monthly_usd"] > off["monthly_usd"]
