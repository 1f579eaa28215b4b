"""The sourced data tables: HIPAA eligibility and default service quotas."""

from __future__ import annotations

import pytest

from cloudwright import eligibility, quotas
from cloudwright.design.model import Design, Resource


def test_every_eligible_service_cites_a_known_source():
    data = eligibility.load_eligibility()
    assert data["checked"]
    for key, svc in data["services"].items():
        if svc["hipaa"] is True:
            assert svc["evidence"], key
            assert all(e in data["sources"] for e in svc["evidence"])
        for ev in eligibility.evidence(key):
            assert ev["url"] and ev["date"]


def test_unconfirmed_services_are_treated_as_not_eligible():
    assert eligibility.hipaa_status("no-such-service") == "unknown"
    assert not eligibility.hipaa_allowed("no-such-service")
    assert eligibility.hipaa_allowed("iam")  # control plane, holds no regulated data
    assert eligibility.ineligible(["lambda", "no-such-service"], ["HIPAA"]) == ["no-such-service"]
    assert eligibility.ineligible(["no-such-service"], ["SOC2"]) == []


def test_fargate_is_hipaa_eligible_with_an_aws_source():
    # right in both directions: Fargate is on AWS's list, so it must not be excluded
    assert eligibility.hipaa_status("fargate") == "eligible"
    assert any("aws" in ev["url"] for ev in eligibility.evidence("fargate"))


@pytest.mark.parametrize(
    ("cfn_type", "props", "service"),
    [
        ("AWS::ECS::Service", {"LaunchType": "FARGATE"}, "fargate"),
        ("AWS::ECS::Service", {}, "ecs"),
        ("AWS::RDS::DBCluster", {"Engine": "aurora-postgresql"}, "aurora"),
        ("AWS::RDS::DBInstance", {"Engine": "postgres"}, "rds"),
        ("AWS::EC2::Instance", {}, "ec2"),
        ("AWS::EC2::Subnet", {}, "vpc"),
        ("AWS::KinesisFirehose::DeliveryStream", {}, "firehose"),
        ("AWS::Made::Up", {}, None),
    ],
)
def test_service_for_type(cfn_type, props, service):
    assert eligibility.service_for_type(cfn_type, props) == service


def test_the_remembered_prefix_lookup_is_the_longest_prefix_for_every_type():
    from cloudwright.design.types import load_types

    for cfn_type in [*sorted(load_types()), "AWS::Unknown::Thing", "Custom::X"]:
        prefixes = [p for p in eligibility._TYPE_PREFIXES if cfn_type.startswith(p)]
        expected = eligibility._TYPE_PREFIXES[max(prefixes, key=len)] if prefixes else None
        assert eligibility.service_for_type(cfn_type) == expected, cfn_type
        assert eligibility.service_for_type(cfn_type) == expected, cfn_type  # remembered: same answer


def test_check_design_flags_non_eligible_and_unmapped_resources():
    design = Design(
        resources=[
            Resource(logical_id="Fn", type="AWS::Lambda::Function"),
            Resource(logical_id="Svc", type="AWS::ECS::Service", properties={"LaunchType": "FARGATE"}),
            Resource(logical_id="Odd", type="AWS::Made::Up"),
        ]
    )
    flagged = {b["logical_id"]: b["status"] for b in eligibility.check_design(design, ["HIPAA"])}
    # Fargate is eligible (no false finding); a type with no eligibility answer is flagged as unknown
    assert flagged == {"Odd": "unknown"}
    assert eligibility.check_design(design, ["SOC2"]) == []


def test_end_of_support_services_are_listed_with_dates():
    eos = eligibility.end_of_support()
    assert {k: v["date"] for k, v in eos.items()} == {
        "iot-analytics": "2025-12-15",
        "iot-events": "2026-05-20",
        "pinpoint": "2026-10-30",
    }


def test_every_quota_has_value_unit_scope_source_and_date():
    table = quotas.load_quotas()
    assert list(table) == sorted(table)
    for q in table.values():
        assert q.value > 0 and q.unit and q.scope and q.source.startswith("http") and q.date


def test_quota_check():
    assert quotas.check("ecs.tasks_per_service", 5000) is None
    msg = quotas.check("ecs.tasks_per_service", 5001)
    assert msg and "5,000" in msg and "cannot be raised" in msg
    assert "request an increase" in (quotas.check("lambda.concurrent_executions", 2000) or "")
