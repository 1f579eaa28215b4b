"""Data builders: kinesis (shard sizing), firehose-datalake, appsync."""

from __future__ import annotations

from functools import partial

import pytest
from component_builds import build_components

from cloudwright.design import sizing
from cloudwright.errors import InputError

build = partial(build_components, name="clicks")


@pytest.mark.parametrize(
    ("rps", "peak", "kb", "shards"),
    [
        (10, 3, 0.5, 1),  # 30 records/s, tiny: one shard
        (1000, 3, 0.5, 3),  # 3,000 records/s → record limit: 3 shards
        (1000, 2, 4.0, 8),  # 2,000 records/s × 4 KB = 7.8 MB/s → byte limit: 8 shards
        (100, 1, 50.0, 5),  # 100 × 50 KB = 4.9 MB/s → 5 shards
    ],
)
def test_shard_count_follows_the_shard_limits(rps: float, peak: float, kb: float, shards: int) -> None:
    d = build([("kinesis", {})], requests_per_second=rps, peak_to_average_ratio=peak, avg_request_kb=kb)
    stream = d["EventStream"]
    assert stream.prop("ShardCount") == shards
    assert sizing.kinesis_shards(rps * peak, kb).value == shards
    assert stream.usage == {"monthly_put_records": round(rps * 730 * 3600), "average_record_size_kb": kb}
    assert "1 MB/s or 1,000 records/s" in stream.metadata["sizing"][0]["source"]


def test_stream_encryption_consumer_and_failure_destination() -> None:
    d = build([("kinesis", {})])
    assert d["EventStream"].prop("StreamEncryption") == {
        "EncryptionType": "KMS",
        "KeyId": "alias/aws/kinesis",
    }
    esm = d["AnalyticsEventSource"]
    assert esm.prop("DestinationConfig.OnFailure.Destination") == {"Fn::GetAtt": ["StreamConsumerDlq", "Arn"]}
    assert esm.prop("BisectBatchOnFunctionError") is True
    assert esm.prop("StartingPosition") == "LATEST"
    assert d["AnalyticsFunction"].prop("Environment.Variables.ANALYTICS_TABLE") == {"Ref": "AnalyticsTable"}
    assert d["AnalyticsTable"].prop("TimeToLiveSpecification.Enabled") is True
    keyed = build([("kinesis", {})], kms=True)
    assert keyed["EventStream"].prop("StreamEncryption.KeyId") == {"Ref": "DataKey"}


def test_on_demand_mode_has_no_shard_count() -> None:
    d = build([("kinesis", {"mode": "on-demand"})])
    stream = d["EventStream"]
    assert "ShardCount" not in stream.properties
    assert stream.prop("StreamModeDetails.StreamMode") == "ON_DEMAND"
    assert set(stream.usage) == {"monthly_on_demand_data_in_gb", "monthly_on_demand_data_out_gb"}
    with pytest.raises(InputError):
        build([("kinesis", {"mode": "sometimes"})])


def test_datalake_reads_the_stream_and_partitions_by_hour() -> None:
    d = build([("kinesis", {}), ("firehose-datalake", {})], requests_per_second=100, avg_request_kb=1)
    fh = d["DeliveryStream"]
    assert fh.prop("DeliveryStreamType") == "KinesisStreamAsSource"
    dest = fh.prop("ExtendedS3DestinationConfiguration")
    assert dest["Prefix"].startswith("events/year=!{timestamp:yyyy}/month=")
    assert dest["ErrorOutputPrefix"].startswith("errors/")
    assert dest["CompressionFormat"] == "GZIP"
    assert fh.usage["monthly_data_ingested_gb"] == pytest.approx(100 * 730 * 3600 / (1024 * 1024), rel=1e-3)
    wg = d["AnalyticsWorkGroup"].prop("WorkGroupConfiguration")
    assert wg["EnforceWorkGroupConfiguration"] is True
    assert wg["ResultConfiguration"]["EncryptionConfiguration"] == {"EncryptionOption": "SSE_S3"}
    assert wg["BytesScannedCutoffPerQuery"] == 10 * 1024**3
    assert d["LakeCrawler"].prop("CrawlerSecurityConfiguration") == {"Ref": "CrawlerSecurityConfiguration"}
    assert d["LakeDatabase"].prop("DatabaseInput.Name") == "clicks_prod_lake"
    assert d["DataLakeBucket"].prop("PublicAccessBlockConfiguration.BlockPublicPolicy") is True
    assert ("EventStream", "DeliveryStream", "data") in {(e.source, e.target, e.kind) for e in d.edges}
    assert d["AnalyticsWorkGroup"].usage["monthly_queries"] == round(100 * 30.4)


def test_datalake_direct_put_and_dev_limits() -> None:
    d = build([("firehose-datalake", {})], env="dev", kms=True)
    fh = d["DeliveryStream"]
    assert fh.prop("DeliveryStreamType") == "DirectPut"
    assert fh.prop("DeliveryStreamEncryptionConfigurationInput.KeyType") == "CUSTOMER_MANAGED_CMK"
    assert d["AnalyticsWorkGroup"].prop("WorkGroupConfiguration.BytesScannedCutoffPerQuery") == 1024**3
    assert (
        d["DataLakeBucket"].prop(
            "BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault.SSEAlgorithm"
        )
        == "aws:kms"
    )
    rules = d["DataLakeBucket"].prop("LifecycleConfiguration.Rules")
    assert rules[0]["ExpirationInDays"] == 30
    assert rules[0]["Transitions"] == []  # tiers would be longer than the 30-day retention


def test_appsync_cognito_auth_resolvers_and_usage() -> None:
    d = build([("appsync", {})], requests_per_second=20, read_percent=90, expected_users=5000)
    api = d["GraphQLApi"]
    assert api.prop("AuthenticationType") == "AMAZON_COGNITO_USER_POOLS"
    assert api.prop("UserPoolConfig.UserPoolId") == {"Ref": "UserPool"}
    assert api.prop("LogConfig.FieldLogLevel") == "ERROR"
    assert api.prop("XrayEnabled") is True
    month = 730 * 3600
    assert api.usage["monthly_query_mutation_requests"] == 20 * month
    assert api.usage["monthly_realtime_updates"] == round(2 * month)
    assert api.usage["monthly_connection_minutes"] == 5000 * 60
    assert "onCreateItem" in d["GraphQLSchema"].prop("Definition")
    resolvers = d.by_type("AWS::AppSync::Resolver")
    assert {(r.prop("TypeName"), r.prop("FieldName")) for r in resolvers} == {
        ("Query", "getItem"),
        ("Query", "listItems"),
        ("Mutation", "createItem"),
        ("Subscription", "onCreateItem"),
    }
    for r in resolvers:
        assert "ctx.identity.sub" in r.prop("Code")
        assert r.depends_on == ["GraphQLSchema"]
    assert d["ItemsDataSource"].prop("DynamoDBConfig.TableName") == {"Ref": "ItemsTable"}
    assert d["ItemsTable"].prop("StreamSpecification.StreamViewType") == "NEW_AND_OLD_IMAGES"


def test_aggregates_write_far_less_than_the_stream_carries() -> None:
    d = build([("kinesis", {})], requests_per_second=1000, avg_request_kb=0.5)
    month = 730 * 3600
    writes = d["AnalyticsTable"].usage["monthly_write_request_units"]
    # 3 shards at ~333 records/s each fill batches of 100 → ~5 aggregate writes per 100 records
    assert writes < 1000 * month / 10
    assert d["AnalyticsFunction"].usage["monthly_requests"] == round(1000 / 100 * month)


def test_payloads_over_the_item_limit_go_to_s3_with_a_pointer_item() -> None:
    from cloudwright.design.build import build_design
    from cloudwright.requirements import requirements_from_mapping

    req = requirements_from_mapping(
        {
            "application_type": "web_application",
            "avg_request_kb": 900,
            "avg_response_kb": 900,
            "data_size_gb": 500,
        }
    )
    d = build_design(req, "serverless-web")
    table, bucket = d.get("UsersTable"), d.get("LargeObjectsBucket")
    assert table is not None and bucket is not None
    # items are pointers (1 WRU per write), the objects are in S3
    assert table.usage["monthly_write_request_units"] == round(req.requests_per_second * 0.2 * 730 * 3600)
    assert table.usage["storage_gb"] < 1 < bucket.usage["storage_gb"]
    assert ("UsersTable", "LargeObjectsBucket") in {(e.source, e.target) for e in d.edges}
    small = build_design(requirements_from_mapping({"application_type": "web_application"}), "serverless-web")
    assert small.get("LargeObjectsBucket") is None


def test_device_state_table_is_sized_on_devices_not_on_total_data() -> None:
    from cloudwright.design.build import build_design
    from cloudwright.requirements import requirements_from_mapping

    base = {"application_type": "iot_platform", "expected_users": 100_000, "requests_per_second": 1000}
    small = build_design(requirements_from_mapping({**base, "data_size_gb": 10}), "iot-platform")
    large = build_design(requirements_from_mapping({**base, "data_size_gb": 50_000}), "iot-platform")
    a, b = small.get("TelemetryTable"), large.get("TelemetryTable")
    assert a is not None and b is not None
    assert a.usage["storage_gb"] == b.usage["storage_gb"] == round(100_000 * 2 / (1024 * 1024), 3)
    assert [k["AttributeName"] for k in a.properties["KeySchema"]] == ["deviceId"]
    # the history goes to the data lake in S3, not to the key-value table
    assert any(r.type == "AWS::KinesisFirehose::DeliveryStream" for r in small.resources)


def test_kinesis_mode_is_read_in_any_spelling() -> None:
    from cloudwright.design.components.streaming import KinesisOptions

    assert KinesisOptions.model_validate({"mode": "ON_DEMAND"}).mode == "on-demand"
    d = build([("kinesis", {"mode": "On_Demand", "retention_hours": 48})])
    assert d["EventStream"].prop("StreamModeDetails.StreamMode") == "ON_DEMAND"
    assert d["EventStream"].prop("RetentionPeriodHours") == 48
