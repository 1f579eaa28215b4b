"""infracost usage keys that change a price are applied with infracost's meaning (not just accepted)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from cloudwright.design.model import Design, Resource
from cloudwright.errors import InputError
from cloudwright.pricing.engine import PricingOptions, price_design
from cloudwright.pricing.usage import INFRACOST_NOT_APPLIED, parse_usage


def _lines(r: Resource, usage: str | None = None) -> list:
    opts = PricingOptions(usage=parse_usage(yaml.safe_load(usage)) if usage else None)  # type: ignore[arg-type]
    est = price_design(Design(resources=[r]), opts)
    return next(x for x in est.resources if x.logical_id == r.logical_id).line_items


def _hours_line(lines: list) -> object:
    return next(li for li in lines if li.unit == "hours")


VM = Resource(logical_id="Vm", type="AWS::EC2::Instance", properties={"InstanceType": "m5.large"})


def test_ec2_monthly_hrs_sets_the_instance_hours() -> None:
    full = _hours_line(_lines(VM))
    part = _hours_line(
        _lines(VM, "version: 0.1\nresource_usage:\n  aws_instance.vm:\n    monthly_hrs: 450\n")
    )
    assert full.quantity == Decimal(730)
    assert part.quantity == Decimal(450)
    assert part.monthly_usd == full.monthly_usd * Decimal(450) / Decimal(730)
    assert all(
        li.status != "price-unknown" for li in _lines(VM, "resource_usage:\n  Vm:\n    monthly_hrs: 1\n")
    )


@pytest.mark.parametrize(
    ("cfn_type", "tf", "props"),
    [
        ("AWS::EC2::Instance", "aws_instance", {"InstanceType": "m5.large"}),
        ("AWS::EKS::Nodegroup", "aws_eks_node_group", {"InstanceTypes": ["m5.large"]}),
    ],
)
def test_operating_system_selects_the_os_price(cfn_type: str, tf: str, props: dict) -> None:
    r = Resource(logical_id="Vm", type=cfn_type, properties=props)
    linux = _hours_line(_lines(r, f"resource_usage:\n  {tf}.vm:\n    operating_system: linux\n"))
    assert linux.status == "priced" and "Linux" in linux.description
    windows = _hours_line(_lines(r, f"resource_usage:\n  {tf}.vm:\n    operating_system: windows\n"))
    # The catalogue holds Linux rates only: a Windows instance is never priced at the Linux rate.
    assert "Windows" in windows.description
    assert windows.status == "price-unknown" and windows.monthly_usd is None
    assert not any(li.description.startswith("Usage operating_system") for li in _lines(r))


def test_asg_operating_system_is_applied() -> None:
    lt = Resource(
        logical_id="Lt",
        type="AWS::EC2::LaunchTemplate",
        properties={"LaunchTemplateData": {"InstanceType": "m5.large"}},
    )
    asg = Resource(
        logical_id="Asg",
        type="AWS::AutoScaling::AutoScalingGroup",
        properties={"LaunchTemplate": {"LaunchTemplateId": {"Ref": "Lt"}}, "MinSize": 2},
    )
    usage = parse_usage(yaml.safe_load("resource_usage:\n  Asg:\n    operating_system: rhel\n"))
    est = price_design(Design(resources=[lt, asg]), PricingOptions(usage=usage))
    line = _hours_line(next(x for x in est.resources if x.logical_id == "Asg").line_items)
    assert "RHEL" in line.description and line.monthly_usd is None


def test_bad_operating_system_names_the_key() -> None:
    with pytest.raises(InputError) as err:
        _lines(VM, "resource_usage:\n  Vm:\n    operating_system: beos\n")
    assert "operating_system" in str(err.value.field)


def test_applied_keys_are_no_longer_listed_as_pending() -> None:
    for cfn in ("AWS::EC2::Instance", "AWS::AutoScaling::AutoScalingGroup", "AWS::EKS::Nodegroup"):
        assert not INFRACOST_NOT_APPLIED.get(cfn)  # every infracost key of these types is applied


def _kinesis(mode: str, usage: dict) -> dict[str, object]:
    r = Resource(
        logical_id="S",
        type="AWS::Kinesis::Stream",
        properties={"StreamModeDetails": {"StreamMode": mode}},
    )
    opts = PricingOptions(usage=parse_usage({"resource_usage": {"aws_kinesis_stream.s": usage}}))
    est = price_design(Design(resources=[r]), opts)
    return {li.description: li for li in est.resources[0].line_items}


def test_kinesis_on_demand_efo_and_retention_are_priced() -> None:
    lines = _kinesis(
        "ON_DEMAND",
        {
            "monthly_on_demand_efo_data_out_gb": 10,
            "monthly_on_demand_extended_retention_gb": 10,
            "monthly_on_demand_long_term_retention_gb": 100,
        },
    )
    assert lines["Enhanced fan-out data out (on-demand)"].monthly_usd == Decimal("0.5")
    assert lines["Extended retention, 24 h to 7 days (on-demand)"].monthly_usd == Decimal("1")
    assert lines["Long-term retention, beyond 7 days (on-demand)"].monthly_usd == Decimal("2.3")
    assert not any(d.startswith("Usage ") for d in lines)


def test_kinesis_provisioned_put_units_and_unknown_prices() -> None:
    lines = _kinesis(
        "PROVISIONED",
        {"monthly_provisioned_put_units": 1_000_000, "monthly_provisioned_long_term_retention_gb": 100},
    )
    assert lines["PUT payload units (25 KB)"].quantity == Decimal(1_000_000)
    assert lines["PUT payload units (25 KB)"].monthly_usd == Decimal("0.014")
    # No sourced provisioned retention rate: the line exists, with its quantity, and says price unknown
    # (the on-demand rate is never borrowed).
    retention = lines["Long-term retention, beyond 7 days (provisioned)"]
    assert retention.quantity == Decimal(100)
    assert retention.status == "price-unknown" and retention.monthly_usd is None


def test_sns_push_subscriptions_are_priced_per_delivery() -> None:
    topic = Resource(logical_id="T", type="AWS::SNS::Topic")
    usage = {
        "monthly_requests": 1_000_000,
        "request_size_kb": 100,  # two 64 KB chunks: every delivery counts twice
        "kinesis_subscriptions": 2,
        "mobile_push_subscriptions": 1,
        "macos_subscriptions": 1,
    }
    opts = PricingOptions(usage=parse_usage({"resource_usage": {"aws_sns_topic.t": usage}}))
    lines = {
        li.description: li for li in price_design(Design(resources=[topic]), opts).resources[0].line_items
    }
    firehose = lines["Data Firehose deliveries (2 subscriptions)"]
    assert firehose.quantity == Decimal(4_000_000)
    assert firehose.monthly_usd == Decimal("0.76")  # $0.19 per 1M
    assert lines["Mobile push deliveries (1 subscriptions)"].monthly_usd == Decimal("1")  # $0.50 per 1M
    macos = lines["macOS push deliveries (1 subscriptions)"]
    assert macos.quantity == Decimal(2_000_000)
    assert macos.status == "price-unknown" and macos.monthly_usd is None  # no sourced macOS rate
    assert not any(d.startswith("Usage ") for d in lines)


RI = {
    "reserved_instance_type": "standard",
    "reserved_instance_term": "1_year",
    "reserved_instance_payment_option": "all_upfront",
}


def _vm_with(usage: dict, **opts: object) -> object:
    uf = parse_usage({"resource_usage": {"aws_instance.vm": usage}})
    est = price_design(Design(resources=[VM]), PricingOptions(usage=uf, **opts))  # type: ignore[arg-type]
    return _hours_line(est.resources[0].line_items)


def test_reserved_instance_keys_price_at_the_reserved_rate_or_say_unknown() -> None:
    from cloudwright.pricing.pricebook import parse_price_book

    # No Reserved rate is catalogued: the hours are never priced at the on-demand rate.
    unknown = _vm_with(RI)
    assert "Reserved 1y all upfront" in unknown.description
    assert unknown.status == "price-unknown" and unknown.monthly_usd is None
    assert "commitment: ri-1y-all-upfront" in unknown.note
    book = parse_price_book(
        {
            "name": "ri",
            "overrides": [
                {
                    "attributes": {
                        "instanceType": "m5.large",
                        "operatingSystem": "Linux",
                        "tenancy": "Shared",
                    },
                    "price": "0.06",
                    "source": "Reserved m5.large 1 year all upfront, effective hourly (example)",
                    "date": "2026-11-01",
                    "commitment": "ri-1y-all-upfront",
                }
            ],
        },
        "ri.yml",
    )
    reserved = _vm_with({**RI, "monthly_hrs": 100}, price_book=book)
    assert reserved.status == "priced" and reserved.monthly_usd == Decimal("6.00")
    # Convertible rates are never catalogued; a bad value names the key.
    assert _vm_with({**RI, "reserved_instance_type": "convertible"}).status == "price-unknown"
    with pytest.raises(InputError) as err:
        _vm_with({**RI, "reserved_instance_term": "2_year"})
    assert "reserved_instance_term" in str(err.value.field)
    with pytest.raises(InputError):
        _vm_with({"reserved_instance_term": "1_year"})  # payment option missing


def _first_hours(r: Resource, usage: dict, **opts: object) -> object:
    uf = parse_usage({"resource_usage": {r.logical_id: usage}})
    est = price_design(Design(resources=[r]), PricingOptions(usage=uf, **opts))  # type: ignore[arg-type]
    return est.resources[0].line_items[0]


def test_rds_and_elasticache_reserved_terms() -> None:
    from cloudwright.pricing.pricebook import parse_price_book

    db = Resource(
        logical_id="Db",
        type="AWS::RDS::DBInstance",
        properties={"DBInstanceClass": "db.m5.large", "Engine": "mysql", "AllocatedStorage": 20},
    )
    term = {"reserved_instance_term": "3_year", "reserved_instance_payment_option": "partial_upfront"}
    on_demand = _first_hours(db, {})
    unknown = _first_hours(db, term)
    assert on_demand.status == "priced"
    assert "Reserved 3y partial upfront" in unknown.description
    assert unknown.status == "price-unknown" and unknown.monthly_usd is None
    book = parse_price_book(
        {
            "name": "ri",
            "overrides": [
                {
                    "attributes": {"instanceType": "db.m5.large", "databaseEngine": "MySQL"},
                    "price": "0.1",
                    "source": "RDS Reserved db.m5.large MySQL 3 years partial upfront, effective (example)",
                    "date": "2026-11-01",
                    "commitment": "ri-3y-partial-upfront",
                }
            ],
        },
        "ri.yml",
    )
    assert _first_hours(db, term, price_book=book).monthly_usd == Decimal("73.0")
    cache = Resource(
        logical_id="Cache",
        type="AWS::ElastiCache::CacheCluster",
        properties={"CacheNodeType": "cache.m5.large", "Engine": "redis", "NumCacheNodes": 1},
    )
    legacy = {"reserved_instance_term": "1_year", "reserved_instance_payment_option": "heavy_utilization"}
    nodes = _first_hours(cache, legacy)
    assert "heavy_utilization" in nodes.description and nodes.status == "price-unknown"
    assert _first_hours(cache, {}).status == "priced"


def _usage_lines(r: Resource, tf: str, usage: dict) -> dict[str, object]:
    uf = parse_usage({"resource_usage": {tf: usage}})
    est = price_design(Design(resources=[r]), PricingOptions(usage=uf, free_tier="none"))
    return {li.description: li for li in est.resources[0].line_items}


def test_eventbridge_third_party_archive_processing_and_schema_discovery() -> None:
    bus = Resource(logical_id="Bus", type="AWS::Events::EventBus", properties={"Name": "b"})
    lines = _usage_lines(
        bus,
        "aws_cloudwatch_event_bus.bus",
        {
            "monthly_third_party_events": 2_000_000,
            "monthly_archive_processing_gb": 100,
            "monthly_schema_discovery_events": 1_000_000,
        },
    )
    assert lines["Third-party and cross-account events"].monthly_usd == Decimal("2")
    assert lines["Archive processing"].monthly_usd == Decimal("10")
    assert lines["Schema discovery events"].monthly_usd == Decimal("0.1")
    assert not any(d.startswith("Usage ") for d in lines)


def test_dynamodb_monthly_data_restored_gb() -> None:
    table = Resource(
        logical_id="T", type="AWS::DynamoDB::Table", properties={"BillingMode": "PAY_PER_REQUEST"}
    )
    lines = _usage_lines(table, "aws_dynamodb_table.t", {"monthly_data_restored_gb": 230})
    assert lines["Restore data size"].monthly_usd == Decimal("34.5")  # $0.15 per GB


def test_waf_rule_group_rules_are_billed_per_rule() -> None:
    acl = Resource(logical_id="Acl", type="AWS::WAFv2::WebACL", properties={"Scope": "REGIONAL"})
    lines = _usage_lines(
        acl, "aws_wafv2_web_acl.acl", {"rule_group_rules": 5, "managed_rule_group_rules": 10}
    )
    assert lines["Rules inside rule groups (15)"].monthly_usd == Decimal("15")  # $1.00 per rule-month
    assert not any(d.startswith("Usage ") for d in lines)


def test_cpu_credit_hours_are_shown_with_an_unknown_price() -> None:
    burst = Resource(logical_id="Vm", type="AWS::EC2::Instance", properties={"InstanceType": "t3.medium"})
    lines = _usage_lines(burst, "aws_instance.vm", {"monthly_cpu_credit_hrs": 350, "vcpu_count": 2})
    credits = lines["t3 unlimited CPU credits (1 x t3.medium)"]
    assert credits.quantity == Decimal(700)  # vCPU-hours
    assert credits.status == "price-unknown" and credits.monthly_usd is None  # no sourced credit rate
    assert not any(d.startswith("Usage ") for d in lines)
    # Non-burstable types accrue no credits.
    assert not any(
        "CPU credits" in d for d in _usage_lines(VM, "aws_instance.vm", {"monthly_cpu_credit_hrs": 1})
    )


def test_route53_health_check_endpoint_type() -> None:
    check = Resource(logical_id="Hc", type="AWS::Route53::HealthCheck")
    aws = _usage_lines(check, "aws_route53_health_check.hc", {"endpoint_type": "aws"})
    assert aws["Health check"].monthly_usd == Decimal("0.5")
    other = _usage_lines(check, "aws_route53_health_check.hc", {"endpoint_type": "non_aws"})
    line = other["Health check (non-AWS endpoint)"]
    assert line.status == "price-unknown" and line.monthly_usd is None  # never the AWS-endpoint rate
    with pytest.raises(InputError):
        _usage_lines(check, "aws_route53_health_check.hc", {"endpoint_type": "mars"})


def _by_desc(r: Resource, usage: dict) -> dict[str, object]:
    tf = {
        "AWS::EC2::Volume": "aws_ebs_volume",
        "AWS::EFS::FileSystem": "aws_efs_file_system",
        "AWS::RDS::DBInstance": "aws_db_instance",
        "AWS::RDS::DBCluster": "aws_rds_cluster",
        "AWS::CloudFront::Distribution": "aws_cloudfront_distribution",
        "AWS::Glue::Database": "aws_glue_catalog_database",
        "AWS::SNS::Topic": "aws_sns_topic",
    }[r.type]
    opts = PricingOptions(usage=parse_usage({"resource_usage": {f"{tf}.{r.logical_id.lower()}": usage}}))
    est = price_design(Design(resources=[r]), opts)
    lines = next(x for x in est.resources if x.logical_id == r.logical_id).line_items
    assert not any(li.description.startswith("Usage ") for li in lines)  # applied, not "not applied yet"
    return {li.description: li for li in lines}


def test_every_infracost_key_of_the_modelled_types_is_applied() -> None:
    assert not any(INFRACOST_NOT_APPLIED.values())


def test_ebs_magnetic_volume_storage_and_io_requests() -> None:
    # infracost ebs_volume golden (2024-07-01): 20 GB magnetic $1.00, 1M I/O requests $0.05.
    vol = Resource(
        logical_id="Vol", type="AWS::EC2::Volume", properties={"VolumeType": "standard", "Size": 20}
    )
    lines = _by_desc(vol, {"monthly_standard_io_requests": 1_000_000})
    assert lines["EBS standard volume (20 GB x 1)"].monthly_usd == Decimal("1.00")
    assert lines["EBS magnetic I/O requests"].monthly_usd == Decimal("0.05")


def test_efs_infrequent_access_storage_and_requests() -> None:
    # infracost efs_file_system golden (2024-07-01): IA 100 GB $2.50 (one zone $1.33), reads 50 GB $0.50,
    # writes 100 GB $1.00.
    usage = {
        "storage_gb": 230,
        "infrequent_access_storage_gb": 100,
        "monthly_infrequent_access_read_gb": 50,
        "monthly_infrequent_access_write_gb": 100,
    }
    fs = Resource(logical_id="Fs", type="AWS::EFS::FileSystem")
    lines = _by_desc(fs, usage)
    assert lines["Storage (Infrequent Access)"].monthly_usd == Decimal("2.5")
    assert lines["Read requests (Infrequent Access)"].monthly_usd == Decimal("0.5")
    assert lines["Write requests (Infrequent Access)"].monthly_usd == Decimal("1")
    one_zone = Resource(
        logical_id="Oz", type="AWS::EFS::FileSystem", properties={"AvailabilityZoneName": "us-east-1a"}
    )
    assert _by_desc(one_zone, usage)["Storage (One Zone, Infrequent Access)"].monthly_usd == Decimal("1.33")


def test_rds_instance_magnetic_io_performance_insights_and_cpu_credits() -> None:
    # infracost db_instance golden (2026-05-03): magnetic 40 GB $4.00, I/O $0.10 per 1M; PI API
    # 12,345 requests $0.12; MySQL db.t3.large 30 h x 2 vCPU of CPU credits $4.50.
    db = Resource(
        logical_id="Db",
        type="AWS::RDS::DBInstance",
        properties={
            "Engine": "mysql",
            "DBInstanceClass": "db.t3.large",
            "StorageType": "standard",
            "AllocatedStorage": 40,
        },
    )
    lines = _by_desc(
        db,
        {
            "monthly_standard_io_requests": 10_000_000,
            "monthly_additional_performance_insights_requests": 12_345,
            "monthly_cpu_credit_hrs": 30,
            "vcpu_count": 2,
        },
    )
    assert lines["Storage (standard)"].monthly_usd == Decimal("4.00")
    assert lines["Magnetic storage I/O requests"].monthly_usd == Decimal("1.0")
    assert round(lines["Performance Insights API requests"].monthly_usd, 2) == Decimal("0.12")
    assert lines["db.t3 unlimited CPU credits (1 x db.t3.large)"].monthly_usd == Decimal("4.5")
    # No sourced CPU-credit rate for PostgreSQL: the line says price unknown (never the MySQL rate).
    pg = Resource(
        logical_id="Pg",
        type="AWS::RDS::DBInstance",
        properties={"Engine": "postgres", "DBInstanceClass": "db.t3.large"},
    )
    credits = _by_desc(pg, {"monthly_cpu_credit_hrs": 30, "vcpu_count": 2})[
        "db.t3 unlimited CPU credits (1 x db.t3.large)"
    ]
    assert credits.status == "price-unknown" and credits.quantity == Decimal(60)


def test_rds_cluster_requests_backup_snapshots_backtrack_and_export() -> None:
    # infracost rds_cluster golden (2024-07-01), mysql_backtrack: I/O 52.56M $10.51, backup 400 GB $8.40,
    # backtrack 66,576M change-records $798.91, snapshot export 200 GB $2.00.
    cluster = Resource(
        logical_id="Mysql",
        type="AWS::RDS::DBCluster",
        properties={"Engine": "aurora-mysql", "BackupRetentionPeriod": 5},
    )
    usage = {
        "storage_gb": 100,
        "write_requests_per_sec": 10,
        "read_requests_per_sec": 10,
        "backup_snapshot_size_gb": 100,
        "average_statements_per_hr": 1_000_000,
        "change_records_per_statement": 3.8,
        "backtrack_window_hrs": 24,
        "snapshot_export_size_gb": 200,
    }
    lines = _by_desc(cluster, usage)
    assert lines["I/O requests"].quantity == Decimal(52_560_000)
    assert lines["I/O requests"].monthly_usd == Decimal("10.512")
    assert lines["Backup storage"].quantity == Decimal(400)
    assert lines["Backup storage"].monthly_usd == Decimal("8.4")
    assert lines["Backtrack change records"].quantity == Decimal(66_576_000_000)
    assert round(lines["Backtrack change records"].monthly_usd, 2) == Decimal("798.91")
    assert lines["Snapshot export to S3"].monthly_usd == Decimal("2")


def test_cloudfront_invalidations_encryption_logs_certificates_and_origin_shield() -> None:
    # infracost cloudfront_distribution golden (2024-07-01).
    dist = Resource(logical_id="Cdn", type="AWS::CloudFront::Distribution")
    lines = _by_desc(
        dist,
        {
            "monthly_invalidation_requests": 12_340,
            "monthly_encryption_requests": 123_400,
            "monthly_log_lines": 12_340_000,
            "custom_ssl_certificates": 12,
            "monthly_shield_requests": {"south_america": 323, "europe": 1000, "indonesia": 500},
        },
    )
    assert lines["Invalidation paths (first 1K paths)"].monthly_usd == 0
    assert lines["Invalidation paths (over 1K paths)"].monthly_usd == Decimal("56.7")
    assert round(lines["Field-level encryption requests"].monthly_usd, 2) == Decimal("0.25")
    assert round(lines["Real-time log lines"].monthly_usd, 2) == Decimal("0.12")
    assert lines["Dedicated IP custom SSL certificates"].monthly_usd == Decimal("7200")
    assert lines["Origin Shield requests (south_america)"].unit_price == Decimal("0.0000016")
    assert lines["Origin Shield requests (europe)"].unit_price == Decimal("0.0000009")  # dated 2021 figure
    indonesia = lines["Origin Shield requests (indonesia)"]
    assert indonesia.status == "price-unknown" and indonesia.quantity == Decimal(500)  # no sourced rate


def test_glue_monthly_objects_is_storage_objects() -> None:
    # infracost glue_catalog_database golden (2024-07-01): $1.00 per 100k objects.
    db = Resource(logical_id="Cat", type="AWS::Glue::Database")
    lines = _by_desc(db, {"monthly_objects": 200_000})
    assert lines["Catalog objects stored"].monthly_usd == Decimal("2")


def test_sns_sms_priced_at_the_given_price_else_unknown() -> None:
    topic = Resource(logical_id="T", type="AWS::SNS::Topic")
    unknown = _by_desc(topic, {"monthly_requests": 1000, "sms_subscriptions": 3})[
        "SMS deliveries (3 subscriptions)"
    ]
    assert (
        unknown.quantity == Decimal(3000)
        and unknown.status == "price-unknown"
        and unknown.monthly_usd is None
    )
    given = _by_desc(
        topic, {"monthly_requests": 1000, "sms_subscriptions": 3, "sms_notification_price": 0.00645}
    )
    sms = given["SMS deliveries (3 subscriptions)"]
    assert sms.monthly_usd == Decimal("19.35") and "sms_notification_price" in sms.price_source


def test_cloudfront_requests_and_origin_transfer_outside_the_us() -> None:
    # infracost cloudfront golden: unit prices of 2021-08-23, confirmed by the 2024-07-01 monthly costs.
    dist = Resource(logical_id="Cdn", type="AWS::CloudFront::Distribution")
    lines = _by_desc(
        dist,
        {
            "monthly_http_requests": {"europe": 223_402},
            "monthly_https_requests": {"south_america": 423_400, "australia": 623_400},
            "monthly_data_transfer_to_origin_gb": {"india": 8234, "south_america": 4234},
        },
    )
    assert round(lines["HTTP requests (Europe, Israel)"].monthly_usd, 2) == Decimal("0.20")
    assert round(lines["HTTPS requests (South America)"].monthly_usd, 2) == Decimal("0.93")
    assert round(lines["HTTPS requests (Australia, New Zealand)"].monthly_usd, 2) == Decimal("0.78")
    assert lines["Data transfer to origin (India)"].monthly_usd == Decimal("1317.44")
    assert lines["Data transfer to origin (South America)"].monthly_usd == Decimal("529.25")
    assert all(li.status == "priced" for li in lines.values() if li.quantity is not None)
