"""Real-time ingestion: the ``kinesis`` builder (data stream + consumer Lambda → 5-minute aggregates)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from cloudwright.design.build import BuildContext, BuilderOptions, Stream, component
from cloudwright.design.components.lambdas import add_function, kms_key, monthly, table_statement
from cloudwright.design.components.messaging import batch_fill
from cloudwright.design.components.nosql import DEFAULT_SHARE, ensure_table

SRC_KINESIS_SHARD = (
    "https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html "
    "(a shard takes 1 MB/s or 1,000 records/s of writes and serves 2 MB/s of reads)"
)
SRC_KINESIS_LAMBDA = "https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html"
SRC_KINESIS_QUOTA = (
    "https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html "
    "(default 20,000 shards per account in us-east-1, us-west-2 and eu-west-1; 1,000 or 6,000 elsewhere)"
)


#: Distinct (event type, 5-minute bucket) keys in one batch (assumption: a handful of event types).
AGGREGATE_KEYS_PER_BATCH = 5
#: Regions with the 20,000-shard default quota; elsewhere we assume the lower 1,000 (SRC_KINESIS_QUOTA).
HIGH_SHARD_QUOTA_REGIONS = {"us-east-1", "us-west-2", "eu-west-1"}


def ensure_dlq(ctx: BuildContext, logical_id: str, label: str, component_id: str) -> str:
    if ctx.has(logical_id):
        return logical_id
    from cloudwright.design.components.messaging import sse_sqs_skip

    ctx.add(
        logical_id,
        "AWS::SQS::Queue",
        {"MessageRetentionPeriod": 1_209_600, "SqsManagedSseEnabled": True},
        usage={"monthly_requests": 0, "request_size_kb": 1.0},
        label=label,
        role="dead-letter queue",
        rationale="Failed batches (metadata: shard, sequence numbers) are kept 14 days for replay.",
        attributes={"Metadata": sse_sqs_skip()},
        component_id=component_id,
    )
    return logical_id


#: What the consumer reads from the stream (ListStreams takes no resource-level scope).
STREAM_READ_ACTIONS = [
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:ListShards",
]
#: Records per consumer batch, and how long the poller waits to fill one (seconds).
CONSUMER_BATCH = 100
CONSUMER_WINDOW_S = 5


class KinesisOptions(BuilderOptions):
    """Options of ``kinesis``."""

    mode: Literal["provisioned", "on-demand"] = "provisioned"
    """Capacity mode (any letter case, ``-`` or ``_``): ``provisioned`` shards sized by the shard rule, or
    ``on-demand``."""
    record_kb: float | None = Field(None, gt=0)
    """Average record size in KB; ``None``: the requirements' ``avg_request_kb``."""
    retention_hours: int = Field(24, ge=1)
    """Hours the stream keeps records."""

    @field_validator("mode", mode="before")
    @classmethod
    def _any_spelling(cls, value: object) -> object:
        return value.lower().replace("_", "-") if isinstance(value, str) else value


def _warn_shard_quota(ctx: BuildContext, shards: int) -> None:
    from cloudwright import quotas

    warning = quotas.check("kinesis.shards_per_account", shards)
    if warning:
        ctx.warn(f"Kinesis: {warning}")
    elif ctx.region not in HIGH_SHARD_QUOTA_REGIONS and shards > 500:
        ctx.warn(
            f"Kinesis needs {shards} shards; the default shard quota in {ctx.region} may be 1,000 per "
            "account: check Service Quotas before launch."
        )


def _add_stream(ctx: BuildContext, cid: str, mode: str, record_kb: float, retention: int) -> int:
    """The stream, sized by the shard rule at the peak rate; returns its shard count."""
    from cloudwright.design import sizing

    req = ctx.requirements
    avg = req.requests_per_second * ctx.load_factor
    peak = req.peak_rps * ctx.load_factor
    decision = sizing.kinesis_shards(peak, record_kb)
    shards = int(decision.value)
    key = kms_key(ctx)
    props: dict[str, Any] = {
        "RetentionPeriodHours": retention,
        "StreamModeDetails": {"StreamMode": mode},
        "StreamEncryption": {"EncryptionType": "KMS", "KeyId": {"Ref": key} if key else "alias/aws/kinesis"},
    }
    if mode == "PROVISIONED":
        props["ShardCount"] = shards
    monthly_records = monthly(ctx, req.requests_per_second)
    monthly_gb = round(monthly_records * record_kb / (1024 * 1024), 3)
    usage: dict[str, Any] = (
        {"monthly_put_records": monthly_records, "average_record_size_kb": record_kb}
        if mode == "PROVISIONED"
        else {"monthly_on_demand_data_in_gb": monthly_gb, "monthly_on_demand_data_out_gb": monthly_gb * 2}
    )
    if mode == "PROVISIONED":
        _warn_shard_quota(ctx, shards)
    ctx.add(
        "EventStream",
        "AWS::Kinesis::Stream",
        props,
        usage=usage,
        label="Kinesis data stream",
        role="ingestion",
        component_id=cid,
        rationale=f"Ordered, replayable ingestion ({retention} h) with several independent consumers "
        "(real-time Lambda and Firehose to the data lake); KMS encryption at rest.",
        sizing=[
            {
                "rule": "shards = max(peak MB/s ÷ 1 MB/s, peak records/s ÷ 1,000), at least 1",
                "value": f"peak {peak:,.1f} records/s × {record_kb:g} KB: {decision.rule}"
                + ("" if mode == "PROVISIONED" else " (on-demand scales itself)"),
                "source": SRC_KINESIS_SHARD,
            },
            {
                "rule": "average load",
                "value": f"{avg:,.1f} records/s, {monthly_gb:,.1f} GB/month",
                "source": "requirements (requests_per_second, avg_request_kb)",
            },
        ],
    )
    return shards


def _add_consumer_function(ctx: BuildContext, cid: str, table: str, dlq: str, fill: float) -> str:
    return add_function(
        ctx,
        "AnalyticsFunction",
        handler="analytics_consumer",
        label="Real-time analytics consumer",
        role="stream-processor",
        rationale="Aggregates each batch in memory and writes one atomic ADD per event type and "
        "5-minute bucket.",
        statements=[
            {
                "Effect": "Allow",
                "Action": list(STREAM_READ_ACTIONS),
                "Resource": {"Fn::GetAtt": ["EventStream", "Arn"]},
            },
            {"Effect": "Allow", "Action": "kinesis:ListStreams", "Resource": "*"},
            table_statement(table, ["dynamodb:UpdateItem"]),
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": [dlq, "Arn"]}},
            # reading a stream encrypted with the CMK: kms:Decrypt comes with every function role
        ],
        environment={"ANALYTICS_TABLE": {"Ref": table}, "TTL_DAYS": "7"},
        rps=ctx.requirements.requests_per_second / fill,
        duration_ms=300,
        memory_mb=512,
        timeout_s=60,
        invocation="poll",
        component_id=cid,
    )


def _add_event_source(ctx: BuildContext, cid: str, fn: str, dlq: str, per_shard: int) -> None:
    ctx.add(
        "AnalyticsEventSource",
        "AWS::Lambda::EventSourceMapping",
        {
            "EventSourceArn": {"Fn::GetAtt": ["EventStream", "Arn"]},
            "FunctionName": {"Ref": fn},
            "StartingPosition": "LATEST",
            "BatchSize": CONSUMER_BATCH,
            "MaximumBatchingWindowInSeconds": CONSUMER_WINDOW_S,
            "ParallelizationFactor": per_shard,
            "BisectBatchOnFunctionError": True,
            "MaximumRetryAttempts": 3,
            "MaximumRecordAgeInSeconds": 3600,
            "FunctionResponseTypes": ["ReportBatchItemFailures"],
            "DestinationConfig": {"OnFailure": {"Destination": {"Fn::GetAtt": [dlq, "Arn"]}}},
        },
        label="stream → analytics consumer",
        role="trigger",
        component_id=cid,
        rationale="Batches of 100 (5 s window); failing batches are bisected and retried 3 times, then their "
        "position goes to the DLQ so one bad record never stalls a shard.",
    )


def _add_consumer(ctx: BuildContext, cid: str, shards: int) -> None:
    """The analytics consumer: 5-minute aggregates table, function, event source mapping and DLQ."""
    avg = ctx.requirements.requests_per_second * ctx.load_factor
    peak = ctx.requirements.peak_rps * ctx.load_factor
    # the consumer writes one aggregate per event type and 5-minute bucket per batch, not one per record
    fill = batch_fill(avg / shards, CONSUMER_BATCH, CONSUMER_WINDOW_S)
    writes_per_record = min(1.0, AGGREGATE_KEYS_PER_BATCH / fill)
    # the table's read_percent is 50 (dashboards), so its operations are twice its writes
    # its stored data does not shrink as batches fill: sized like every table, data × its default share
    table = ensure_table(
        ctx,
        "analytics",
        share=writes_per_record * 2,
        data_share=DEFAULT_SHARE["analytics"],
        component_id=cid,
    )
    dlq = ensure_dlq(ctx, "StreamConsumerDlq", "Stream consumer DLQ", cid)
    per_shard = 1 if peak / shards < 500 else 2
    fn = _add_consumer_function(ctx, cid, table, dlq, fill)
    notes = ctx.design[fn].metadata.get("sizing")
    if isinstance(notes, list):
        notes.insert(
            0,
            {
                "rule": "concurrency = shards × parallelization factor",
                "value": f"{shards} × {per_shard} = {shards * per_shard} concurrent batches",
                "source": SRC_KINESIS_LAMBDA,
            },
        )
    _add_event_source(ctx, cid, fn, dlq, per_shard)
    ctx.connect("EventStream", fn, "event", "batches of 100")
    ctx.connect(fn, table, "data", "5-minute aggregates")
    ctx.connect("AnalyticsEventSource", dlq, "event", "on failure")


@component("kinesis", options=KinesisOptions, uses=["kms_key"], provides=["stream"], stage="data")
def kinesis(ctx: BuildContext, options: KinesisOptions) -> None:
    """Kinesis data stream sized by the shard rule + analytics consumer Lambda + on-failure DLQ."""
    cid = "kinesis"
    record_kb = float(ctx.requirements.avg_request_kb if options.record_kb is None else options.record_kb)
    mode = options.mode.upper().replace("-", "_")
    retention = options.retention_hours
    shards = _add_stream(ctx, cid, mode, record_kb, retention)
    _add_consumer(ctx, cid, shards)
    ctx.provided.stream = Stream(stream="EventStream", shards=int(shards), record_kb=float(record_kb))
    ctx.design.outputs.setdefault(
        "StreamName", {"Description": "Kinesis stream for events", "Value": {"Ref": "EventStream"}}
    )
