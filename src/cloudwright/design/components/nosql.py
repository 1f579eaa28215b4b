"""DynamoDB tables: the ``dynamodb`` builder and :func:`ensure_table` used by other serverless builders.

Capacity comes from the requirements: average RPS × the table's share of requests, split into reads and
writes by ``read_percent``; item sizes from ``avg_request_kb`` (writes) and ``avg_response_kb`` (reads).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from cloudwright.design.build import BuildContext, BuilderOptions, component
from cloudwright.design.components.lambdas import SECONDS_PER_MONTH, kms_arn, skip

SRC_DDB_UNITS = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/provisioned-capacity-mode.html "
    "(1 WCU = one write/s of up to 1 KB; 1 RCU = one strongly consistent read/s of up to 4 KB, or two "
    "eventually consistent)"
)
SRC_DDB_MODES = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/capacity-mode.html "
    "(on-demand for unknown or spiky traffic; provisioned for predictable traffic)"
)
SRC_DDB_PITR = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Point-in-time-recovery.html"
SRC_DDB_ITEM = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html "
    "(maximum item size 400 KB, attribute names and values included)"
)
#: DynamoDB's maximum item size, KB (SRC_DDB_ITEM).
MAX_ITEM_KB = 400.0
#: Size of an item that points at an S3 object instead of holding the payload (key, S3 key, metadata), KB
#: — an assumption stated in the sizing notes.
POINTER_ITEM_KB = 1.0


@dataclass(frozen=True)
class TableSpec:
    logical_id: str
    label: str
    keys: tuple[tuple[str, str, str], ...]  # (attribute, type S|N, HASH|RANGE)
    role: str
    ttl_attribute: str | None = None
    stream: bool = False
    #: Share of operations that read, when the table's traffic is not the API's request mix
    #: (None: the requirement's ``read_percent``).
    read_percent: float | None = None
    #: One item per device (device state): storage is devices × item size, not the data set.
    per_device: bool = False


#: The tables the serverless patterns use, with the keys their Lambda handlers expect.
TABLES: dict[str, TableSpec] = {
    "users": TableSpec("UsersTable", "Users table", (("userId", "S", "HASH"),), "user profiles"),
    "orders": TableSpec(
        "OrdersTable", "Orders table", (("orderId", "S", "HASH"),), "orders and their status"
    ),
    "inventory": TableSpec(
        "InventoryTable",
        "Inventory table",
        (("productId", "S", "HASH"),),
        "stock per product (conditional decrements)",
    ),
    "analytics": TableSpec(
        "AnalyticsTable",
        "Real-time metrics table",
        (("metricType", "S", "HASH"), ("timeBucket", "N", "RANGE")),
        "5-minute aggregates for dashboards",
        ttl_attribute="expiresAt",
        read_percent=50.0,  # assumption: dashboards poll the aggregates about as often as they change
    ),
    "items": TableSpec(
        "ItemsTable",
        "Items table",
        (("ownerId", "S", "HASH"), ("itemId", "S", "RANGE")),
        "app data owned per user",
        stream=True,
    ),
    "telemetry": TableSpec(
        "TelemetryTable",
        "Device state table",
        (("deviceId", "S", "HASH"),),
        "the latest reading of each device (device state; the history goes to the S3 data lake)",
        read_percent=5.0,  # assumption: every reading is a write; dashboards read a little
        per_device=True,
    ),
    "connections": TableSpec(
        "ConnectionsTable",
        "WebSocket connections table",
        (("pk", "S", "HASH"), ("sk", "S", "RANGE")),
        "open WebSocket connections per room (TTL-expired)",
        ttl_attribute="expiresAt",
    ),
    "alerts": TableSpec(
        "AlertsTable",
        "Device alerts table",
        (("deviceId", "S", "HASH"), ("ts", "N", "RANGE")),
        "alerts raised by the IoT rules",
        ttl_attribute="expiresAt",
        read_percent=5.0,  # assumption: every alert is a write; operators read a little
    ),
}

#: Tables a pattern gets when its ``dynamodb`` component lists none (the data its handlers use).
#: Share of the application's requests each table serves when the pattern does not say.
DEFAULT_SHARE = {
    "users": 1.0,
    "orders": 0.5,
    "inventory": 0.5,
    "items": 1.0,
    "analytics": 1.0,
    "telemetry": 1.0,
    "alerts": 0.01,
}


def capacity(ctx: BuildContext, share: float, read_percent: float | None = None) -> dict[str, Any]:
    """Reads/writes per second and the request units they consume (on-demand and provisioned)."""
    req = ctx.requirements
    rps = req.requests_per_second * share * ctx.load_factor
    reads = rps * (req.read_percent if read_percent is None else read_percent) / 100
    writes = rps - reads
    write_kb, read_kb = item_kb(req.avg_request_kb), item_kb(req.avg_response_kb)
    wcu_per_write = max(1, math.ceil(write_kb))
    rcu_per_read = max(1, math.ceil(read_kb / 4)) * 0.5  # eventually consistent
    peak = req.peak_to_average_ratio
    return {
        "reads": reads,
        "writes": writes,
        "wru_month": round(writes * wcu_per_write * SECONDS_PER_MONTH),
        "rru_month": round(reads * rcu_per_read * SECONDS_PER_MONTH),
        "peak_wcu": max(1, math.ceil(writes * peak * wcu_per_write)),
        "peak_rcu": max(1, math.ceil(reads * peak * rcu_per_read)),
        "wcu_per_write": wcu_per_write,
        "rcu_per_read": rcu_per_read,
    }


def item_kb(payload_kb: float) -> float:
    """The DynamoDB item for a payload: the payload itself, or a pointer when it exceeds the item limit."""
    return payload_kb if payload_kb <= MAX_ITEM_KB else POINTER_ITEM_KB


def choose_billing(ctx: BuildContext, cap: dict[str, Any], forced: str | None = None) -> str:
    """On-demand unless traffic is steady (peak ≤ 2 × average) and large enough to keep capacity busy."""
    if forced:
        return forced
    steady = ctx.requirements.peak_to_average_ratio <= 2.0
    busy = cap["writes"] + cap["reads"] >= 200
    return "PROVISIONED" if ctx.is_prod and steady and busy else "PAY_PER_REQUEST"


def _table_properties(
    ctx: BuildContext, spec: TableSpec, cap: dict[str, Any], mode: str, streamed: bool
) -> dict[str, Any]:
    """Keys, billing mode (with provisioned throughput at the sized peak), KMS encryption, PITR and
    deletion protection in prod, the stream and TTL when the table has them."""
    key = kms_arn(ctx)
    props: dict[str, Any] = {
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": t} for a, t, _ in spec.keys],
        "KeySchema": [{"AttributeName": a, "KeyType": k} for a, _, k in spec.keys],
        "BillingMode": mode,
        "SSESpecification": {
            "SSEEnabled": True,
            "SSEType": "KMS",
            **({"KMSMasterKeyId": key} if key else {}),
        },
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": ctx.is_prod},
        "DeletionProtectionEnabled": ctx.is_prod,
    }
    if mode == "PROVISIONED":
        props["ProvisionedThroughput"] = {
            "ReadCapacityUnits": cap["peak_rcu"],
            "WriteCapacityUnits": cap["peak_wcu"],
        }
    if streamed:
        props["StreamSpecification"] = {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    if spec.ttl_attribute:
        props["TimeToLiveSpecification"] = {"AttributeName": spec.ttl_attribute, "Enabled": True}
    return props


def _largest_payload_kb(ctx: BuildContext) -> float:
    req = ctx.requirements
    return max(req.avg_request_kb, req.avg_response_kb)


def _storage_gb(
    ctx: BuildContext, spec: TableSpec, share: float, data_share: float | None
) -> tuple[float, float]:
    """The table's stored GB and the GB of payloads too large for an item (kept in S3, 0 when none)."""
    req = ctx.requirements
    if spec.per_device:
        devices = round(req.expected_users * ctx.load_factor)
        storage = round(devices * item_kb(req.avg_request_kb) / (1024 * 1024), 3)
    else:
        stored_share = share if data_share is None else data_share
        storage = round(req.data_size_gb * stored_share + req.data_growth_gb_per_month * stored_share, 3)
        if not ctx.is_prod:
            storage = round(storage * ctx.load_factor, 3)
    objects_gb = 0.0
    if _largest_payload_kb(ctx) > MAX_ITEM_KB and not spec.per_device:
        # the objects live in S3; the table keeps one pointer item per object
        objects_gb = storage
        storage = round(storage * POINTER_ITEM_KB / _largest_payload_kb(ctx), 3)
    return storage, objects_gb


def _table_usage(ctx: BuildContext, cap: dict[str, Any], storage: float, streamed: bool) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "monthly_write_request_units": cap["wru_month"],
        "monthly_read_request_units": cap["rru_month"],
        "storage_gb": storage,
        "pitr_backup_storage_gb": storage if ctx.is_prod else 0,
    }
    if streamed:
        # each stream consumer (Lambda trigger, replication) reads every change once
        usage["monthly_streams_read_request_units"] = cap["wru_month"]
    return usage


def _table_sizing(
    ctx: BuildContext, spec: TableSpec, cap: dict[str, Any], share: float, mode: str, storage: float
) -> list[dict[str, Any]]:
    """Sizing notes: device state, large payloads, reads/writes, request units, capacity mode."""
    req = ctx.requirements
    sizing = []
    if spec.per_device:
        sizing.append(
            {
                "rule": "device state: one item per device, overwritten by each reading",
                "value": f"{round(req.expected_users * ctx.load_factor):,} devices × "
                f"{item_kb(req.avg_request_kb):g} KB = {storage:g} GB",
                "source": "requirements (expected_users = devices, avg_request_kb)",
            }
        )
    if _largest_payload_kb(ctx) > MAX_ITEM_KB:
        sizing.append(
            {
                "rule": "payloads over the 400 KB item limit go to S3; the item holds a pointer",
                "value": f"{_largest_payload_kb(ctx):g} KB payloads → "
                f"{POINTER_ITEM_KB:g} KB pointer items (assumption)",
                "source": SRC_DDB_ITEM,
            }
        )
    sizing += [
        {
            "rule": "reads/writes = RPS × share × read_percent",
            "value": f"{cap['reads']:,.2f} reads/s, {cap['writes']:,.2f} writes/s ({share:.0%} of requests)",
            "source": "requirements (requests_per_second, read_percent)"
            if spec.read_percent is None
            else f"requirements (requests_per_second); {spec.read_percent:g}% reads (assumption for "
            "this table)",
        },
        {
            "rule": "request units per operation",
            "value": f"{cap['wcu_per_write']} WRU per {req.avg_request_kb:g} KB write; "
            f"{cap['rcu_per_read']:g} RRU per {req.avg_response_kb:g} KB eventually consistent read",
            "source": SRC_DDB_UNITS,
        },
        {
            "rule": "capacity mode",
            "value": f"{mode}"
            + (
                f": peak {cap['peak_rcu']} RCU / {cap['peak_wcu']} WCU with auto scaling"
                if mode == "PROVISIONED"
                else ": traffic is spiky or small"
            ),
            "source": SRC_DDB_MODES,
        },
    ]
    return sizing


def _table_attributes(ctx: BuildContext) -> dict[str, Any]:
    """Retain in prod; checkov skips for the AWS managed key and for PITR outside prod."""
    checks = []
    if not kms_arn(ctx):
        checks.append(
            (
                "CKV_AWS_119",
                "Encrypted with the AWS managed key (aws/dynamodb); a customer managed "
                "key is used when the pattern includes the kms component.",
            )
        )
    if not ctx.is_prod:
        checks.append(
            (
                "CKV_AWS_28",
                f"Point-in-time recovery is on in prod only; {ctx.environment} data is re-creatable.",
            )
        )
    return {
        "DeletionPolicy": "Retain" if ctx.is_prod else "Delete",
        "UpdateReplacePolicy": "Retain" if ctx.is_prod else "Delete",
        **({"Metadata": skip(*checks)} if checks else {}),
    }


def _warn_on_demand_quotas(ctx: BuildContext, spec: TableSpec, cap: dict[str, Any], mode: str) -> None:
    from cloudwright import quotas

    for quota, peak in (
        ("dynamodb.table_on_demand_wru", cap["peak_wcu"]),
        ("dynamodb.table_on_demand_rru", cap["peak_rcu"]),
    ):
        warning = quotas.check(quota, peak) if mode == "PAY_PER_REQUEST" else None
        if warning:
            ctx.warn(f"{spec.label}: {warning}")


def ensure_table(
    ctx: BuildContext,
    name: str,
    *,
    share: float | None = None,
    stream: bool = False,
    billing: str | None = None,
    component_id: str = "dynamodb",
    data_share: float | None = None,
) -> str:
    """Add the named table (see :data:`TABLES`) unless it is already in the design; returns its logical id.

    ``share`` is the table's share of the request traffic; ``data_share`` its share of the stored data
    (default: ``share``). Callers whose traffic share falls as load rises (batching) pass a fixed
    ``data_share`` so that more load never sizes a smaller table.
    """
    spec = TABLES[name]
    tables = ctx.provided.tables
    if name in tables:
        return tables[name]
    share = DEFAULT_SHARE.get(name, 1.0) if share is None else share
    streamed = spec.stream or stream
    cap = capacity(ctx, share, spec.read_percent)
    mode = choose_billing(ctx, cap, billing)
    storage, objects_gb = _storage_gb(ctx, spec, share, data_share)
    sizing = _table_sizing(ctx, spec, cap, share, mode, storage)
    if _largest_payload_kb(ctx) > MAX_ITEM_KB and not spec.per_device:
        _large_objects_bucket(ctx, spec, objects_gb, cap, component_id)
    ctx.add(
        spec.logical_id,
        "AWS::DynamoDB::Table",
        _table_properties(ctx, spec, cap, mode, streamed),
        usage=_table_usage(ctx, cap, storage, streamed),
        label=spec.label,
        role="database",
        tier="data",
        rationale=f"DynamoDB for {spec.role}: single-digit-ms key lookups, no servers, Multi-AZ by design; "
        + (
            "PITR (35 days) and deletion protection in prod."
            if ctx.is_prod
            else "PITR and deletion protection are prod-only."
        ),
        sizing=sizing,
        attributes=_table_attributes(ctx),
        component_id=component_id,
    )
    if mode == "PROVISIONED":
        _autoscaling(ctx, spec.logical_id, cap, component_id)
    _warn_on_demand_quotas(ctx, spec, cap, mode)
    tables[name] = spec.logical_id
    return spec.logical_id


def _autoscaling(ctx: BuildContext, table: str, cap: dict[str, Any], cid: str) -> None:
    for dim, unit, peak in (("Read", "RCU", cap["peak_rcu"]), ("Write", "WCU", cap["peak_wcu"])):
        target = f"{table}{dim}ScalableTarget"
        ctx.add(
            target,
            "AWS::ApplicationAutoScaling::ScalableTarget",
            {
                "ServiceNamespace": "dynamodb",
                "ResourceId": {"Fn::Sub": "table/${" + table + "}"},
                "ScalableDimension": f"dynamodb:table:{dim}CapacityUnits",
                "MinCapacity": max(1, math.ceil(peak / ctx.requirements.peak_to_average_ratio)),
                "MaxCapacity": max(2, peak * 2),
            },
            label=f"{dim} capacity scaling",
            role="scaling",
            component_id=cid,
            rationale=f"Track 70% {unit} utilisation between average and twice the sized peak.",
        )
        ctx.add(
            f"{table}{dim}ScalingPolicy",
            "AWS::ApplicationAutoScaling::ScalingPolicy",
            {
                "PolicyName": f"{dim.lower()}-utilisation",
                "PolicyType": "TargetTrackingScaling",
                "ScalingTargetId": {"Ref": target},
                "TargetTrackingScalingPolicyConfiguration": {
                    "TargetValue": 70.0,
                    "PredefinedMetricSpecification": {
                        "PredefinedMetricType": f"DynamoDB{dim}CapacityUtilization"
                    },
                },
            },
            label=f"{dim} target tracking",
            role="scaling",
            component_id=cid,
        )


#: The tables a pattern may name (the keys of :data:`TABLES`).
TableName = Literal[
    "users", "orders", "inventory", "analytics", "items", "telemetry", "connections", "alerts"
]


def _users_table() -> list[TableName]:
    return ["users"]


class DynamoDbOptions(BuilderOptions):
    """Options of ``dynamodb``."""

    tables: list[TableName] = Field(default_factory=_users_table)
    """The tables to add (an empty list: ``users``)."""
    shares: dict[TableName, float] = Field(default_factory=dict)
    """Share of the application's requests a table serves, by table; a table not named here gets its
    default share (:data:`DEFAULT_SHARE`)."""
    streams: list[TableName] = Field(default_factory=list)
    """Tables that get a stream (new and old images)."""
    billing: Literal["PAY_PER_REQUEST", "PROVISIONED"] | None = None
    """Capacity mode for every table; ``None``: on-demand unless traffic is steady and busy in prod
    (:func:`choose_billing`)."""


@component(
    "dynamodb",
    options=DynamoDbOptions,
    uses=["kms_key"],
    provides=["tables"],
    # the first builder to add a table owns it: the APIs and the stream add theirs before the table set
    after=["rest-api", "http-api", "kinesis"],
    stage="data",
)
def dynamodb(ctx: BuildContext, options: DynamoDbOptions) -> None:
    """Tables for the pattern, sized from the requirements."""
    for name in options.tables or ["users"]:
        ensure_table(
            ctx,
            name,
            share=options.shares.get(name),
            stream=name in options.streams,
            billing=options.billing,
        )


def _large_objects_bucket(
    ctx: BuildContext, spec: TableSpec, objects_gb: float, cap: dict[str, Any], component_id: str
) -> None:
    """The S3 bucket that holds payloads too large for a DynamoDB item (the table keeps pointers)."""
    from cloudwright.design.components.storage import add_bucket

    bucket = ctx.provided.large_objects_bucket
    if bucket is None:
        bucket = add_bucket(
            ctx,
            "LargeObjectsBucket",
            label="Large objects",
            role="storage",
            rationale="Payloads over DynamoDB's 400 KB item limit are stored here; table items hold the "
            "S3 key.",
            usage={
                "storage_gb": round(objects_gb, 3),
                "monthly_tier_1_requests": round(cap["writes"] * SECONDS_PER_MONTH),
                "monthly_tier_2_requests": round(cap["reads"] * SECONDS_PER_MONTH),
            },
            component_id=component_id,
        )
        ctx.provided.large_objects_bucket = bucket
    ctx.connect(spec.logical_id, str(bucket), "reference", "pointer to the object")
