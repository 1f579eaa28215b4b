"""Every pattern × environment deploys to the embedded emulator; prod stacks are checked through boto3,
and the flows the emulator can execute are exercised (fan-out, DLQ, oversell, Kinesis, S3, users API)."""

from __future__ import annotations

import base64
import contextlib
import json
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml

from cfn.pattern_designs import OTHER_REGION_CASES, case_id, cases, templates
from cloudwright.deploy.emulator import EmulatorTarget, emulated_types
from cloudwright.deploy.target import StackResult

CASES = cases()


@contextlib.contextmanager
def deployed(
    pattern_id: str, env: str, region: str = "us-east-1"
) -> Iterator[dict[str, tuple[EmulatorTarget, StackResult, dict[str, Any]]]]:
    """Deploy every template of a design (each to its region) into one in-process emulator."""
    out: dict[str, tuple[EmulatorTarget, StackResult, dict[str, Any]]] = {}
    targets: list[EmulatorTarget] = []
    try:
        for name, text in templates(pattern_id, env, region).items():
            data = yaml.safe_load(text)
            target = EmulatorTarget(data["Metadata"]["cloudwright"]["region"])
            targets.append(target)
            result = target.deploy(text, f"shop-{env}")
            out[name] = (target, result, data)
        yield out
    finally:
        for t in reversed(targets):
            t.close()


@pytest.mark.slow
@pytest.mark.parametrize("case", [*CASES, *OTHER_REGION_CASES], ids=lambda c: "-".join(c))
def test_emulator_deploy_succeeds(case):
    with deployed(*case) as stacks:
        for name, (_target, result, data) in stacks.items():
            assert result.ok, f"{name}: {result.status} {result.failures}"
            assert all(r.status == "CREATE_COMPLETE" for r in result.resources)
            created = {r.logical_id for r in result.resources}
            skipped = {s.logical_id: s for s in result.skipped}
            assert created | set(skipped) == set(data["Resources"]), name
            assert not created & set(skipped)
            for s in skipped.values():
                emulated = s.type in emulated_types()
                assert not emulated or s.reason.startswith(("needs ", "the emulator failed")), s
            assert created, f"{name}: nothing deployed"


# --- key properties, read back through boto3 -------------------------------------------------------
def _resolve(value: Any) -> Any:
    return value if not isinstance(value, dict) else None


def _check_queue(t: EmulatorTarget, pid: str, props: dict[str, Any]) -> list[str]:
    attrs = t.client("sqs").get_queue_attributes(QueueUrl=pid, AttributeNames=["All"])["Attributes"]
    problems = []
    if "RedrivePolicy" in props:
        redrive = json.loads(attrs.get("RedrivePolicy", "{}"))
        if int(redrive.get("maxReceiveCount", -1)) != int(props["RedrivePolicy"]["maxReceiveCount"]):
            problems.append(f"redrive {redrive}")
    if "VisibilityTimeout" in props and int(attrs["VisibilityTimeout"]) != int(props["VisibilityTimeout"]):
        problems.append(f"visibility {attrs['VisibilityTimeout']}")
    return problems


def _check_table(t: EmulatorTarget, pid: str, props: dict[str, Any]) -> list[str]:
    table = t.client("dynamodb").describe_table(TableName=pid)["Table"]
    problems = []
    billing = table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    if billing != props.get("BillingMode", "PROVISIONED"):
        problems.append(f"billing {billing}")
    if bool(table.get("DeletionProtectionEnabled")) != bool(props.get("DeletionProtectionEnabled")):
        problems.append("deletion protection")
    if table["KeySchema"] != props["KeySchema"]:
        problems.append("key schema")
    if "StreamSpecification" in props and not table.get("StreamSpecification", {}).get("StreamEnabled"):
        problems.append("stream")
    return problems


def _check_db(t: EmulatorTarget, pid: str, props: dict[str, Any]) -> list[str]:
    db = t.client("rds").describe_db_instances(DBInstanceIdentifier=pid)["DBInstances"][0]
    problems = []
    if "MultiAZ" in props and bool(db["MultiAZ"]) != bool(props["MultiAZ"]):
        problems.append(f"MultiAZ {db['MultiAZ']}")
    if props.get("StorageEncrypted") and not db.get("StorageEncrypted"):
        problems.append("not encrypted")
    return problems


def _check_function(t: EmulatorTarget, pid: str, props: dict[str, Any]) -> list[str]:
    fn = t.client("lambda").get_function_configuration(FunctionName=pid)
    return [
        f"{key} {fn[key]}"
        for key in ("Runtime", "MemorySize", "Timeout", "Handler")
        if key in props and not isinstance(props[key], dict) and fn.get(key) != props[key]
    ]


def _check_log_group(t: EmulatorTarget, pid: str, props: dict[str, Any]) -> list[str]:
    groups = t.client("logs").describe_log_groups(logGroupNamePrefix=pid)["logGroups"]
    group = next((g for g in groups if g["logGroupName"] == pid), None)
    if group is None:
        return ["missing"]
    return [] if group.get("retentionInDays") == props.get("RetentionInDays") else [f"retention {group}"]


def _check_bucket(t: EmulatorTarget, pid: str, props: dict[str, Any]) -> list[str]:
    s3 = t.client("s3")
    s3.head_bucket(Bucket=pid)
    # moto's CloudFormation does not apply PublicAccessBlockConfiguration; checkov checks the template.
    problems = []
    if props.get("BucketEncryption"):
        rules = s3.get_bucket_encryption(Bucket=pid)["ServerSideEncryptionConfiguration"]["Rules"]
        if not rules:
            problems.append("no encryption")
    return problems


def _check_stream(t: EmulatorTarget, pid: str, props: dict[str, Any]) -> list[str]:
    desc = t.client("kinesis").describe_stream_summary(StreamName=pid)["StreamDescriptionSummary"]
    return [] if desc["StreamStatus"] == "ACTIVE" else [desc["StreamStatus"]]


def _check_vpc(t: EmulatorTarget, pid: str, props: dict[str, Any]) -> list[str]:
    vpc = t.client("ec2").describe_vpcs(VpcIds=[pid])["Vpcs"][0]
    return [] if vpc["CidrBlock"] == props.get("CidrBlock", vpc["CidrBlock"]) else [vpc["CidrBlock"]]


CHECKS: dict[str, Callable[[EmulatorTarget, str, dict[str, Any]], list[str]]] = {
    "AWS::SQS::Queue": _check_queue,
    "AWS::DynamoDB::Table": _check_table,
    "AWS::RDS::DBInstance": _check_db,
    "AWS::Lambda::Function": _check_function,
    "AWS::Logs::LogGroup": _check_log_group,
    "AWS::S3::Bucket": _check_bucket,
    "AWS::Kinesis::Stream": _check_stream,
    "AWS::EC2::VPC": _check_vpc,
}


@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if c[1] == "prod"], ids=case_id)
def test_prod_stack_resources_have_their_key_properties(case):
    checked = 0
    with deployed(*case) as stacks:
        for name, (target, result, data) in stacks.items():
            for r in result.resources:
                check = CHECKS.get(r.type)
                if check is None:
                    continue
                props = data["Resources"][r.logical_id].get("Properties", {})
                problems = check(target, r.physical_id, props)
                assert problems == [], f"{name} {r.logical_id}: {problems}"
                checked += 1
    assert checked > 0


# --- functional checks -------------------------------------------------------------------------------
def _physical(result: StackResult) -> dict[str, str]:
    return {r.logical_id: r.physical_id for r in result.resources}


def _handler(
    data: dict[str, Any], function_id: str, physical: dict[str, str], monkeypatch, region: str
) -> Any:
    """Load a Lambda's inline code from the deployed template, with its environment resolved."""
    props = data["Resources"][function_id]["Properties"]
    monkeypatch.setenv("AWS_DEFAULT_REGION", region)
    for key, value in props.get("Environment", {}).get("Variables", {}).items():
        if isinstance(value, dict) and "Ref" in value:
            value = physical[value["Ref"]]
        monkeypatch.setenv(key, str(value))
    module = types.ModuleType(f"lambda_{function_id}")
    exec(compile(props["Code"]["ZipFile"], f"{function_id}/index.py", "exec"), module.__dict__)
    return module


def _drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
    for m in msgs:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return msgs


def _subscribe_as_declared(
    target: EmulatorTarget, data: dict[str, Any], physical: dict[str, str]
) -> dict[str, str]:
    """The emulator cannot create AWS::SNS::Subscription: wire the template's subscriptions via the API."""
    sns, sqs = target.client("sns"), target.client("sqs")
    queues: dict[str, str] = {}
    for body in data["Resources"].values():
        if body["Type"] != "AWS::SNS::Subscription":
            continue
        props = body["Properties"]
        queue_id = props["Endpoint"]["Fn::GetAtt"][0]
        arn = sqs.get_queue_attributes(QueueUrl=physical[queue_id], AttributeNames=["QueueArn"])["Attributes"]
        attributes = {"RawMessageDelivery": str(props.get("RawMessageDelivery", False)).lower()}
        if "FilterPolicy" in props:
            attributes["FilterPolicy"] = json.dumps(props["FilterPolicy"])
        sns.subscribe(
            TopicArn=physical[props["TopicArn"]["Ref"]],
            Protocol=props["Protocol"],
            Endpoint=arn["QueueArn"],
            Attributes=attributes,
        )
        queues[queue_id] = physical[queue_id]
    return queues


@pytest.mark.slow
def test_event_driven_fan_out_dlq_and_oversell(monkeypatch):
    with deployed("event-driven-microservices", "prod") as stacks:
        target, result, data = stacks["template.yaml"]
        physical = _physical(result)
        # The emulator would hand queue messages to the consumer functions (it runs Lambda in Docker, which
        # is not here): remove the event source mappings and play the consumers in this test instead.
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.sqs.models import sqs_backends

        for queue in sqs_backends[DEFAULT_ACCOUNT_ID][target.region].queues.values():
            queue.lambda_event_source_mappings.clear()
        queues = _subscribe_as_declared(target, data, physical)
        assert len(queues) >= 4
        sns, sqs, ddb = target.client("sns"), target.client("sqs"), target.client("dynamodb")
        topic = physical["OrderEventsTopic"]
        order = {"orderId": "o-1", "userId": "u-1", "items": [{"productId": "p-1", "quantity": 1}]}
        sns.publish(
            TopicArn=topic,
            Message=json.dumps(order),
            MessageAttributes={"eventType": {"DataType": "String", "StringValue": "ORDER_CREATED"}},
        )
        for queue_id, url in queues.items():
            got = _drain(sqs, url)
            assert len(got) == 1, f"{queue_id} received {len(got)}"
            assert json.loads(json.loads(got[0]["Body"])["Message"]) == order

        # A poison message is received maxReceiveCount times, then the queue moves it to its DLQ.
        queue_id = sorted(queues)[0]
        props = data["Resources"][queue_id]["Properties"]
        dlq_id = props["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
        sqs.send_message(QueueUrl=queues[queue_id], MessageBody="not json")
        for _ in range(int(props["RedrivePolicy"]["maxReceiveCount"])):
            assert sqs.receive_message(QueueUrl=queues[queue_id], VisibilityTimeout=0, WaitTimeSeconds=0)[
                "Messages"
            ]
        assert "Messages" not in sqs.receive_message(QueueUrl=queues[queue_id], WaitTimeSeconds=0)
        assert [m["Body"] for m in _drain(sqs, physical[dlq_id])] == ["not json"]

        # The inventory consumer's conditional update rejects an oversell (handler run in-process).
        inventory = physical["InventoryTable"]
        ddb.put_item(TableName=inventory, Item={"productId": {"S": "p-1"}, "quantity": {"N": "2"}})
        fn = next(
            lid
            for lid, b in data["Resources"].items()
            if b["Type"] == "AWS::Lambda::Function"
            and "INVENTORY_TABLE" in b["Properties"].get("Environment", {}).get("Variables", {})
        )
        consumer = _handler(data, fn, physical, monkeypatch, target.region)

        def sqs_event(o: dict[str, Any], mid: str) -> dict[str, Any]:
            return {"Records": [{"messageId": mid, "body": json.dumps({"Message": json.dumps(o)})}]}

        assert consumer.handler(sqs_event(order, "m-1"), None) == {"batchItemFailures": []}
        oversell = {**order, "orderId": "o-2", "items": [{"productId": "p-1", "quantity": 5}]}
        assert consumer.handler(sqs_event(oversell, "m-2"), None) == {
            "batchItemFailures": [{"itemIdentifier": "m-2"}]
        }
        stock = ddb.get_item(TableName=inventory, Key={"productId": {"S": "p-1"}})["Item"]["quantity"]["N"]
        assert stock == "1"  # 2 − 1; the oversell took nothing


@pytest.mark.slow
def test_realtime_analytics_kinesis_round_trip(monkeypatch):
    with deployed("realtime-analytics-pipeline", "prod") as stacks:
        target, result, data = stacks["template.yaml"]
        physical = _physical(result)
        stream_id = next(lid for lid, b in data["Resources"].items() if b["Type"] == "AWS::Kinesis::Stream")
        kinesis = target.client("kinesis")
        stream = physical[stream_id]
        events = [
            {
                "eventType": "PAGE_VIEW",
                "userId": f"u-{i}",
                "timestamp": 1_700_000_000_000 + i,
                "properties": {"page": "/p"},
            }
            for i in range(5)
        ]
        for e in events:
            kinesis.put_record(StreamName=stream, Data=json.dumps(e).encode(), PartitionKey=e["userId"])
        got = []
        for shard in kinesis.list_shards(StreamName=stream)["Shards"]:
            it = kinesis.get_shard_iterator(
                StreamName=stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            got += [json.loads(r["Data"]) for r in kinesis.get_records(ShardIterator=it)["Records"]]
        assert sorted(got, key=lambda e: e["timestamp"]) == events
        consumers = [
            lid
            for lid, b in data["Resources"].items()
            if b["Type"] == "AWS::Lambda::Function"
            and "analytics" in b["Properties"]["Code"].get("ZipFile", "")[:400].lower()
        ]
        if consumers:  # the analytics consumer aggregates the same records in-process
            fn = _handler(data, consumers[0], physical, monkeypatch, target.region)
            records = [
                {"kinesis": {"data": base64.b64encode(json.dumps(e).encode()).decode()}} for e in events
            ]
            fn.handler({"Records": records}, None)


@pytest.mark.slow
def test_serverless_web_users_api_and_s3_round_trip(monkeypatch):
    with deployed("serverless-web", "prod") as stacks:
        target, result, data = stacks["template.yaml"]
        physical = _physical(result)
        s3 = target.client("s3")
        for lid, body in data["Resources"].items():
            if body["Type"] == "AWS::S3::Bucket" and lid in physical:
                s3.put_object(Bucket=physical[lid], Key="index.html", Body=b"<h1>hi</h1>")
                assert s3.get_object(Bucket=physical[lid], Key="index.html")["Body"].read() == b"<h1>hi</h1>"
        fn = next(
            lid
            for lid, b in data["Resources"].items()
            if b["Type"] == "AWS::Lambda::Function"
            and "USERS_TABLE" in b["Properties"].get("Environment", {}).get("Variables", {})
        )
        api = _handler(data, fn, physical, monkeypatch, target.region)

        def call(method: str, sub: str, user: str | None = None, body: Any = None) -> dict[str, Any]:
            event: dict[str, Any] = {
                "httpMethod": method,
                "requestContext": {"authorizer": {"claims": {"sub": sub}}},
                "pathParameters": {"userId": user} if user else None,
                "body": json.dumps(body) if body is not None else None,
            }
            return api.handler(event, None)

        created = call("POST", "alice", body={"email": "a@example.com", "name": "Alice"})
        assert created["statusCode"] == 201
        assert call("GET", "alice", "alice")["statusCode"] == 200
        assert call("GET", "mallory", "alice")["statusCode"] == 403
