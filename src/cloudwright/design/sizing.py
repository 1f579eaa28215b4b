"""Capacity rules: requirements → instance classes, counts, shards, capacity units and usage.

Every rule returns a :class:`Decision` (the number plus a ``{rule, value, source}`` note that builders
store in ``Resource.metadata["sizing"]``). A *source* is either an AWS document stating the limit the
rule rests on, or — for per-task/per-instance throughput, which depends on the application — a named
cloudwright assumption that users are told to replace with load-test results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from cloudwright import quotas
from cloudwright.requirements import Requirements
from cloudwright.units import MONTH_HOURS, JsonObject

HOURS_PER_MONTH = MONTH_HOURS
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
GB = 1024 * 1024  # KB per GB

SRC_LAMBDA_CONCURRENCY = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html"
SRC_KINESIS = "https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html"
SRC_DYNAMO_UNITS = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html"
)
SRC_ALB_LCU = "https://aws.amazon.com/elasticloadbalancing/pricing/ (LCU dimensions)"
SRC_RDS_CLASSES = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html"
SRC_CACHE_NODES = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html"
SRC_SEED_003 = "seed 003 (Well-Architected foundation): ECS 2-20 tasks in prod, 1-5 elsewhere, CPU target 70%"
SRC_SEED_002 = "seed 002 (HA web application): ASG min 2 / desired 4 / max 10, CPU target 70%"
ASSUMPTION = "cloudwright assumption — replace with your load-test figure"

#: Requests one 0.5 vCPU / 1 GB Fargate task serves at the 70% CPU target (assumption).
FARGATE_RPS_PER_TASK = 50
#: Requests one t3.medium instance serves at the 70% CPU target (assumption).
EC2_RPS_PER_INSTANCE = 100
#: Requests a Kubernetes node (m5.large) serves across its pods (assumption).
EKS_RPS_PER_NODE = 150
#: Share of stored data that is "hot" and should fit in database memory (assumption).
HOT_DATA_SHARE = 0.05
#: Share of stored data worth caching in Redis, besides sessions (assumption).
CACHE_DATA_SHARE = 0.02
#: Session/cache bytes per active user, KB (assumption).
SESSION_KB_PER_USER = 4


@dataclass(frozen=True)
class Decision:
    value: Any
    rule: str
    source: str
    #: What the load needs when ``value`` was capped by a quota or limit (``None`` when not capped).
    needed: float | None = None

    def note(self) -> dict[str, Any]:
        return {"rule": self.rule, "value": self.value, "source": self.source}


# --------------------------------------------------------------------------------------------------
# load figures (scaled by the environment's load factor)
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Load:
    avg_rps: float
    peak_rps: float
    requests_per_month: float
    read_percent: float
    request_kb: float
    response_kb: float
    users: float
    data_gb: float

    @property
    def peak_read_rps(self) -> float:
        return self.peak_rps * self.read_percent / 100

    @property
    def peak_write_rps(self) -> float:
        return self.peak_rps * (100 - self.read_percent) / 100


def load_for(req: Requirements, load_factor: float = 1.0) -> Load:
    return Load(
        avg_rps=req.requests_per_second * load_factor,
        peak_rps=req.peak_rps * load_factor,
        requests_per_month=req.requests_per_second * load_factor * SECONDS_PER_MONTH,
        read_percent=req.read_percent,
        request_kb=req.avg_request_kb,
        response_kb=req.avg_response_kb,
        users=req.expected_users * load_factor,
        data_gb=req.data_size_gb if load_factor >= 1 else max(1.0, req.data_size_gb * load_factor),
    )


def data_transfer_out_gb(load: Load) -> float:
    """Internet egress per month = requests × average response size."""
    return round(load.requests_per_month * load.response_kb / GB, 3)


def design_assumptions(req: Requirements, environment: str, load_factor: float, az_count: int) -> JsonObject:
    """Design-wide figures every builder and the pricing engine share (``Design.assumptions``)."""
    load = load_for(req, load_factor)
    return {
        "environment": environment,
        "load_factor": load_factor,
        "az_count": az_count,
        "hours_per_month": HOURS_PER_MONTH,
        "average_rps": round(load.avg_rps, 3),
        "peak_rps": round(load.peak_rps, 3),
        "requests_per_month": round(load.requests_per_month),
        "monthly_active_users": round(load.users),
        "data_size_gb": round(load.data_gb, 3),
        "data_growth_gb_per_month": req.data_growth_gb_per_month,
        "read_percent": req.read_percent,
        "avg_request_kb": req.avg_request_kb,
        "avg_response_kb": req.avg_response_kb,
        "data_transfer_out_gb": data_transfer_out_gb(load),
        "log_ingest_gb_per_month": log_ingest_gb(load).value,
    }


# --------------------------------------------------------------------------------------------------
# serverless
# --------------------------------------------------------------------------------------------------
def lambda_concurrency(peak_rps: float, duration_ms: float) -> Decision:
    """Concurrency = requests per second × average duration in seconds."""
    n = max(1, math.ceil(peak_rps * duration_ms / 1000))
    return Decision(
        n, f"Lambda concurrency = peak {peak_rps:g} rps × {duration_ms:g} ms = {n}", SRC_LAMBDA_CONCURRENCY
    )


def kinesis_shards(records_per_s: float, record_kb: float) -> Decision:
    """A shard takes 1 MB/s or 1,000 records/s of writes, whichever is reached first."""
    by_records = math.ceil(records_per_s / 1000)
    by_bytes = math.ceil(records_per_s * record_kb / 1024)
    n = max(1, by_records, by_bytes)
    return Decision(
        n,
        f"shards = max(⌈{records_per_s:g} records/s ÷ 1,000⌉, ⌈{records_per_s * record_kb / 1024:.2f} MB/s ÷ 1 MB/s⌉) = {n}",  # noqa: E501
        SRC_KINESIS,
    )


def dynamodb_request_units(load: Load, item_kb: float) -> dict[str, Decision]:
    """Monthly request units: a strongly consistent read of ≤ 4 KB is 1 RRU, a write of ≤ 1 KB is 1 WRU."""
    reads = load.requests_per_month * load.read_percent / 100
    writes = load.requests_per_month - reads
    rru = math.ceil(reads * max(1, math.ceil(item_kb / 4)))
    wru = math.ceil(writes * max(1, math.ceil(item_kb)))
    return {
        "monthly_read_request_units": Decision(
            rru, f"{reads:,.0f} reads × ⌈{item_kb:g} KB ÷ 4 KB⌉ RRU", SRC_DYNAMO_UNITS
        ),
        "monthly_write_request_units": Decision(
            wru, f"{writes:,.0f} writes × ⌈{item_kb:g} KB ÷ 1 KB⌉ WRU", SRC_DYNAMO_UNITS
        ),
        "peak_read_units_per_s": Decision(
            math.ceil(load.peak_read_rps * max(1, math.ceil(item_kb / 4))),
            "peak reads/s × RRU per read",
            SRC_DYNAMO_UNITS,
        ),
        "peak_write_units_per_s": Decision(
            math.ceil(load.peak_write_rps * max(1, math.ceil(item_kb))),
            "peak writes/s × WRU per write",
            SRC_DYNAMO_UNITS,
        ),
    }


# --------------------------------------------------------------------------------------------------
# containers and instances
# --------------------------------------------------------------------------------------------------
def fargate_tasks(load: Load, *, is_prod: bool, az_count: int) -> dict[str, Decision]:
    need = math.ceil(load.peak_rps / FARGATE_RPS_PER_TASK) if load.peak_rps > 0 else 1
    base = math.ceil(load.avg_rps / FARGATE_RPS_PER_TASK) if load.avg_rps > 0 else 1
    min_tasks = max(2, az_count) if is_prod else 1
    desired = max(min_tasks, base)
    max_tasks = max(desired, need, 20 if is_prod else 5)
    rule = f"{FARGATE_RPS_PER_TASK} rps per 0.5 vCPU task ({ASSUMPTION})"
    return {
        "desired": Decision(
            desired, f"desired = max(min {min_tasks}, ⌈avg {load.avg_rps:g} rps ÷ {rule}⌉)", SRC_SEED_003
        ),
        "min": Decision(min_tasks, "at least one task per AZ in prod, 1 elsewhere", SRC_SEED_003),
        "max": Decision(
            max_tasks,
            f"max = max(desired, ⌈peak {load.peak_rps:g} rps ÷ {FARGATE_RPS_PER_TASK}⌉, 20 prod / 5 other)",
            SRC_SEED_003,
        ),
    }


def ec2_instances(load: Load, *, is_prod: bool, az_count: int) -> dict[str, Decision]:
    need = math.ceil(load.peak_rps / EC2_RPS_PER_INSTANCE) if load.peak_rps > 0 else 1
    base = math.ceil(load.avg_rps / EC2_RPS_PER_INSTANCE) if load.avg_rps > 0 else 1
    min_n = max(2, az_count) if is_prod else 1
    desired = max(min_n, base)
    max_n = max(desired, need, 10 if is_prod else 2)
    return {
        "desired": Decision(
            desired,
            f"desired = max(min {min_n}, ⌈avg {load.avg_rps:g} rps ÷ {EC2_RPS_PER_INSTANCE} rps per t3.medium⌉) ({ASSUMPTION})",  # noqa: E501
            SRC_SEED_002,
        ),
        "min": Decision(min_n, "at least 2 instances (one per AZ) in prod", SRC_SEED_002),
        "max": Decision(
            max_n, f"max = max(desired, ⌈peak ÷ {EC2_RPS_PER_INSTANCE}⌉, 10 prod / 2 other)", SRC_SEED_002
        ),
    }


def eks_nodes(load: Load, *, is_prod: bool, az_count: int) -> dict[str, Decision]:
    need = math.ceil(load.peak_rps / EKS_RPS_PER_NODE) if load.peak_rps > 0 else 1
    min_n = max(3, az_count) if is_prod else 1
    desired = max(min_n, math.ceil(load.avg_rps / EKS_RPS_PER_NODE) + 1 if is_prod else 1)
    max_n = max(desired, need, 10 if is_prod else 3)
    return {
        "desired": Decision(
            desired,
            f"desired = max(min {min_n}, ⌈avg rps ÷ {EKS_RPS_PER_NODE} per m5.large⌉ + 1 spare) ({ASSUMPTION})",  # noqa: E501
            "seed 001 node group general-purpose: min 3, desired 5, max 10",
        ),
        "min": Decision(
            min_n, "3 nodes in prod (seed 001), 1 elsewhere", "seed 001 node group configuration"
        ),
        "max": Decision(
            max_n, "max = max(desired, ⌈peak ÷ per-node rps⌉, 10)", "seed 001 node group configuration"
        ),
    }


# --------------------------------------------------------------------------------------------------
# databases and caches
# --------------------------------------------------------------------------------------------------
#: (class, memory GiB, queries/s it serves at ~70% CPU — assumption); memory from the class tables.
AURORA_LADDER = [
    ("db.t4g.medium", 4, 500),
    ("db.r6g.large", 16, 2000),
    ("db.r6g.xlarge", 32, 4000),
    ("db.r6g.2xlarge", 64, 8000),
    ("db.r6g.4xlarge", 128, 16000),
    ("db.r6g.8xlarge", 256, 32000),
]
RDS_LADDER = [
    ("db.t3.micro", 1, 100),
    ("db.t3.small", 2, 200),
    ("db.t3.medium", 4, 400),
    ("db.r6g.large", 16, 2000),
    ("db.r6g.xlarge", 32, 4000),
    ("db.r6g.2xlarge", 64, 8000),
    ("db.r6g.4xlarge", 128, 16000),
]
#: (node type, memory GiB) from the ElastiCache supported node types table.
CACHE_LADDER = [
    ("cache.t4g.micro", 0.5),
    ("cache.t4g.small", 1.37),
    ("cache.t4g.medium", 3.09),
    ("cache.r6g.large", 13.07),
    ("cache.r6g.xlarge", 26.32),
    ("cache.r6g.2xlarge", 52.82),
    ("cache.r6g.4xlarge", 105.81),
]


def _pick(ladder: list[tuple[str, float, float]], hot_gb: float, qps: float) -> tuple[str, float, float]:
    for row in ladder:
        if row[1] >= hot_gb and row[2] >= qps:
            return row
    return ladder[-1]


#: Reads one replica is planned to carry (the db.r6g.large row of the ladders). Replica counts come from this
#: fixed figure, not from the chosen class, so that more load never means fewer replicas.
REPLICA_TARGET_QPS = 2000


def db_class(load: Load, *, engine: str, environment: str, replicas: int = 0) -> Decision:
    """Smallest class whose memory holds the hot data set and whose throughput covers the busiest instance:
    the writer, or each of ``replicas`` readers sharing 70% of the peak reads (readers use the same class)."""
    hot = load.data_gb * HOT_DATA_SHARE
    writer_qps = load.peak_write_rps + (
        load.peak_read_rps if environment != "prod" else load.peak_read_rps * 0.3
    )
    if replicas:
        writer_qps = max(writer_qps, load.peak_read_rps * 0.7 / replicas)
    if engine == "aurora":
        ladder, floor = AURORA_LADDER, "db.t4g.medium"
    else:
        ladder = RDS_LADDER
        floor = {"dev": "db.t3.micro", "staging": "db.t3.small"}.get(environment, "db.t3.medium")
    start = next(i for i, row in enumerate(ladder) if row[0] == floor)
    cls, mem, cap = _pick([row for row in ladder[start:]], hot, writer_qps)
    return Decision(
        cls,
        f"{cls}: {mem:g} GiB holds the hot set ({HOT_DATA_SHARE:.0%} of {load.data_gb:g} GB = {hot:.1f} GB) and "  # noqa: E501
        f"serves ~{cap:,.0f} qps ≥ writer load {writer_qps:,.0f} qps ({ASSUMPTION} for qps; floor {floor} per seed 003)",  # noqa: E501
        SRC_RDS_CLASSES,
    )


def read_replicas(load: Load, *, engine: str, is_prod: bool, minimum: int = 0) -> Decision:
    """Readers carry ~70% of peak reads at :data:`REPLICA_TARGET_QPS` each; prod keeps ``minimum`` for HA
    (Aurora: one reader in another AZ). Size the class afterwards with ``db_class(..., replicas=n)``."""
    if not is_prod:
        return Decision(
            0,
            "no replicas outside prod (seed 003: dev single-AZ, staging mirrors at smaller size)",
            SRC_SEED_003,
        )
    cap = REPLICA_TARGET_QPS
    by_load = math.ceil(load.peak_read_rps * 0.7 / cap) if load.read_percent >= 50 else 0
    n = max(minimum, by_load)
    key = "aurora.replicas_per_cluster" if engine == "aurora" else "rds.read_replicas_per_source"
    limit = quotas.get(key).value
    return Decision(
        int(min(n, limit)),
        f"replicas = max({minimum} for HA, ⌈70% of peak reads {load.peak_read_rps:,.0f}/s ÷ {cap:,.0f} qps⌉) = {n}",  # noqa: E501
        "seed 002 (RDS Multi-AZ + read replicas); " + quotas.get(key).source,
        needed=n if n > limit else None,
    )


def cache_node(load: Load) -> Decision:
    hot = load.data_gb * CACHE_DATA_SHARE + load.users * SESSION_KB_PER_USER / GB
    for node, mem in CACHE_LADDER:
        if mem * 0.75 >= hot:  # keep 25% for overhead and replication buffers
            return Decision(
                node,
                f"{node} ({mem:g} GiB × 75% usable) ≥ hot set {hot:.2f} GB ({ASSUMPTION})",
                SRC_CACHE_NODES,
            )
    node, mem = CACHE_LADDER[-1]
    return Decision(node, f"largest ladder node {node}; hot set {hot:.1f} GB needs sharding", SRC_CACHE_NODES)


def cache_replicas(*, is_prod: bool, az_count: int) -> Decision:
    n = max(1, az_count - 1) if is_prod else 0
    return Decision(
        n,
        f"{n} replica(s): one per extra AZ in prod for automatic failover",
        "seed 002 (Redis 1 primary + replicas, Multi-AZ)",
    )


# --------------------------------------------------------------------------------------------------
# load balancer, NAT, logs
# --------------------------------------------------------------------------------------------------
def alb_usage(load: Load) -> dict[str, Decision]:
    """ALB usage in LCU dimensions: new connections/s, active connections/min, GB/h, rule evaluations/s."""
    new_conn = load.avg_rps / 5  # keep-alive: ~5 requests per connection (assumption)
    active = new_conn * 60  # ~60 s average connection life (assumption)
    gb_per_h = load.avg_rps * (load.request_kb + load.response_kb) * 3600 / GB
    lcu = max(new_conn / 25, active / 3000, gb_per_h / 1, load.avg_rps / 1000)
    return {
        "new_connections": Decision(
            round(new_conn, 3),
            f"avg {load.avg_rps:g} rps ÷ 5 requests per connection ({ASSUMPTION})",
            SRC_ALB_LCU,
        ),
        "active_connections": Decision(
            round(active, 3), f"new connections × 60 s ({ASSUMPTION})", SRC_ALB_LCU
        ),
        "processed_bytes_gb": Decision(
            round(gb_per_h, 4), "avg rps × (request + response KB) × 3600 ÷ 1024²", SRC_ALB_LCU
        ),
        "rule_evaluations": Decision(round(load.avg_rps, 3), "one rule evaluation per request", SRC_ALB_LCU),
        "lcu": Decision(
            round(lcu, 3), "LCU = max(new/25, active/3000, GB-per-h/1, rule evals/1000)", SRC_ALB_LCU
        ),
    }


def nat_data_gb(load: Load, az_count: int) -> Decision:
    """NAT traffic: image pulls and updates (~1 GB/day/AZ) + outbound calls (~10% of response bytes)."""
    gb = round(30 * az_count + 0.1 * load.requests_per_month * load.response_kb / GB, 2)
    return Decision(
        gb,
        f"30 GB per AZ per month for images/updates + 10% of response bytes ({ASSUMPTION})",
        "https://aws.amazon.com/vpc/pricing/ (NAT gateway data processing)",
    )


def log_ingest_gb(load: Load) -> Decision:
    gb = round(load.requests_per_month * 1 / GB, 3)
    return Decision(
        gb,
        f"1 KB of logs per request ({ASSUMPTION})",
        "https://aws.amazon.com/cloudwatch/pricing/ (Logs ingestion)",
    )


def quota_warning(key: str, needed: float) -> str | None:
    """Warning text when a sized figure exceeds a default service quota (see ``cloudwright.quotas``)."""
    return quotas.check(key, needed)


# --------------------------------------------------------------------------------------------------
# batch ETL (Glue Spark jobs)
# --------------------------------------------------------------------------------------------------
SRC_GLUE_WORKERS = (
    "https://docs.aws.amazon.com/glue/latest/dg/worker-types.html "
    "(G.1X = 1 DPU: 4 vCPU, 16 GB, ~44 GB free disk)"
)
SRC_GLUE_JOB = "https://docs.aws.amazon.com/glue/latest/dg/add-job.html (Spark jobs: at least 2 workers)"
#: GB of raw input one G.1X worker (1 DPU) turns into Parquet per hour (assumption).
GLUE_GB_PER_DPU_HOUR = 10.0
#: Share of the run window the job is planned to use, leaving room for one retry (assumption).
GLUE_WINDOW_SHARE = 0.5
#: Free local disk per G.1X worker, GB (shuffle spill must fit; SRC_GLUE_WORKERS).
GLUE_FREE_DISK_GB = 44
#: Parquet with Snappy is planned at a quarter of raw JSON/CSV input (assumption).
PARQUET_RATIO = 0.25


def glue_workers(input_gb: float, window_hours: float) -> Decision:
    """G.1X workers so a run finishes in half its window, with room on local disk for the shuffle."""
    by_time = math.ceil(input_gb / (GLUE_GB_PER_DPU_HOUR * window_hours * GLUE_WINDOW_SHARE))
    by_disk = math.ceil(input_gb / GLUE_FREE_DISK_GB)
    n = max(2, by_time, by_disk)
    return Decision(
        n,
        f"workers = max(2, ⌈{input_gb:g} GB ÷ ({GLUE_GB_PER_DPU_HOUR:g} GB per DPU-hour × "
        f"{window_hours:g} h × {GLUE_WINDOW_SHARE:g})⌉ ({ASSUMPTION} for the rate), "
        f"⌈{input_gb:g} GB ÷ {GLUE_FREE_DISK_GB} GB free disk⌉) = {n} G.1X",
        f"{SRC_GLUE_WORKERS}; {SRC_GLUE_JOB}",
    )


def glue_run_hours(input_gb: float, workers: int) -> Decision:
    """Hours one run takes on ``workers`` G.1X workers; Glue 2.0+ bills per second, at least 1 minute."""
    hours = max(1 / 60, input_gb / (GLUE_GB_PER_DPU_HOUR * workers))
    return Decision(
        round(hours, 4),
        f"run time = {input_gb:g} GB ÷ ({GLUE_GB_PER_DPU_HOUR:g} GB per DPU-hour × {workers} DPU), at least "
        f"1 minute ({ASSUMPTION} for the rate)",
        "https://aws.amazon.com/glue/pricing/ (per-second billing, 1-minute minimum)",
    )


# --------------------------------------------------------------------------------------------------
# websockets
# --------------------------------------------------------------------------------------------------
SRC_APIGW_WS_QUOTAS = (
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/"
    "apigateway-execution-service-websocket-limits-table.html (500 new connections per second per "
    "account and Region; 2 h connection duration; 10 min idle timeout; 32 KB frames, 128 KB messages)"
)
SRC_APIGW_WS_PRICING = (
    "https://aws.amazon.com/api-gateway/pricing/ (WebSocket: messages in 32 KB units + connection minutes)"
)
#: Peak concurrent connections when the requirements do not say: 10% of monthly users (assumption).
WS_CONNECTED_SHARE = 0.1
#: Messages per connection per second when the requirements do not say (assumption).
WS_DEFAULT_MESSAGE_RATE = 0.1
#: Average connection life, minutes (assumption): connects per month = connection-minutes ÷ this.
WS_CONNECTION_MINUTES = 30


@dataclass(frozen=True)
class WebSocketLoad:
    peak_connections: Decision
    monthly_messages: Decision
    inbound_messages: Decision
    connection_minutes: Decision
    connects: Decision


def websocket_load(req: Requirements, load_factor: float = 1.0) -> WebSocketLoad:
    """Messages (both directions) and connection-minutes per month from peak connections × message rate.

    Month totals use the average: peak ÷ ``peak_to_average_ratio``. Half of the messages are inbound
    (client → server; one handler invocation each), half outbound (assumption)."""
    given = req.concurrent_connections is not None
    peak = (
        float(req.concurrent_connections or 0) if given else req.expected_users * WS_CONNECTED_SHARE
    ) * load_factor
    rate = (
        req.messages_per_connection_per_second
        if req.messages_per_connection_per_second is not None
        else WS_DEFAULT_MESSAGE_RATE
    )
    avg = peak / req.peak_to_average_ratio
    messages = round(avg * rate * SECONDS_PER_MONTH)
    minutes = round(avg * HOURS_PER_MONTH * 60)
    basis = (
        "requirements (concurrent_connections)"
        if given
        else (f"{WS_CONNECTED_SHARE:.0%} of expected_users connected at peak ({ASSUMPTION})")
    )
    return WebSocketLoad(
        peak_connections=Decision(round(peak), f"peak connections = {peak:,.0f}", basis),
        monthly_messages=Decision(
            messages,
            f"messages = avg connections {avg:,.0f} (peak ÷ {req.peak_to_average_ratio:g}) × {rate:g}/s × "
            f"{SECONDS_PER_MONTH:,} s = {messages:,}/month",
            SRC_APIGW_WS_PRICING,
        ),
        inbound_messages=Decision(
            round(messages / 2), f"inbound = half of all messages ({ASSUMPTION})", SRC_APIGW_WS_PRICING
        ),
        connection_minutes=Decision(
            minutes,
            f"connection-minutes = avg connections {avg:,.0f} × {HOURS_PER_MONTH} h × 60 = {minutes:,}",
            SRC_APIGW_WS_PRICING,
        ),
        connects=Decision(
            math.ceil(minutes / WS_CONNECTION_MINUTES),
            f"connects = connection-minutes ÷ {WS_CONNECTION_MINUTES} min average life ({ASSUMPTION})",
            SRC_APIGW_WS_QUOTAS,
        ),
    )


# --------------------------------------------------------------------------------------------------
# GPU inference
# --------------------------------------------------------------------------------------------------
SRC_GPU_G6 = "https://aws.amazon.com/ec2/instance-types/g6/ (NVIDIA L4, 24 GB GPU memory per GPU)"
SRC_GPU_G6E = "https://aws.amazon.com/ec2/instance-types/g6e/ (NVIDIA L40S, 48 GB GPU memory per GPU)"
#: (instance type, GPUs, GPU memory GB in total, vCPUs, memory GiB, source), smallest first.
GPU_LADDER: list[tuple[str, int, int, int, int, str]] = [
    ("g6.xlarge", 1, 24, 4, 16, SRC_GPU_G6),
    ("g6e.xlarge", 1, 48, 4, 32, SRC_GPU_G6E),
    ("g6.12xlarge", 4, 96, 48, 192, SRC_GPU_G6),
    ("g6e.12xlarge", 4, 192, 48, 384, SRC_GPU_G6E),
]
#: GPU memory needed per GB of model weights: weights + KV cache / activations + CUDA context (assumption).
GPU_MEMORY_HEADROOM = 1.3
#: Inference requests one GPU instance serves at the scaling target (assumption; measure your model).
GPU_RPS_PER_INSTANCE = 5.0


def gpu_instance_type(model_gb: float) -> Decision:
    """The smallest instance of :data:`GPU_LADDER` whose GPU memory holds the model with headroom."""
    need = model_gb * GPU_MEMORY_HEADROOM
    for itype, gpus, mem, _vcpu, _ram, source in GPU_LADDER:
        if mem >= need:
            return Decision(
                itype,
                f"{itype}: {gpus} GPU(s), {mem} GB GPU memory ≥ {model_gb:g} GB weights × "
                f"{GPU_MEMORY_HEADROOM:g} = {need:.1f} GB ({ASSUMPTION} for the headroom)",
                source,
            )
    itype, gpus, mem, _vcpu, _ram, source = GPU_LADDER[-1]
    return Decision(
        itype,
        f"largest ladder instance {itype} ({mem} GB GPU memory); {need:.0f} GB needs model parallelism "
        "across instances or a p5-class instance",
        source,
        needed=need,
    )


def gpu_instances(
    load: Load, *, is_prod: bool, az_count: int, rps_per_instance: float = GPU_RPS_PER_INSTANCE
) -> dict[str, Decision]:
    """Instances: desired covers the average load, max the peak; prod keeps one per AZ."""
    base = math.ceil(load.avg_rps / rps_per_instance) if load.avg_rps > 0 else 1
    need = math.ceil(load.peak_rps / rps_per_instance) if load.peak_rps > 0 else 1
    min_n = max(2, az_count) if is_prod else 1
    desired = max(min_n, base)
    max_n = max(desired, need, min_n * 2)
    rule = f"{rps_per_instance:g} rps per instance ({ASSUMPTION})"
    src = "https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html"
    return {
        "desired": Decision(desired, f"desired = max(min {min_n}, ⌈avg {load.avg_rps:g} rps ÷ {rule}⌉)", src),
        "min": Decision(min_n, "one instance per AZ in prod (≥ 2), 1 elsewhere", src),
        "max": Decision(
            max_n, f"max = max(desired, ⌈peak {load.peak_rps:g} rps ÷ {rps_per_instance:g}⌉, 2 × min)", src
        ),
    }


#: Open WebSocket connections one 0.5 vCPU / 1 GB task holds (assumption; measure your server).
WS_CONNECTIONS_PER_TASK = 5000
#: Messages per second (both directions) one 0.5 vCPU / 1 GB task relays (assumption).
WS_MESSAGES_PER_TASK = 5000


def websocket_tasks(
    ws: WebSocketLoad, *, peak_ratio: float, is_prod: bool, az_count: int
) -> dict[str, Decision]:
    """Tasks holding the sockets: enough for the peak connections and the peak message rate."""
    peak_conns = float(ws.peak_connections.value)
    avg_msgs = float(ws.monthly_messages.value) / SECONDS_PER_MONTH
    peak_msgs = avg_msgs * peak_ratio
    by_conns = math.ceil(peak_conns / WS_CONNECTIONS_PER_TASK)
    by_msgs = math.ceil(peak_msgs / WS_MESSAGES_PER_TASK)
    min_tasks = max(2, az_count) if is_prod else 1
    need = max(min_tasks, by_conns, by_msgs)
    avg_need = max(
        min_tasks,
        math.ceil(peak_conns / peak_ratio / WS_CONNECTIONS_PER_TASK),
        math.ceil(avg_msgs / WS_MESSAGES_PER_TASK),
    )
    rule = (
        f"{WS_CONNECTIONS_PER_TASK:,} connections or {WS_MESSAGES_PER_TASK:,} messages/s per 0.5 vCPU task "
        f"({ASSUMPTION})"
    )
    desired = avg_need if is_prod else min_tasks
    return {
        "desired": Decision(
            desired,
            f"desired = max(min {min_tasks}, ⌈average connections ÷ {WS_CONNECTIONS_PER_TASK:,}⌉, "
            f"⌈average {avg_msgs:,.0f} messages/s ÷ {WS_MESSAGES_PER_TASK:,}⌉) in prod; the minimum "
            f"elsewhere (CPU target tracking adds tasks under test load); {rule}",
            SRC_SEED_003,
        ),
        "min": Decision(min_tasks, "at least one task per AZ in prod, 1 elsewhere", SRC_SEED_003),
        "max": Decision(
            max(need, avg_need * 2),
            f"max = max(⌈peak {peak_conns:,.0f} connections ÷ {WS_CONNECTIONS_PER_TASK:,}⌉, "
            f"⌈peak {peak_msgs:,.0f} messages/s ÷ {WS_MESSAGES_PER_TASK:,}⌉, 2 × desired)",
            SRC_SEED_003,
        ),
    }


def nlb_usage(ws: WebSocketLoad, message_kb: float) -> dict[str, Decision]:
    """NLB (TCP) usage in NLCU dimensions: new flows/s, active flows, GB per hour."""
    minutes = float(ws.connection_minutes.value)
    avg_conns = minutes / (HOURS_PER_MONTH * 60)
    new = float(ws.connects.value) / SECONDS_PER_MONTH
    gb_h = float(ws.monthly_messages.value) * message_kb / GB / HOURS_PER_MONTH
    return {
        "new_connections": Decision(round(new, 3), "connects per month ÷ seconds per month", SRC_ALB_LCU),
        "active_connections": Decision(round(avg_conns, 1), "average open connections", SRC_ALB_LCU),
        "processed_bytes_gb": Decision(
            round(gb_h, 4), f"messages × {message_kb:g} KB ÷ 1024² ÷ {HOURS_PER_MONTH} h", SRC_ALB_LCU
        ),
    }


# --------------------------------------------------------------------------------------------------
# media
# --------------------------------------------------------------------------------------------------
SRC_IVS_COSTS = (
    "https://docs.aws.amazon.com/ivs/latest/userguide/costs.html (viewers come and go: on average 50% of a "
    "stream is delivered)"
)
#: Hours broadcast per month when the pattern does not say (assumption: e.g. 20 events of 3 hours).
LIVE_STREAM_HOURS = 60.0
#: Share of monthly users who watch a live stream (assumption).
LIVE_VIEWER_SHARE = 0.1
#: Share of a stream the average viewer watches (SRC_IVS_COSTS rule of thumb).
LIVE_WATCH_SHARE = 0.5


def live_stream_hours(
    req: Requirements,
    load_factor: float = 1.0,
    *,
    stream_hours: float = LIVE_STREAM_HOURS,
    viewer_share: float = LIVE_VIEWER_SHARE,
) -> dict[str, Decision]:
    """IVS input hours (hours broadcast) and output hours (viewer-hours delivered)."""
    viewers = req.expected_users * viewer_share * load_factor
    output = round(stream_hours * viewers * LIVE_WATCH_SHARE, 1)
    return {
        "input": Decision(
            stream_hours, f"{stream_hours:g} hours broadcast per month ({ASSUMPTION})", SRC_IVS_COSTS
        ),
        "output": Decision(
            output,
            f"viewer-hours = {stream_hours:g} h × {viewers:,.0f} viewers ({viewer_share:.0%} of users, "
            f"{ASSUMPTION}) × {LIVE_WATCH_SHARE:.0%} watched = {output:,.0f}",
            SRC_IVS_COSTS,
        ),
    }


#: Videos published per month, their length and the renditions of the HLS ladder (assumptions).
VOD_VIDEOS_PER_MONTH = 20
VOD_MINUTES_PER_VIDEO = 10.0
VOD_RENDITIONS = 3
#: Minutes of video each user watches per month, and the average delivered bitrate (assumptions).
VOD_WATCH_MINUTES_PER_USER = 30.0
VOD_AVERAGE_MBPS = 3.0
SRC_MEDIACONVERT_PRICING = (
    "https://aws.amazon.com/mediaconvert/pricing/ (billed per minute of output, per rendition)"
)


def vod_minutes(req: Requirements, load_factor: float = 1.0) -> dict[str, Decision]:
    """Transcoded output minutes (videos × length × renditions) and viewer egress (minutes watched ×
    bitrate)."""
    output = round(VOD_VIDEOS_PER_MONTH * VOD_MINUTES_PER_VIDEO * VOD_RENDITIONS * load_factor, 1)
    watched = req.expected_users * VOD_WATCH_MINUTES_PER_USER * load_factor
    gb = round(watched * 60 * VOD_AVERAGE_MBPS / 8 / 1024, 3)
    return {
        "output_minutes": Decision(
            output,
            f"{VOD_VIDEOS_PER_MONTH} videos × {VOD_MINUTES_PER_VIDEO:g} min × {VOD_RENDITIONS} renditions "
            f"= {output:,.0f} output minutes ({ASSUMPTION})",
            SRC_MEDIACONVERT_PRICING,
        ),
        "egress_gb": Decision(
            gb,
            f"{watched:,.0f} minutes watched × {VOD_AVERAGE_MBPS:g} Mbit/s = {gb:,.1f} GB ({ASSUMPTION})",
            "requirements (expected_users)",
        ),
    }


#: Video calls (Kinesis Video Streams WebRTC): assumptions a user replaces with their own figures.
#: Calls each user joins per month, and the average call length (e.g. one 20-minute consultation).
CALLS_PER_USER_PER_MONTH = 1.0
CALL_MINUTES = 20.0
#: People in a call: one master (e.g. the clinician) and one viewer (the patient). A signaling channel has
#: one master and up to 10 viewers (SRC_KVS_WEBRTC_QUOTAS).
CALL_PARTICIPANTS = 2
#: Signaling messages per participant per call: SDP offer/answer plus trickled ICE candidates, and a
#: reconnect per hour of call (connections last at most 1 hour) (assumption).
SIGNALING_MESSAGES_PER_PARTICIPANT = 30
#: Share of participant-minutes relayed through TURN when a direct peer-to-peer path fails (assumption).
TURN_SHARE = 0.2
SRC_KVS_WEBRTC_QUOTAS = (
    "https://docs.aws.amazon.com/kinesisvideostreams-webrtc-dg/latest/devguide/kvswebrtc-limits.html "
    "(ConnectAsMaster: 1 connection per channel; ConnectAsViewer: 10 per channel; 1 hour per connection; "
    "10,000 channels per account in us-east-1 and us-west-2, 5,000 elsewhere)"
)
SRC_KVS_PRICING = (
    "https://aws.amazon.com/kinesis/video-streams/pricing/ (billed per active signaling channel-month, per "
    "signaling message and per TURN streaming minute)"
)


def video_call_usage(
    req: Requirements,
    load_factor: float = 1.0,
    *,
    calls_per_user: float = CALLS_PER_USER_PER_MONTH,
    call_minutes: float = CALL_MINUTES,
    participants: int = CALL_PARTICIPANTS,
) -> dict[str, Decision]:
    """Signaling channels (one per call in progress at peak), signaling messages and TURN minutes."""
    calls = req.expected_users * calls_per_user * load_factor
    call_minutes_month = calls * call_minutes
    avg_calls = call_minutes_month / (HOURS_PER_MONTH * 60)
    peak_calls = max(1, math.ceil(avg_calls * req.peak_to_average_ratio))
    messages = round(calls * participants * SIGNALING_MESSAGES_PER_PARTICIPANT)
    turn = round(call_minutes_month * participants * TURN_SHARE, 1)
    basis = (
        f"{req.expected_users:,} users × {calls_per_user:g} calls/month × {call_minutes:g} min, "
        f"{participants} participants per call ({ASSUMPTION})"
    )
    return {
        "calls": Decision(round(calls), basis, "requirements (expected_users)"),
        "channels": Decision(
            peak_calls,
            f"one signaling channel per call in progress at peak: {call_minutes_month:,.0f} call-minutes ÷ "
            f"{HOURS_PER_MONTH * 60:,} min = {avg_calls:,.1f} average × peak ratio "
            f"{req.peak_to_average_ratio:g} = {peak_calls:,} channels, reused from call to call",
            SRC_KVS_WEBRTC_QUOTAS,
        ),
        "messages": Decision(
            messages,
            f"{calls:,.0f} calls × {participants} participants × "
            f"{SIGNALING_MESSAGES_PER_PARTICIPANT} signaling messages "
            f"(offer/answer, ICE candidates; {ASSUMPTION})",
            SRC_KVS_PRICING,
        ),
        "turn_minutes": Decision(
            turn,
            f"{call_minutes_month:,.0f} call-minutes × {participants} participants × {TURN_SHARE:.0%} "
            f"relayed through TURN ({ASSUMPTION})",
            SRC_KVS_PRICING,
        ),
    }
