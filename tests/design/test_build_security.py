"""Secure-by-default properties of the VPC-based components, in every environment."""

from __future__ import annotations

import json
from functools import cache

import pytest

from cloudwright.design.build import build_design
from cloudwright.design.model import Design
from cloudwright.requirements import requirements_from_mapping

VPC_PATTERNS = ["three-tier-fargate", "ha-ec2-web", "eks-platform", "well-architected-foundation"]
REQ = requirements_from_mapping(
    {
        "application_type": "web_application",
        "expected_users": 50000,
        "requests_per_second": 100,
        "name": "shop",
    }
)


@cache
def _design(pid: str, env: str) -> Design:
    return build_design(REQ, pid, env)


def _all(env: str) -> list[Design]:
    return [_design(p, env) for p in VPC_PATTERNS]


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_no_literal_passwords_and_managed_master_secrets(env):
    for d in _all(env):
        text = json.dumps([r.properties for r in d.resources])
        assert '"MasterUserPassword"' not in text
        for r in d.by_type("AWS::RDS::DBCluster") + d.by_type("AWS::RDS::DBInstance"):
            if "SourceDBInstanceIdentifier" in r.properties or "DBClusterIdentifier" in r.properties:
                continue
            assert r.properties["ManageMasterUserPassword"] is True
            assert r.properties["StorageEncrypted"] is True
            assert r.properties["DeletionProtection"] is (env == "prod")
            assert r.properties["BackupRetentionPeriod"] == (30 if env == "prod" else 1)
            assert r.attributes.get("DeletionPolicy") == ("Snapshot" if env == "prod" else "Delete")


def test_prod_is_multi_az_and_dev_single():
    prod = _design("ha-ec2-web", "prod")
    dev = _design("ha-ec2-web", "dev")
    assert prod["Database"].properties["MultiAZ"] is True and dev["Database"].properties["MultiAZ"] is False
    assert len(prod.by_type("AWS::EC2::NatGateway")) == 2 and len(dev.by_type("AWS::EC2::NatGateway")) == 1
    assert prod.by_type("AWS::RDS::DBInstance")[1:], "prod has read replicas"
    assert len(dev.by_type("AWS::RDS::DBInstance")) == 1
    cache_prod = prod["CacheReplicationGroup"].properties
    assert cache_prod["AutomaticFailoverEnabled"] and cache_prod["NumCacheClusters"] == 2
    assert dev["CacheReplicationGroup"].properties["NumCacheClusters"] == 1


def test_three_azs_above_99_95():
    req = requirements_from_mapping({"availability_target": 99.99, "application_type": "web_application"})
    d = build_design(req, "three-tier-fargate", "prod")
    assert len(d.by_type("AWS::EC2::NatGateway")) == 3
    assert len(d.network["subnets"]) == 9


def test_network_plan_follows_seed_003():
    d = _design("three-tier-fargate", "prod")
    cidrs = {(s["tier"], s["cidr"]) for s in d.network["subnets"]}
    assert {("public", "10.0.1.0/24"), ("private", "10.0.10.0/24"), ("data", "10.0.20.0/24")} <= cidrs
    assert d.network["cidr"] == "10.0.0.0/16"
    assert d.network["endpoints"]["gateway"] == ["s3", "dynamodb"]
    assert d.network["flow_logs"]["enabled"] is True
    data_rt = d["DataRouteTable"]
    assert not [
        r for r in d.by_type("AWS::EC2::Route") if r.properties["RouteTableId"] == {"Ref": data_rt.logical_id}
    ]


def test_security_groups_are_tier_to_tier():
    d = _design("three-tier-fargate", "prod")
    rules = {(r["from"], r["to"], r["port"]) for r in d.network["security_groups"]["rules"]}
    assert ("0.0.0.0/0", "AlbSecurityGroup", 443) in rules
    assert ("AlbSecurityGroup", "AppSecurityGroup", 8080) in rules
    assert ("AppSecurityGroup", "DatabaseSecurityGroup", 5432) in rules
    assert ("AppSecurityGroup", "CacheSecurityGroup", 6379) in rules
    for sg in ("DatabaseSecurityGroup", "CacheSecurityGroup"):
        props = d[sg].properties
        assert props["SecurityGroupIngress"] == []
        assert props["SecurityGroupEgress"][0]["CidrIp"] == "127.0.0.1/32"


@pytest.mark.parametrize("env", ["dev", "prod"])
def test_iam_has_no_star_on_star_and_logs_have_retention(env):
    for d in _all(env):
        for r in d.by_type("AWS::IAM::Role"):
            for pol in r.properties.get("Policies", []):
                for st in pol["PolicyDocument"]["Statement"]:
                    assert not (st.get("Action") in ("*", ["*"]) and st.get("Resource") in ("*", ["*"])), (
                        r.logical_id
                    )
        for r in d.by_type("AWS::Logs::LogGroup"):
            assert r.properties["RetentionInDays"] in (7, 30, 365)


def test_instances_require_imdsv2_and_encrypted_volumes():
    d = _design("ha-ec2-web", "prod")
    lt = d["LaunchTemplate"].properties["LaunchTemplateData"]
    assert lt["MetadataOptions"]["HttpTokens"] == "required"
    assert all(b["Ebs"]["Encrypted"] for b in lt["BlockDeviceMappings"])
    assert "KeyName" not in lt
    eks = _design("eks-platform", "prod")
    assert (
        eks["NodeLaunchTemplate"].properties["LaunchTemplateData"]["MetadataOptions"]["HttpTokens"]
        == "required"
    )
    cluster = eks["EksCluster"].properties
    assert cluster["ResourcesVpcConfig"]["EndpointPublicAccess"] is False
    assert cluster["EncryptionConfig"][0]["Resources"] == ["secrets"]


def test_tls_everywhere_on_the_edge():
    d = _design("three-tier-fargate", "prod")
    https = d["HttpsListener"].properties
    assert https["Protocol"] == "HTTPS" and https["SslPolicy"].startswith("ELBSecurityPolicy-TLS13")
    assert d["HttpListener"].properties["DefaultActions"][0]["Type"] == "redirect"
    cfg = d["AppDistribution"].properties["DistributionConfig"]
    assert cfg["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert cfg["Origins"][0]["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert d["CacheReplicationGroup"].properties["TransitEncryptionEnabled"] is True
    assert d["DatabaseClusterParameters"].properties["Parameters"]["rds.force_ssl"] == "1"


def test_kms_key_rotates_and_data_stores_use_it_in_prod():
    d = _design("three-tier-fargate", "prod")
    assert d["DataKey"].properties["EnableKeyRotation"] is True
    key = {"Fn::GetAtt": ["DataKey", "Arn"]}
    assert d["DatabaseCluster"].properties["KmsKeyId"] == key
    assert d["CacheReplicationGroup"].properties["KmsKeyId"] == key
    assert d["VpcFlowLogGroup"].properties["KmsKeyId"] == key


def test_every_resource_records_its_sizing_with_sources():
    d = _design("well-architected-foundation", "prod")
    sized = [r for r in d.resources if r.metadata.get("sizing")]
    assert {"Service", "Database", "CacheReplicationGroup", "LoadBalancer", "NatGatewayA"} <= {
        r.logical_id for r in sized
    }
    for r in sized:
        for note in r.metadata["sizing"]:
            assert note["rule"] and note["source"], r.logical_id


def test_observability_alarms_cover_the_tiers():
    d = _design("three-tier-fargate", "prod")
    alarms = {r.properties["MetricName"] for r in d.by_type("AWS::CloudWatch::Alarm")}
    assert {
        "HTTPCode_ELB_5XX_Count",
        "TargetResponseTime",
        "CPUUtilization",
        "DatabaseMemoryUsagePercentage",
    } <= alarms
    for r in d.by_type("AWS::CloudWatch::Alarm"):
        assert r.properties["AlarmActions"] == [{"Ref": "AlarmTopic"}]
