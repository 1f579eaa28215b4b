"""A template with planted flaws: each flaw is found by the right check, through the user's path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cloudwright.cli import app
from cloudwright.pipeline import review_file

FLAWED = Path(__file__).parent / "planted" / "flawed.yaml"

#: (flaw, check that must find it, resource)
PLANTED = [
    ("public bucket (canned ACL)", "SEC-S3-002", "PublicBucket"),
    ("public bucket (no public access block)", "SEC-S3-001", "PublicBucket"),
    ("bucket policy open to everyone", "SEC-S3-005", "OpenBucketPolicy"),
    ("unencrypted database", "SEC-RDS-001", "Database"),
    ("publicly accessible database", "SEC-RDS-002", "Database"),
    ("single-AZ production database", "REL-RDS-001", "Database"),
    ("plaintext password parameter", "SEC-CFN-001", "Parameters.DbPassword"),
    ("password with a default in the template", "SEC-SECRET-001", "Database"),
    ("0.0.0.0/0 on SSH", "SEC-SG-001", "SshSecurityGroup"),
    ("queue without DLQ", "REL-SQS-001", "OrdersQueue"),
    ("'*' IAM policy", "SEC-IAM-001", "AdminRole"),
    ("Lambda on a retired runtime", "OPS-LAMBDA-001", "LegacyFunction"),
    ("CloudFront over plain HTTP", "SEC-CF-001", "Distribution"),
    ("service at end of support", "OPS-EOS-001", "Events"),
    ("x86 where Graviton exists", "SUS-COMPUTE-001", "Database"),
]


@pytest.fixture(scope="module")
def review():
    return review_file(FLAWED)


@pytest.mark.parametrize(("flaw", "check_id", "resource"), PLANTED, ids=[p[0] for p in PLANTED])
def test_each_planted_flaw_is_found_by_the_right_check(
    review, flaw: str, check_id: str, resource: str
) -> None:
    hits = [f for f in review.findings if f.check_id == check_id and f.resource == resource]
    assert hits, f"{flaw}: {check_id} did not report {resource}"
    assert hits[0].remediation and hits[0].message


def test_fixing_the_database_prices_the_multi_az_fix(review) -> None:
    (multi_az,) = [f for f in review.findings if f.check_id == "REL-RDS-001"]
    # Multi-AZ bills a standby instance: the fix costs money, priced by the pricing engine.
    assert multi_az.cost_delta_usd is not None and multi_az.cost_delta_usd > 0
    assert multi_az.path == ["Resources", "Database", "Properties", "MultiAZ"]


def test_sarif_output_of_the_flawed_template_is_valid_sarif_2_1_0() -> None:
    result = CliRunner().invoke(app, ["review", str(FLAWED), "--format", "sarif"])
    assert result.exit_code == 0, result.output
    log = json.loads(result.output)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cloudwright"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    assert {p[1] for p in PLANTED} <= set(rule_ids)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"]
    assert run["results"]
    for res in run["results"]:
        assert res["ruleId"] == rule_ids[res["ruleIndex"]]
        assert res["level"] in ("none", "note", "warning", "error")
        assert res["message"]["text"]
        loc = res["locations"][0]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == "flawed.yaml"
        assert loc["logicalLocations"][0]["name"]


ARCHITECTURE = Path(__file__).parent / "planted" / "architecture.yaml"
ARCH_FLAWS = [
    ("one NAT gateway for all AZs", "REL-NAT-001", "Nat"),
    ("one instance behind the load balancer", "REL-ELB-001", "WebTargets"),
    ("single-instance Aurora cluster in prod", "REL-AURORA-001", "OrdersCluster"),
    ("Kinesis shards below the ingest load", "PERF-KINESIS-001", "Clicks"),
    ("Lambda reserved concurrency below the load", "PERF-LAMBDA-001", "Scorer"),
    ("S3 traffic paying NAT processing", "COST-NAT-001", "Nat"),
    ("over-provisioned DynamoDB capacity", "COST-DDB-001", "Sessions"),
    ("fixed capacity without scaling", "SUS-SCALE-001", "Sessions"),
]


@pytest.fixture(scope="module")
def arch_review():
    return review_file(ARCHITECTURE)


@pytest.mark.parametrize(("flaw", "check_id", "resource"), ARCH_FLAWS, ids=[p[0] for p in ARCH_FLAWS])
def test_each_architecture_flaw_is_found(arch_review, flaw: str, check_id: str, resource: str) -> None:
    assert [f for f in arch_review.findings if f.check_id == check_id and f.resource == resource], flaw


def test_architecture_fixes_are_priced(arch_review) -> None:
    by_check = {f.check_id: f for f in arch_review.findings}
    # A second NAT gateway and a reader instance cost money; right-sizing the table saves money.
    assert by_check["REL-NAT-001"].cost_delta_usd is not None and by_check["REL-NAT-001"].cost_delta_usd > 0
    assert (
        by_check["REL-AURORA-001"].cost_delta_usd is not None
        and by_check["REL-AURORA-001"].cost_delta_usd > 0
    )
    assert by_check["COST-DDB-001"].cost_delta_usd is not None and by_check["COST-DDB-001"].cost_delta_usd < 0
