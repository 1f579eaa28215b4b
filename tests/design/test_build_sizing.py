"""Sizing rules: each returns a value with its rule and source."""

from __future__ import annotations

import pytest

from cloudwright.design import sizing
from cloudwright.requirements import requirements_from_mapping


def _load(**kw):
    return sizing.load_for(requirements_from_mapping(kw))


@pytest.mark.parametrize(
    ("records", "kb", "shards"),
    [(1, 1, 1), (999, 1, 1), (1000, 1, 1), (1001, 1, 2), (2500, 0.5, 3), (500, 4, 2), (100, 100, 10)],
)
def test_kinesis_shards_take_the_larger_of_records_and_bytes(records, kb, shards):
    d = sizing.kinesis_shards(records, kb)
    assert d.value == shards
    assert "streams/latest/dev/service-sizes-and-limits" in d.source


@pytest.mark.parametrize(
    ("rps", "ms", "conc"), [(10, 100, 1), (100, 200, 20), (1000, 250, 250), (3, 1000, 3)]
)
def test_lambda_concurrency_is_rps_times_duration(rps, ms, conc):
    d = sizing.lambda_concurrency(rps, ms)
    assert d.value == conc and "lambda-concurrency" in d.source


def test_fargate_tasks_follow_load_and_keep_one_per_az_in_prod():
    small = sizing.fargate_tasks(_load(requests_per_second=1), is_prod=True, az_count=3)
    assert small["min"].value == 3 and small["desired"].value == 3
    big = sizing.fargate_tasks(
        _load(requests_per_second=1000, peak_to_average_ratio=3), is_prod=True, az_count=2
    )
    assert big["desired"].value == 1000 // sizing.FARGATE_RPS_PER_TASK
    assert big["max"].value == 3000 // sizing.FARGATE_RPS_PER_TASK
    dev = sizing.fargate_tasks(_load(requests_per_second=1), is_prod=False, az_count=1)
    assert dev["min"].value == 1


def test_ec2_instances_minimum_two_in_prod():
    d = sizing.ec2_instances(_load(requests_per_second=0), is_prod=True, az_count=2)
    assert d["min"].value == 2 and d["max"].value >= 10


@pytest.mark.parametrize(
    ("data_gb", "rps", "expected"),
    [
        (10, 5, "db.t4g.medium"),
        (200, 5, "db.r6g.large"),
        (600, 5, "db.r6g.xlarge"),
        (10, 5000, "db.r6g.xlarge"),
    ],
)
def test_aurora_class_from_hot_set_and_writer_load(data_gb, rps, expected):
    load = _load(data_size_gb=data_gb, requests_per_second=rps, read_percent=50, peak_to_average_ratio=1)
    assert sizing.db_class(load, engine="aurora", environment="prod").value == expected


def test_rds_floors_follow_seed_003_per_environment():
    load = _load(data_size_gb=1, requests_per_second=1)
    assert sizing.db_class(load, engine="postgres", environment="dev").value == "db.t3.micro"
    assert sizing.db_class(load, engine="postgres", environment="staging").value == "db.t3.small"
    assert sizing.db_class(load, engine="postgres", environment="prod").value == "db.t3.medium"


def test_read_replicas_grow_with_reads_and_stop_at_the_quota():
    light = _load(requests_per_second=10, read_percent=90)
    assert sizing.read_replicas(light, engine="aurora", is_prod=True, minimum=1).value == 1
    heavy = _load(requests_per_second=20000, read_percent=90, peak_to_average_ratio=2)
    n = sizing.read_replicas(heavy, engine="aurora", is_prod=True, minimum=1).value
    assert n == 13  # ⌈0.7 × 36,000 reads/s ÷ 2,000 qps⌉
    huge = _load(requests_per_second=100000, read_percent=90, peak_to_average_ratio=2)
    assert sizing.read_replicas(huge, engine="aurora", is_prod=True).value == 15  # quota
    assert sizing.read_replicas(heavy, engine="aurora", is_prod=False).value == 0


def test_cache_node_grows_with_data():
    assert sizing.cache_node(_load(data_size_gb=1, expected_users=100)).value == "cache.t4g.micro"
    assert sizing.cache_node(_load(data_size_gb=400, expected_users=100)).value == "cache.r6g.large"


def test_dynamodb_units_round_items_up():
    load = _load(requests_per_second=1, read_percent=50)
    units = sizing.dynamodb_request_units(load, item_kb=5)
    reads = load.requests_per_month / 2
    assert units["monthly_read_request_units"].value == pytest.approx(reads * 2, rel=1e-9, abs=1)
    assert units["monthly_write_request_units"].value == pytest.approx(reads * 5, rel=1e-9, abs=1)


def test_alb_lcu_dimensions():
    u = sizing.alb_usage(_load(requests_per_second=100, avg_request_kb=2, avg_response_kb=10))
    assert u["new_connections"].value == 20
    assert u["rule_evaluations"].value == 100
    assert u["processed_bytes_gb"].value == pytest.approx(100 * 12 * 3600 / 1024**2, rel=1e-3)


def test_design_assumptions_scale_with_environment():
    req = requirements_from_mapping({"requests_per_second": 100, "avg_response_kb": 10})
    prod = sizing.design_assumptions(req, "prod", 1.0, 2)
    dev = sizing.design_assumptions(req, "dev", 0.05, 1)
    assert prod["hours_per_month"] == 730
    assert prod["requests_per_month"] == 100 * 730 * 3600
    assert dev["requests_per_month"] == pytest.approx(prod["requests_per_month"] * 0.05, rel=1e-6)
    assert prod["data_transfer_out_gb"] == pytest.approx(100 * 730 * 3600 * 10 / 1024**2, rel=1e-6)


def test_every_decision_names_its_source():
    load = _load(requests_per_second=50)
    decisions = [
        sizing.kinesis_shards(10, 1),
        sizing.lambda_concurrency(1, 1),
        sizing.cache_node(load),
        sizing.db_class(load, engine="aurora", environment="prod"),
        sizing.nat_data_gb(load, 2),
        sizing.log_ingest_gb(load),
        sizing.cache_replicas(is_prod=True, az_count=3),
        *sizing.fargate_tasks(load, is_prod=True, az_count=2).values(),
        *sizing.alb_usage(load).values(),
        *sizing.eks_nodes(load, is_prod=True, az_count=2).values(),
    ]
    for d in decisions:
        note = d.note()
        assert set(note) == {"rule", "value", "source"} and note["rule"] and note["source"]


def test_quota_warning_when_a_default_quota_is_exceeded():
    assert sizing.quota_warning("lambda.concurrent_executions", 999) is None
    msg = sizing.quota_warning("lambda.concurrent_executions", 5000)
    assert msg and "1,000" in msg and "Service Quotas" in msg


@pytest.mark.parametrize(
    ("pattern", "quota"),
    [
        ("three-tier-fargate", "Tasks per service"),
        ("three-tier-fargate", "Aurora Replicas per DB cluster"),
        ("ha-ec2-web", "Read replicas per source DB instance"),
        ("ha-ec2-web", "Targets per Application Load Balancer"),
        ("eks-platform", "Nodes per managed node group"),
    ],
)
def test_exceeding_a_default_quota_is_a_design_warning(pattern, quota):
    from cloudwright.design.build import build_design

    huge = requirements_from_mapping(
        {"application_type": "web_application", "requests_per_second": 1_000_000, "read_percent": 95}
    )
    design = build_design(huge, pattern, "prod")
    assert any(quota in w and "quota" in w for w in design.warnings), design.warnings
    small = build_design(requirements_from_mapping({"requests_per_second": 10}), pattern, "prod")
    assert not any(quota in w for w in small.warnings)


def test_readers_share_the_read_load_and_the_class_covers_each_reader():
    # 0.7 × 1,800 reads/s = 1,260 on one reader: a t4g.medium (500 qps) is too small for that reader
    load = _load(requests_per_second=1000, read_percent=90, peak_to_average_ratio=2, data_size_gb=1)
    n = sizing.read_replicas(load, engine="aurora", is_prod=True, minimum=1).value
    assert n == 1
    assert sizing.db_class(load, engine="aurora", environment="prod", replicas=n).value == "db.r6g.large"


def test_more_reads_never_mean_fewer_replicas_or_a_smaller_class():
    prev_n, prev_rank = 0, -1
    names = [row[0] for row in sizing.AURORA_LADDER]
    for rps in range(0, 40000, 250):
        load = _load(requests_per_second=rps, read_percent=90, peak_to_average_ratio=2, data_size_gb=1)
        n = sizing.read_replicas(load, engine="aurora", is_prod=True, minimum=1).value
        rank = names.index(sizing.db_class(load, engine="aurora", environment="prod", replicas=n).value)
        assert n >= prev_n and rank >= prev_rank, rps
        prev_n, prev_rank = n, rank
