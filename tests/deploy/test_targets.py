from __future__ import annotations

import json
import socket
from pathlib import Path

import boto3
import pytest
import yaml
from typer.testing import CliRunner

from cfn.sample import sample_design
from cloudwright.cfn.writer import render_template
from cloudwright.cli import app
from cloudwright.deploy.aws import AwsTarget
from cloudwright.deploy.emulator import (
    EmulatorTarget,
    EndpointTarget,
    LocalServer,
    emulated_types,
    placeholder,
    prepare_for_emulator,
)
from cloudwright.errors import DeployError


@pytest.fixture
def emulator():
    with EmulatorTarget("us-east-1") as target:
        yield target


def test_emulated_types_are_read_from_moto():
    from moto.cloudformation.parsing import get_model_map

    types = emulated_types()
    assert "AWS::SQS::Queue" in types and "AWS::DynamoDB::Table" in types
    assert types <= set(get_model_map()) | {
        "AWS::CloudFormation::WaitCondition",
        "AWS::CloudFormation::WaitConditionHandle",
    }
    assert "AWS::SERVICE::RESOURCE" not in types


def test_strip_cascades_through_hard_references_but_not_soft_ones():
    template = render_template(sample_design())
    supported = frozenset(emulated_types() - {"AWS::DynamoDB::Table"})
    text, skipped, unsupported = prepare_for_emulator(template, supported=supported)
    data = yaml.safe_load(text)
    assert "AWS::DynamoDB::Table" in unsupported
    skipped_ids = {s.logical_id: s.reason for s in skipped}
    assert "OrdersTable" in skipped_ids
    # The role's policy and the function's environment only *mention* the table: kept, with placeholders.
    assert "ApiFunction" in data["Resources"] and "ApiFunctionRole" in data["Resources"]
    env = data["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert env["TABLE_NAME"] == placeholder("OrdersTable")
    assert "OrdersTableName" not in data.get("Outputs", {})
    # A hard reference (the queue needs its DLQ) removes the dependent too.
    supported2 = frozenset(emulated_types() - {"AWS::KMS::Key"})
    _, skipped2, _ = prepare_for_emulator(template, supported=supported2)
    reasons = {s.logical_id: s.reason for s in skipped2}
    assert reasons["OrdersQueue"].startswith("needs DataKey")
    assert "OrdersTopic" in reasons  # topic needs the key too


@pytest.mark.slow
def test_emulator_deploy_creates_resources_with_their_properties(emulator):
    result = emulator.deploy(render_template(sample_design()), "shop")
    assert result.ok, result.failures
    assert all(s.type not in emulated_types() or s.reason.startswith("needs ") for s in result.skipped)
    created = {r.logical_id for r in result.resources}
    assert {"OrdersTable", "OrdersQueue", "OrdersDlq", "OrdersTopic", "ApiFunction", "DataKey"} <= created
    ddb = emulator.client("dynamodb")
    table = ddb.describe_table(TableName=result.outputs["OrdersTableName"])["Table"]
    # moto's CloudFormation ignores SSESpecification (it reads the API's "Enabled" key), so encryption is
    # checked by cfn-lint/checkov on the template; what the emulator reflects is checked here.
    assert table["DeletionProtectionEnabled"] is True
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    sqs = emulator.client("sqs")
    attrs = sqs.get_queue_attributes(QueueUrl=result.outputs["OrdersQueueUrl"], AttributeNames=["All"])[
        "Attributes"
    ]
    redrive = json.loads(attrs["RedrivePolicy"])
    assert int(redrive["maxReceiveCount"]) == 3
    assert redrive["deadLetterTargetArn"].endswith(
        "OrdersDlq-" + redrive["deadLetterTargetArn"].rsplit("-", 1)[1]
    )
    assert attrs["KmsMasterKeyId"]


@pytest.mark.slow
def test_fan_out_dlq_and_s3_round_trip(emulator):
    result = emulator.deploy(render_template(sample_design()), "shop")
    sns, sqs, s3 = emulator.client("sns"), emulator.client("sqs"), emulator.client("s3")
    sns.publish(TopicArn=result.outputs["OrdersTopicArn"], Message=json.dumps({"orderId": "o-1"}))
    queue = result.outputs["OrdersQueueUrl"]
    msgs = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, VisibilityTimeout=0)["Messages"]
    assert json.loads(json.loads(msgs[0]["Body"])["Message"]) == {"orderId": "o-1"}
    # poison message: received maxReceiveCount times without being deleted → moves to the DLQ
    for _ in range(3):
        sqs.receive_message(QueueUrl=queue, VisibilityTimeout=0)
    sqs.receive_message(QueueUrl=queue, VisibilityTimeout=0)
    dlq = sqs.receive_message(QueueUrl=result.outputs["OrdersDlqUrl"], MaxNumberOfMessages=10)
    assert len(dlq.get("Messages", [])) == 1
    bucket = result.outputs["AssetsBucketName"]
    s3.put_object(Bucket=bucket, Key="a/b.txt", Body=b"hello")
    assert s3.get_object(Bucket=bucket, Key="a/b.txt")["Body"].read() == b"hello"


@pytest.mark.slow
def test_emulator_destroy_and_duplicate_stack(emulator):
    template = render_template(sample_design())
    emulator.deploy(template, "shop")
    with pytest.raises(DeployError, match="already exists"):
        emulator.deploy(template, "shop")
    assert emulator.destroy("shop").status == "DELETE_COMPLETE"
    with pytest.raises(DeployError, match="no stack named"):
        emulator.destroy("shop")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_endpoint_target_against_a_local_moto_server():
    with LocalServer(_free_port()) as server:
        assert server.url.startswith("http://127.0.0.1:")
        target = EndpointTarget(server.url, "us-east-1", strip_unsupported=True)
        lines: list[str] = []
        result = target.deploy(render_template(sample_design()), "shop", progress=lines.append)
        assert result.ok and result.endpoint_url == server.url
        assert any("CREATE_COMPLETE" in line for line in lines)
        again = EndpointTarget(server.url).describe("shop")
        assert again.outputs == result.outputs
        ddb = boto3.client(
            "dynamodb",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="a",
            aws_secret_access_key="b",
        )
        assert result.outputs["OrdersTableName"] in ddb.list_tables()["TableNames"]
        runner = CliRunner()
        out = runner.invoke(app, ["destroy", "--endpoint-url", server.url, "--stack-name", "shop"])
        assert out.exit_code == 0, out.output
        assert "DELETE_COMPLETE" in out.output


def test_endpoint_url_is_checked():
    with pytest.raises(DeployError, match="endpoint URL"):
        EndpointTarget("localhost:4566")


@pytest.mark.slow
def test_aws_target_change_set_flow_under_moto():
    from moto import mock_aws

    with mock_aws():
        session = boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="us-east-1")
        target = AwsTarget("us-east-1", session=session)
        target.poll_seconds = 0.01
        template = prepare_for_emulator(render_template(sample_design()))[0]
        seen = []

        def refuse(plan):
            seen.append(plan)
            return False

        with pytest.raises(DeployError, match="cancelled"):
            target.deploy(template, "shop", confirm=refuse)
        assert seen[0].changes and all(c.action == "Add" for c in seen[0].changes)
        assert {c.logical_id for c in seen[0].changes} >= {"OrdersTable", "OrdersQueue"}
        cfn = session.client("cloudformation")
        assert all(s["StackStatus"] == "DELETE_COMPLETE" for s in cfn.list_stacks()["StackSummaries"])
        result = target.deploy(template, "shop", confirm=lambda plan: True)
        assert result.ok
        # (moto's change-set execution does not compute stack outputs; real AWS does.)
        assert {"OrdersTable", "OrdersQueue"} <= {r.logical_id for r in result.resources}
        assert all(r.status == "CREATE_COMPLETE" for r in result.resources)


def test_aws_target_refuses_oversized_templates_without_a_bucket():
    target = AwsTarget("us-east-1", session=object())
    with pytest.raises(DeployError, match=r"51200 inline .*--template-bucket"):
        target.plan("x" * 60_000, "big")


def test_aws_target_uploads_oversized_templates_to_the_template_bucket():
    from moto import mock_aws

    with mock_aws():
        session = boto3.Session(aws_access_key_id="a", aws_secret_access_key="b", region_name="us-east-1")
        session.client("s3").create_bucket(Bucket="cw-templates")
        target = AwsTarget("us-east-1", session=session, template_bucket="cw-templates")
        target.poll_seconds = 0.01
        template = prepare_for_emulator(render_template(sample_design()))[0]
        padding = "\n".join(f"# {'padding ' * 10}{i}" for i in range(700))
        big = template + "\n" + padding + "\n"
        assert len(big.encode()) > 51_200
        result = target.deploy(big, "big-shop", confirm=lambda plan: True)
        assert result.ok
        assert {"OrdersTable", "OrdersQueue"} <= {r.logical_id for r in result.resources}
        keys = [o["Key"] for o in session.client("s3").list_objects_v2(Bucket="cw-templates")["Contents"]]
        assert len(keys) == 1 and keys[0].startswith("cloudwright/big-shop/")


@pytest.mark.slow
def test_cli_deploy_to_the_in_process_emulator(tmp_path: Path):
    path = tmp_path / "template.yaml"
    path.write_text(render_template(sample_design()))
    result = CliRunner().invoke(app, ["deploy", str(path)])
    assert result.exit_code == 0, result.output
    assert "CREATE_COMPLETE" in result.output
    assert "AssetsBucketPolicy" in result.output  # reported as skipped
    as_json = CliRunner().invoke(app, ["deploy", str(path), "--json", "--stack-name", "shop2"])
    payload = json.loads(as_json.output[as_json.output.index("{") :])
    assert payload["stack_name"] == "shop2" and payload["status"] == "CREATE_COMPLETE"


def test_cli_destroy_without_endpoint_explains():
    result = CliRunner().invoke(app, ["destroy", "--stack-name", "x"])
    assert result.exit_code == 1
    assert "in-process emulator keeps no stack" in result.output


def test_cli_import_writes_design_and_template(tmp_path: Path):
    src = tmp_path / "in.yaml"
    src.write_text(render_template(sample_design()))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["import", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "template.yaml").read_text() == src.read_text()
    design = json.loads((out / "design.json").read_text())
    assert {r["logical_id"] for r in design["resources"]} >= {"OrdersTable", "ApiFunction"}


def test_cli_import_malformed_is_one_line(tmp_path: Path):
    src = tmp_path / "bad.yaml"
    src.write_text("Resources:\n  A:\n    Type: [\n")
    result = CliRunner().invoke(app, ["import", str(src)])
    assert result.exit_code == 2
    assert result.output.startswith("error: ") and str(src) in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_cli_deploy_serve_runs_a_local_server_until_interrupted(tmp_path: Path, monkeypatch):
    from cloudwright.commands import deploy_output as report

    path = tmp_path / "template.yaml"
    path.write_text(render_template(sample_design()))
    seen = {}

    def interrupt() -> None:
        # while "serving", the stack is reachable over HTTP on 127.0.0.1
        url = next(w for w in seen["out"]().split() if w.startswith("http://127.0.0.1:"))
        seen["stack"] = EndpointTarget(url).describe("shop-prod")
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "_wait_forever", interrupt)
    import io

    from rich.console import Console

    buffer = io.StringIO()
    monkeypatch.setattr(report, "_console", lambda: Console(file=buffer, width=200, highlight=False))
    seen["out"] = buffer.getvalue
    import cloudwright.cfn.reader as reader

    parsed: list[str] = []
    real_decode = reader.decode
    monkeypatch.setattr(reader, "decode", lambda text, **kw: parsed.append(text) or real_decode(text, **kw))
    result = CliRunner().invoke(app, ["deploy", str(path), "--serve"])
    assert result.exit_code == 0, result.output + buffer.getvalue()
    assert parsed == [path.read_text()]  # probed in-process and served from one parse
    assert seen["stack"].status == "CREATE_COMPLETE"
    assert "AssetsBucketPolicy" in buffer.getvalue()
    assert "stopping the emulator" in buffer.getvalue()


@pytest.mark.slow
def test_multi_region_templates_deploy_each_to_its_region():
    from cloudwright.cfn.writer import render_templates
    from cloudwright.design.model import Placement, Resource

    d = sample_design()
    d.add(
        Resource(
            logical_id="ReplicaTopic",
            type="AWS::SNS::Topic",
            properties={
                "KmsMasterKeyId": "alias/aws/sns",
                "DisplayName": {"Fn::Sub": "${OrdersTable}-replica"},
            },
            placement=Placement(region="eu-west-1"),
        )
    )
    files = render_templates(d)
    with EmulatorTarget("us-east-1") as east, EmulatorTarget("eu-west-1") as west:
        primary = east.deploy(files["template.yaml"], "shop")
        table = primary.outputs["OrdersTableName"]
        secondary = west.deploy(files["template.eu-west-1.yaml"], "shop", {"OrdersTableRef": table})
        assert primary.ok and secondary.ok
        assert [r.logical_id for r in secondary.resources] == ["ReplicaTopic"]
        assert "ReplicaTopic" not in {r.logical_id for r in primary.resources}
        topic = secondary.outputs["ReplicaTopicArn"]
        assert topic.startswith("arn:aws:sns:eu-west-1:")
        attrs = west.client("sns").get_topic_attributes(TopicArn=topic)["Attributes"]
        assert attrs["DisplayName"] == f"{table}-replica"


@pytest.mark.slow
def test_cli_deploy_to_aws_shows_the_change_set_and_asks(tmp_path: Path):
    from moto import mock_aws

    path = tmp_path / "template.yaml"
    path.write_text(prepare_for_emulator(render_template(sample_design()))[0])
    with mock_aws():
        runner = CliRunner()
        declined = runner.invoke(
            app, ["deploy", str(path), "--target", "aws", "--stack-name", "shop"], input="n\n"
        )
        assert declined.exit_code == 1
        assert "Change set for shop" in declined.output and "OrdersTable" in declined.output
        assert "cancelled" in declined.output
        accepted = runner.invoke(
            app, ["deploy", str(path), "--target", "aws", "--stack-name", "shop", "--yes"]
        )
        assert accepted.exit_code == 0, accepted.output
        assert "CREATE_COMPLETE" in accepted.output
        gone = runner.invoke(app, ["destroy", "--target", "aws", "--stack-name", "shop", "--yes"])
        assert gone.exit_code == 0, gone.output
        assert "DELETE_COMPLETE" in gone.output
