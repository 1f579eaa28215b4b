"""Batch analytics: the ``firehose-datalake`` builder.

Firehose (from the Kinesis stream, or direct PUT) → partitioned, compressed S3 data lake → Glue database +
crawler → Athena workgroup with enforced result encryption and a per-query scan limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cloudwright.design.build import BuildContext, BuilderOptions, DataLake, Stream, component
from cloudwright.design.components.iam import s3_read_statement
from cloudwright.design.components.lambdas import add_log_group, kms_arn, monthly, skip
from cloudwright.design.components.storage import add_bucket
from cloudwright.units import MONTH_HOURS, MONTH_SECONDS

SRC_FIREHOSE_PREFIX = "https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html"
SRC_FIREHOSE_BUFFER = "https://docs.aws.amazon.com/firehose/latest/dev/buffering-hints.html"
SRC_ATHENA_WG = (
    "https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html"
)
SRC_GLUE_CRAWLER = "https://docs.aws.amazon.com/glue/latest/dg/add-crawler.html"

PARTITION = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
#: Firehose buffering: deliver every 128 MB or 5 minutes, whichever comes first.
BUFFER_MB, BUFFER_S = 128, 300
GZIP_RATIO = 4.0  # assumption: JSON events compress about 4:1 with GZIP


def _db_name(ctx: BuildContext) -> str:
    raw = f"{ctx.requirements.name}_{ctx.environment}_lake".lower()
    return "".join(ch if ch.isalnum() else "_" for ch in raw)


def athena_workgroup_properties(
    ctx: BuildContext, name: str, description: str, results_bucket: str, cutoff_gb: int
) -> dict[str, Any]:
    """An Athena workgroup that enforces its settings: results encrypted (the pattern's KMS key, else
    SSE-S3) in ``results_bucket``, CloudWatch metrics, and a scan cutoff per query."""
    key = kms_arn(ctx)
    enc: dict[str, Any] = (
        {"EncryptionOption": "SSE_KMS", "KmsKey": key} if key else {"EncryptionOption": "SSE_S3"}
    )
    return {
        "Name": {"Fn::Sub": "${AWS::StackName}-" + name},
        "Description": description,
        "State": "ENABLED",
        "RecursiveDeleteOption": not ctx.is_prod,
        "WorkGroupConfiguration": {
            "EnforceWorkGroupConfiguration": True,
            "PublishCloudWatchMetricsEnabled": True,
            "BytesScannedCutoffPerQuery": cutoff_gb * 1024**3,
            "EngineVersion": {"SelectedEngineVersion": "AUTO"},
            "ResultConfiguration": {
                "OutputLocation": {"Fn::Sub": "s3://${" + results_bucket + "}/results/"},
                "EncryptionConfiguration": enc,
            },
        },
    }


def add_glue_security_configuration(ctx: BuildContext, logical_id: str, suffix: str, cid: str) -> str:
    """A Glue security configuration named ``<stack>-<suffix>``: SSE-KMS everywhere with the pattern's
    customer managed key, else SSE-S3 for S3 output (with a reasoned CKV_AWS_99 suppression)."""
    key = kms_arn(ctx)
    ctx.add(
        logical_id,
        "AWS::Glue::SecurityConfiguration",
        {
            "Name": {"Fn::Sub": "${AWS::StackName}-" + suffix},
            "EncryptionConfiguration": {
                "S3Encryptions": [
                    {"S3EncryptionMode": "SSE-KMS", "KmsKeyArn": key}
                    if key
                    else {"S3EncryptionMode": "SSE-S3"}
                ],
                "CloudWatchEncryption": (
                    {"CloudWatchEncryptionMode": "SSE-KMS", "KmsKeyArn": key}
                    if key
                    else {"CloudWatchEncryptionMode": "DISABLED"}
                ),
                "JobBookmarksEncryption": (
                    {"JobBookmarksEncryptionMode": "CSE-KMS", "KmsKeyArn": key}
                    if key
                    else {"JobBookmarksEncryptionMode": "DISABLED"}
                ),
            },
        },
        label="Glue security configuration",
        role="security",
        component_id=cid,
        attributes=None
        if key
        else {
            "Metadata": skip(
                (
                    "CKV_AWS_99",
                    "CloudWatch and bookmark encryption need a customer managed key; enabled when the "
                    "pattern includes the kms component. S3 output is encrypted (SSE-S3).",
                )
            )
        },
    )
    return logical_id


def add_glue_crawler_role(ctx: BuildContext, cid: str, *, policy: str, bucket: str, prefix: str) -> str:
    """The crawler's role (``CrawlerRole``): the Glue service role, read access to ``bucket``'s
    ``prefix`` and decrypt with the pattern's customer managed key when there is one."""
    key = kms_arn(ctx)
    ctx.add(
        "CrawlerRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "glue.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "ManagedPolicyArns": [
                {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSGlueServiceRole"}
            ],
            "Policies": [
                {
                    "PolicyName": policy,
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            s3_read_statement(bucket, prefix),
                            *(
                                [{"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": key}]
                                if key
                                else []
                            ),
                        ],
                    },
                }
            ],
        },
        label="Crawler role",
        role="iam",
        component_id=cid,
    )
    return "CrawlerRole"


class DataLakeOptions(BuilderOptions):
    """Options of ``firehose-datalake``."""

    retention_days: int | None = None
    """Days the lake keeps data; ``None``: 365 in prod, 30 elsewhere."""
    queries_per_day: float = 100.0
    """Athena queries a day in prod (a tenth of it elsewhere)."""
    scan_cutoff_gb: int | None = None
    """The workgroup's per-query scan cutoff in GB; ``None``: 10 in prod, 1 elsewhere."""


@component(
    "firehose-datalake",
    options=DataLakeOptions,
    uses=["kms_key", "stream"],
    provides=["data_lake"],
    stage="data",
)
def firehose_datalake(ctx: BuildContext, options: DataLakeOptions) -> None:
    cid = "firehose-datalake"
    stream = ctx.provided.stream
    z = _lake_sizing(ctx, options)
    _lake_buckets(ctx, cid, z)
    _delivery_stream(ctx, cid, z, stream)
    _lake_catalog(ctx, cid, z)
    _workgroup(ctx, cid, z)
    ctx.provided.data_lake = DataLake(
        bucket="DataLakeBucket",
        database="LakeDatabase",
        workgroup="AnalyticsWorkGroup",
        delivery_stream="DeliveryStream",
        direct_put=not stream,
    )


@dataclass(frozen=True)
class _LakeSizing:
    """What the lake is sized on: records in, GB stored, queries and what they scan."""

    records: int
    record_kb: float
    ingested_gb: float
    retention: int
    lake_gb: float
    queries: int
    daily_gb: float
    scanned_tb: float
    cutoff_gb: int
    puts: int
    buffer_mb: int = BUFFER_MB
    buffer_s: int = BUFFER_S


def _lake_sizing(ctx: BuildContext, options: DataLakeOptions) -> _LakeSizing:
    req = ctx.requirements
    stream = ctx.provided.stream
    record_kb = stream.record_kb if stream else req.avg_request_kb
    records = monthly(ctx, req.requests_per_second)
    ingested_gb = round(records * record_kb / (1024 * 1024), 3)
    stored_gb_month = ingested_gb / GZIP_RATIO
    retention = options.retention_days if options.retention_days is not None else (365 if ctx.is_prod else 30)
    queries = round(options.queries_per_day * 30.4 * (1 if ctx.is_prod else 0.1))
    daily_gb = stored_gb_month / 30.4
    return _LakeSizing(
        records=records,
        record_kb=record_kb,
        ingested_gb=ingested_gb,
        retention=retention,
        lake_gb=round(stored_gb_month * min(retention / 30.4, 12), 3),
        queries=queries,
        daily_gb=daily_gb,
        scanned_tb=round(queries * max(daily_gb, 0.01) / 1024, 6),  # each query scans one day of partitions
        cutoff_gb=options.scan_cutoff_gb
        if options.scan_cutoff_gb is not None
        else (10 if ctx.is_prod else 1),
        puts=round(records * record_kb / 1024 / BUFFER_MB) + round(MONTH_SECONDS / BUFFER_S),
    )


def _lake_buckets(ctx: BuildContext, cid: str, z: _LakeSizing) -> None:
    """The lake (tiered, expired after the retention) and the Athena results bucket."""
    add_bucket(
        ctx,
        "DataLakeBucket",
        label="Data lake bucket",
        role="data-lake",
        component_id=cid,
        rationale="Raw events, GZIP, partitioned by hour for cheap pruned Athena scans; Infrequent "
        "Access after "
        f"30 days, Glacier Instant Retrieval after 90, deleted after {z.retention} days.",
        usage={
            "storage_gb": z.lake_gb,
            "monthly_tier_1_requests": z.puts,
            "monthly_tier_2_requests": z.queries * 50,
            "monthly_data_transfer_out_gb": 0,
        },
        lifecycle=[
            {
                "Id": "tier-and-expire",
                "Status": "Enabled",
                "ExpirationInDays": z.retention,
                "Transitions": [
                    {"StorageClass": cls, "TransitionInDays": days}
                    for cls, days in (("STANDARD_IA", 30), ("GLACIER_IR", 90))
                    if days < z.retention
                ],
            }
        ],
    )
    add_bucket(
        ctx,
        "AthenaResultsBucket",
        label="Athena results bucket",
        role="query-results",
        component_id=cid,
        rationale="Query results only, expired after 30 days; overwritten versions kept 1 day.",
        noncurrent_days=1,
        usage={
            "storage_gb": 1.0,
            "monthly_tier_1_requests": z.queries * 2,
            "monthly_tier_2_requests": z.queries * 2,
            "monthly_data_transfer_out_gb": 0,
        },
        lifecycle=[{"Id": "expire-results", "Status": "Enabled", "ExpirationInDays": 30}],
    )


def _firehose_role(ctx: BuildContext, cid: str, stream: Stream | None) -> None:
    key = kms_arn(ctx)
    statements: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Action": [
                "s3:AbortMultipartUpload",
                "s3:GetBucketLocation",
                "s3:GetObject",
                "s3:ListBucket",
                "s3:ListBucketMultipartUploads",
                "s3:PutObject",
            ],
            "Resource": [{"Fn::GetAtt": ["DataLakeBucket", "Arn"]}, {"Fn::Sub": "${DataLakeBucket.Arn}/*"}],
        },
        {
            "Effect": "Allow",
            "Action": "logs:PutLogEvents",
            "Resource": {"Fn::GetAtt": ["FirehoseLogs", "Arn"]},
        },
    ]
    if stream:
        statements.append(
            {
                "Effect": "Allow",
                "Action": [
                    "kinesis:DescribeStream",
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:ListShards",
                ],
                "Resource": {"Fn::GetAtt": [stream.stream, "Arn"]},
            }
        )
    if key:
        statements.append(
            {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": key}
        )
    ctx.add(
        "FirehoseRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "firehose.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"StringEquals": {"sts:ExternalId": {"Ref": "AWS::AccountId"}}},
                    }
                ],
            },
            "Policies": [
                {
                    "PolicyName": "deliver",
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                }
            ],
        },
        label="Firehose role",
        role="iam",
        component_id=cid,
        rationale="Read the stream, write the lake prefix, log delivery errors: nothing else.",
    )


def _delivery_properties(z: _LakeSizing, stream: Stream | None, key: Any) -> dict[str, Any]:
    """The delivery stream: extended S3 destination (partitioned, GZIP, logged) and its source."""
    dest: dict[str, Any] = {
        "BucketARN": {"Fn::GetAtt": ["DataLakeBucket", "Arn"]},
        "RoleARN": {"Fn::GetAtt": ["FirehoseRole", "Arn"]},
        "Prefix": f"events/{PARTITION}",
        "ErrorOutputPrefix": f"errors/!{{firehose:error-output-type}}/{PARTITION}",
        "BufferingHints": {"SizeInMBs": z.buffer_mb, "IntervalInSeconds": z.buffer_s},
        "CompressionFormat": "GZIP",
        "CloudWatchLoggingOptions": {
            "Enabled": True,
            "LogGroupName": {"Ref": "FirehoseLogs"},
            "LogStreamName": {"Ref": "FirehoseLogStream"},
        },
    }
    if key:
        dest["EncryptionConfiguration"] = {"KMSEncryptionConfig": {"AWSKMSKeyARN": key}}
    fh: dict[str, Any] = {"ExtendedS3DestinationConfiguration": dest}
    if stream:
        fh["DeliveryStreamType"] = "KinesisStreamAsSource"
        fh["KinesisStreamSourceConfiguration"] = {
            "KinesisStreamARN": {"Fn::GetAtt": [stream.stream, "Arn"]},
            "RoleARN": {"Fn::GetAtt": ["FirehoseRole", "Arn"]},
        }
    else:
        fh["DeliveryStreamType"] = "DirectPut"
        fh["DeliveryStreamEncryptionConfigurationInput"] = (
            {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": key} if key else {"KeyType": "AWS_OWNED_CMK"}
        )
    return fh


def _delivery_stream(ctx: BuildContext, cid: str, z: _LakeSizing, stream: Stream | None) -> None:
    """Firehose from the stream (or direct PUT) to hourly, GZIP partitions of the lake."""
    add_log_group(ctx, "FirehoseLogs", label="Firehose error logs", monthly_gb=0.01, component_id=cid)
    ctx.add(
        "FirehoseLogStream",
        "AWS::Logs::LogStream",
        {"LogGroupName": {"Ref": "FirehoseLogs"}, "LogStreamName": "S3Delivery"},
        label="Firehose delivery log stream",
        role="logs",
        component_id=cid,
    )
    _firehose_role(ctx, cid, stream)
    key = kms_arn(ctx)
    fh = _delivery_properties(z, stream, key)
    fh_checks = []
    if stream:
        fh_checks.append(
            (
                "CKV_AWS_240",
                "Source is the KMS-encrypted Kinesis stream; Firehose server-side "
                "encryption applies only to Direct PUT.",
            )
        )
    if not key:
        fh_checks.append(
            (
                "CKV_AWS_241",
                "Records at rest use the stream's KMS key and the bucket's SSE; a "
                "customer managed key is used when the pattern includes one.",
            )
        )
    ctx.add(
        "DeliveryStream",
        "AWS::KinesisFirehose::DeliveryStream",
        fh,
        usage={"monthly_data_ingested_gb": z.ingested_gb},
        label="Firehose to data lake",
        role="batch-delivery",
        component_id=cid,
        rationale="Managed batching (128 MB or 5 min), GZIP and hourly partition prefixes: no code to run.",
        sizing=[
            {
                "rule": "ingested = records/month × record size",
                "value": f"{z.records:,} × {z.record_kb:g} KB = {z.ingested_gb:,.1f} GB/month",
                "source": "requirements (requests_per_second, avg_request_kb)",
            },
            {
                "rule": "buffer",
                "value": f"{z.buffer_mb} MB or {z.buffer_s} s, whichever first",
                "source": SRC_FIREHOSE_BUFFER,
            },
            {"rule": "partitioning", "value": f"events/{PARTITION}", "source": SRC_FIREHOSE_PREFIX},
        ],
        attributes={"Metadata": skip(*fh_checks)} if fh_checks else None,
    )
    if stream:
        ctx.connect(stream.stream, "DeliveryStream", "data", "read")
    ctx.connect("DeliveryStream", "DataLakeBucket", "data", "GZIP, hourly partitions")


def _lake_catalog(ctx: BuildContext, cid: str, z: _LakeSizing) -> None:
    """The Glue database and the daily crawler of new partitions."""
    db = _db_name(ctx)
    ctx.add(
        "LakeDatabase",
        "AWS::Glue::Database",
        {
            "CatalogId": {"Ref": "AWS::AccountId"},
            "DatabaseInput": {"Name": db, "Description": "Event data lake tables"},
        },
        usage={
            "storage_objects": round(MONTH_HOURS * min(z.retention, 365) / 30.4) + 10,
            # assumption: ~10 catalog calls per Athena query (table, partitions) + crawler runs
            "monthly_requests": z.queries * 10 + round(30.4 * 100),
        },
        label="Glue database",
        role="catalog",
        component_id=cid,
        rationale="Catalog of lake tables and their hourly partitions for Athena.",
    )
    add_glue_security_configuration(ctx, "CrawlerSecurityConfiguration", "crawler", cid)
    add_glue_crawler_role(ctx, cid, policy="read-lake", bucket="DataLakeBucket", prefix="events")
    crawl_minutes = 10  # assumption: a daily crawl of new partitions takes ~10 min (the billing minimum)
    ctx.add(
        "LakeCrawler",
        "AWS::Glue::Crawler",
        {
            "Role": {"Fn::GetAtt": ["CrawlerRole", "Arn"]},
            "DatabaseName": {"Ref": "LakeDatabase"},
            "Targets": {"S3Targets": [{"Path": {"Fn::Sub": "s3://${DataLakeBucket}/events/"}}]},
            "Schedule": {"ScheduleExpression": "cron(15 2 * * ? *)"},
            "SchemaChangePolicy": {"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "LOG"},
            "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"},
            "CrawlerSecurityConfiguration": {"Ref": "CrawlerSecurityConfiguration"},
        },
        usage={"monthly_hours": round(30.4 * crawl_minutes / 60, 2)},
        label="Glue crawler",
        role="catalog",
        component_id=cid,
        rationale="Daily, new folders only: keeps the catalog's partitions current cheaply "
        "(partition projection is the no-crawler alternative).",
        sizing=[
            {
                "rule": "crawler hours = 30.4 daily runs × 10 min",
                "value": f"{30.4 * crawl_minutes / 60:.2f} h",
                "source": SRC_GLUE_CRAWLER,
            }
        ],
    )
    ctx.connect("LakeCrawler", "DataLakeBucket", "data", "crawl")
    ctx.connect("LakeCrawler", "LakeDatabase", "data", "tables, partitions")


def _workgroup(ctx: BuildContext, cid: str, z: _LakeSizing) -> None:
    ctx.add(
        "AnalyticsWorkGroup",
        "AWS::Athena::WorkGroup",
        athena_workgroup_properties(
            ctx, "analytics", "Ad-hoc SQL on the data lake", "AthenaResultsBucket", z.cutoff_gb
        ),
        usage={"monthly_queries": z.queries, "monthly_data_scanned_tb": z.scanned_tb},
        label="Athena workgroup",
        role="query",
        component_id=cid,
        rationale=f"Enforced settings: encrypted results, CloudWatch metrics and a {z.cutoff_gb} GB scan "
        f"cutoff "
        "per query so a runaway query cannot run up the bill.",
        sizing=[
            {
                "rule": "data scanned = queries × one day of compressed partitions",
                "value": f"{z.queries:,} queries × {z.daily_gb:,.3f} GB ≈ {z.scanned_tb:g} TB/month",
                "source": "assumption (GZIP 4:1; dashboards query the last day)",
            },
            {"rule": "bytes-scanned cutoff", "value": f"{z.cutoff_gb} GB per query", "source": SRC_ATHENA_WG},
        ],
    )
    ctx.connect("AnalyticsWorkGroup", "LakeDatabase", "reference", "catalog")
    ctx.connect("AnalyticsWorkGroup", "DataLakeBucket", "data", "scan")
    ctx.connect("AnalyticsWorkGroup", "AthenaResultsBucket", "data", "results")
