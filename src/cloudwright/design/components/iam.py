"""IAM fragments the builders share: the trust policy that lets an AWS service assume a role, and
managed-policy ARNs."""

from __future__ import annotations

from typing import Any


def trust_policy(service: str) -> dict[str, Any]:
    """The role trust policy letting ``service`` (e.g. ``ec2.amazonaws.com``) assume the role."""
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }


def s3_read_statement(bucket: str, prefix: str) -> dict[str, Any]:
    """Allow listing ``bucket`` and reading the objects under ``prefix/`` (``bucket`` a logical id)."""
    return {
        "Effect": "Allow",
        "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [
            {"Fn::GetAtt": [bucket, "Arn"]},
            {"Fn::Sub": "${" + bucket + ".Arn}/" + prefix + "/*"},
        ],
    }


def managed_policy(name: str) -> dict[str, Any]:
    """The ARN of an AWS managed policy (``AmazonSSMManagedInstanceCore``, ``service-role/...``)."""
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::aws:policy/{name}"}


#: Who assumes an EC2 instance role (the application servers, the GPU fleet, EKS nodes).
EC2_SERVICE = "ec2.amazonaws.com"
