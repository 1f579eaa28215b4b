"""Review behaviour on shapes taken from public sample templates: severities and compliance evidence."""

from __future__ import annotations

from cloudwright.design.cfn_import import import_template
from cloudwright.review.engine import review_design
from cloudwright.review.model import Severity

from .conftest import FIXTURES, TODAY


def _findings(path, **kw):
    review = review_design(import_template(path), None, cost_deltas=False, today=TODAY, **kw)
    return review, {(f.check_id, f.resource): f for f in review.findings}


def test_ssh_open_on_a_group_used_only_by_a_load_balancer_is_low_not_critical():
    _, found = _findings(FIXTURES / "SEC-SG-001" / "fail.yaml")
    lb_only = found[("SEC-SG-001", "LbOnlyGroup")]
    assert lb_only.severity is Severity.LOW
    assert "ElasticLoadBalancer" in lb_only.message and "remove the rule" in lb_only.message
    for other in ("Ssh", "InstanceSecurityGroup", "OddZeroRange", "RdpRule"):
        assert found[("SEC-SG-001", other)].severity is Severity.CRITICAL, other
    assert "192.168.1.0/0" in found[("SEC-SG-001", "OddZeroRange")].message


def test_a_load_balancer_that_listens_on_the_admin_port_keeps_the_finding_critical(tmp_path):
    text = (FIXTURES / "SEC-SG-001" / "fail.yaml").read_text()
    text = text.replace(
        "      - LoadBalancerPort: '80'\n        InstancePort: '80'\n        Protocol: HTTP\n",
        "      - LoadBalancerPort: '22'\n        InstancePort: '22'\n        Protocol: TCP\n",
    )
    path = tmp_path / "t.yaml"
    path.write_text(text)
    _, found = _findings(path)
    assert found[("SEC-SG-001", "LbOnlyGroup")].severity is Severity.CRITICAL


TRAILLESS = """
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: arn:aws:s3:::flow-logs
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: '20'
      StorageEncrypted: true
      ManageMasterUserPassword: true
      MasterUsername: app
"""

TRAIL = """
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: trail-bucket
"""


def _control(review, framework, control_id):
    for fw in review.compliance:
        if fw.framework == framework:
            for c in fw.controls:
                if c.id == control_id:
                    return c
    raise AssertionError(f"{framework} {control_id} not evaluated")


def test_hipaa_audit_controls_need_a_trail_in_the_template():
    without, _ = _findings(TRAILLESS, compliance=["HIPAA"])
    audit = _control(without, "HIPAA", "164.312(b)")
    assert audit.status == "unknown"
    assert "AWS::CloudTrail::Trail" in audit.evidence
    with_trail, _ = _findings(TRAILLESS + TRAIL, compliance=["HIPAA"])
    assert _control(with_trail, "HIPAA", "164.312(b)").status == "met"


def test_pci_3_5_is_never_met_from_disk_encryption_alone():
    review, _ = _findings(TRAILLESS, compliance=["PCI-DSS"])
    pan = _control(review, "PCI-DSS", "3.5")
    assert pan.status == "unknown"
    assert "3.5.1.2" in pan.evidence and "tokenisation" in pan.evidence
    unencrypted, _ = _findings(
        TRAILLESS.replace("StorageEncrypted: true", "StorageEncrypted: false"), compliance=["PCI-DSS"]
    )
    assert _control(unencrypted, "PCI-DSS", "3.5").status == "not met"


def test_http_api_access_log_settings_are_read():
    text = """
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: api
      ProtocolType: HTTP
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 30
  Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: $default
      AutoDeploy: true
      AccessLogSettings:
        DestinationArn: !GetAtt Logs.Arn
        Format: '$context.requestId'
"""
    review, found = _findings(text, compliance=["SOC2", "GDPR"])
    assert ("OPS-APIGW-001", "Stage") not in found
    assert any(r.check_id == "OPS-APIGW-001" and r.status.value == "pass" for r in review.results)


def test_sam_functions_are_reviewed_after_the_transform():
    _, found = _findings(FIXTURES / "OPS-LAMBDA-001" / "fail.yaml")
    assert "dotnet6" in found[("OPS-LAMBDA-001", "DotnetApi")].message
