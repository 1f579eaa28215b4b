"""iot-core and global-tables builders."""

from __future__ import annotations

import json
from functools import partial

import pytest
from component_builds import build_components

from cloudwright.design.build import BuildContext
from cloudwright.design.components import global_, iot
from cloudwright.design.model import Design
from cloudwright.errors import InputError
from cloudwright.requirements import requirements_from_mapping

build = partial(build_components, name="fleet")

END_OF_SUPPORT = ("AWS::IoTAnalytics::", "AWS::IoTEvents::", "AWS::Pinpoint::", "AWS::Timestream::")


def test_device_policy_is_scoped_to_the_thing() -> None:
    d = build([("iot-core", {})])
    doc = d["DevicePolicy"].prop("PolicyDocument")
    text = json.dumps(doc)
    assert '"*"' not in text
    for stmt in doc["Statement"]:
        resources = stmt["Resource"] if isinstance(stmt["Resource"], list) else [stmt["Resource"]]
        for res in resources:
            assert "${!iot:Connection.Thing.ThingName}" in res["Fn::Sub"]
    assert doc["Statement"][0]["Condition"] == {"Bool": {"iot:Connection.Thing.IsAttached": "true"}}


def test_telemetry_rule_routes_to_stream_and_table_with_usage() -> None:
    d = build([("kinesis", {}), ("iot-core", {})], expected_users=2000, requests_per_second=200)
    rule = d["TelemetryRule"].prop("TopicRulePayload")
    kinds = sorted(next(iter(a)) for a in rule["Actions"])
    assert kinds == ["DynamoDBv2", "Kinesis"]
    assert rule["ErrorAction"]["CloudwatchLogs"]["LogGroupName"] == {"Ref": "IotRuleErrorLogs"}
    month = 730 * 3600
    usage = d["TelemetryRule"].usage
    assert usage["monthly_messages"] == 200 * month
    assert usage["device_count"] == 2000
    assert usage["monthly_connection_minutes"] == 2000 * 730 * 60
    assert usage["monthly_actions"] == 2 * 200 * month
    role = d["IotRuleRole"].prop("Policies.0.PolicyDocument.Statement")
    assert {"Effect": "Allow", "Action": ["kinesis:PutRecord", "kinesis:PutRecords"],
            "Resource": {"Fn::GetAtt": ["EventStream", "Arn"]}} in role  # fmt: skip
    edges = {(e.source, e.target) for e in d.edges}
    assert ("TelemetryRule", "EventStream") in edges and ("TelemetryRule", "TelemetryTable") in edges


def test_alerts_go_through_lambda_and_sns_never_end_of_support_services() -> None:
    d = build([("iot-core", {"alert_metric": "pressure", "alert_threshold": 7.5})])
    alert = d["AlertRule"].prop("TopicRulePayload")
    assert alert["Sql"].endswith("WHERE pressure > 7.5")
    assert alert["Actions"] == [{"Lambda": {"FunctionArn": {"Fn::GetAtt": ["AlertFunction", "Arn"]}}}]
    fn = d["AlertFunction"]
    assert fn.prop("DeadLetterConfig.TargetArn") == {"Fn::GetAtt": ["AlertFunctionDlq", "Arn"]}
    assert fn.prop("Environment.Variables.ALERT_TOPIC") == {"Ref": "AlertsTopic"}
    assert d["AlertFunctionIotPermission"].prop("Principal") == "iot.amazonaws.com"
    assert not [r.type for r in d.resources if r.type.startswith(END_OF_SUPPORT)]
    with pytest.raises(
        InputError, match=r"options\.alert_metric: alert_metric must be a plain attribute name"
    ):
        build([("iot-core", {"alert_metric": "x; DROP"})])


def test_replica_regions_from_audience() -> None:
    assert global_.replica_regions("us-east-1", ["north-america", "europe", "asia-pacific"]) == [
        "us-east-1",
        "eu-west-1",
        "ap-southeast-1",
    ]
    assert global_.replica_regions("eu-central-1", ["europe", "north-america"]) == [
        "eu-central-1",
        "us-east-1",
    ]
    assert global_.replica_regions("us-west-2", ["north-america"]) == ["us-west-2"]


def test_global_table_replaces_regional_table_and_prices_replication() -> None:
    d = build(
        [("dynamodb", {"tables": ["users"]}), ("global-tables", {})],
        audience_regions=["north-america", "europe"],
        requests_per_second=100,
        read_percent=80,
    )
    table = d["UsersTable"]
    assert table.type == "AWS::DynamoDB::GlobalTable"
    assert len(d.by_type("AWS::DynamoDB::Table")) == 0
    assert [r["Region"] for r in table.prop("Replicas")] == ["us-east-1", "eu-west-1"]
    assert all(
        r["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] for r in table.prop("Replicas")
    )
    assert table.prop("StreamSpecification.StreamViewType") == "NEW_AND_OLD_IMAGES"
    month = 730 * 3600
    writes = round(20 * 2 * month)
    assert table.usage["monthly_write_request_units"] == writes
    assert table.usage["monthly_replicated_write_request_units"] == writes
    assert table.usage["monthly_read_request_units"] == round(80 * month / 2)
    assert d.metadata["secondary_regions"][0]["region"] == "eu-west-1"
    assert d.assumptions["secondary_region_stacks"].startswith("eu-west-1: deploy this template again")


def test_global_table_single_region_outside_prod() -> None:
    d = build([("global-tables", {})], env="staging", audience_regions=["north-america", "africa"])
    assert [r["Region"] for r in d["UsersTable"].prop("Replicas")] == ["us-east-1"]
    prod = build([("global-tables", {})], audience_regions=["north-america", "africa"])
    assert any("af-south-1" in w and "opted in" in w for w in prod.warnings)


def test_telemetry_goes_to_direct_put_firehose_without_a_stream() -> None:
    from cloudwright.design.build import build_order
    from cloudwright.design.components import analytics

    # iot-core uses the data lake, so the lake is built first whatever order the pattern lists them in
    assert build_order("t", ["iot-core", "firehose-datalake"]) == ["firehose-datalake", "iot-core"]
    r = requirements_from_mapping({"name": "fleet", "requests_per_second": 50})
    ctx = BuildContext(requirements=r, environment="prod", design=Design())
    analytics.firehose_datalake(ctx, analytics.DataLakeOptions())
    iot.iot_core(ctx, iot.IotCoreOptions())
    d = ctx.design
    actions = d["TelemetryRule"].prop("TopicRulePayload.Actions")
    firehose = [a["Firehose"] for a in actions if "Firehose" in a]
    assert firehose and firehose[0]["DeliveryStreamName"] == {"Ref": "DeliveryStream"}
    assert d["DeliveryStream"].prop("DeliveryStreamType") == "DirectPut"
    role = d["IotRuleRole"].prop("Policies.0.PolicyDocument.Statement")
    assert any(s["Action"] == ["firehose:PutRecord", "firehose:PutRecordBatch"] for s in role)
    assert d["TelemetryRule"].usage["monthly_actions"] == d["TelemetryRule"].usage["monthly_messages"] * 2
    assert ("TelemetryRule", "DeliveryStream") in {(e.source, e.target) for e in d.edges}


def test_telemetry_table_is_write_heavy_whatever_the_api_mix() -> None:
    d = build([("dynamodb", {"tables": ["telemetry"]})], requests_per_second=100, read_percent=90)
    month = 730 * 3600
    usage = d["TelemetryTable"].usage
    assert usage["monthly_write_request_units"] == round(95 * 2 * month)  # 2 KB readings, 95% writes
    assert usage["monthly_read_request_units"] == round(5 * 1 * month)
