"""Synthetic CloudFormation templates for the scale benchmark (benchmarks/bench_scale.py).

A template of N resources cycles through five groups: an S3 bucket, an SQS queue with a dead-letter
queue (redrive policy by ``Fn::GetAtt``), a DynamoDB table, a Lambda function whose environment uses
``Ref`` and ``Fn::Sub`` on the table and queue, and an EC2 instance. Output is deterministic.

    .venv/bin/python benchmarks/gen_templates.py 1000 > template.yaml
"""

from __future__ import annotations

import sys
from typing import Any


def _group(i: int) -> dict[str, Any]:
    return {
        f"Bucket{i}": {
            "Type": "AWS::S3::Bucket",
            "Properties": {"BucketName": {"Fn::Sub": f"data-{i}-${{AWS::AccountId}}"}},
        },
        f"Dlq{i}": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 1209600}},
        f"Queue{i}": {
            "Type": "AWS::SQS::Queue",
            "Properties": {
                "VisibilityTimeout": 60,
                "RedrivePolicy": {
                    "deadLetterTargetArn": {"Fn::GetAtt": [f"Dlq{i}", "Arn"]},
                    "maxReceiveCount": 5,
                },
            },
        },
        f"Table{i}": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            },
        },
        f"Function{i}": {
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "Runtime": "python3.12",
                "Handler": "app.handler",
                "MemorySize": 512,
                "Timeout": 30,
                "Role": {"Fn::GetAtt": ["FunctionRole", "Arn"]},
                "Code": {"ZipFile": "def handler(event, context):\n    return event\n"},
                "Environment": {
                    "Variables": {
                        "TABLE": {"Ref": f"Table{i}"},
                        "QUEUE_URL": {"Ref": f"Queue{i}"},
                        "BUCKET_ARN": {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::${{Bucket{i}}}/*"},
                    }
                },
            },
        },
        f"Instance{i}": {
            "Type": "AWS::EC2::Instance",
            "Properties": {"InstanceType": "t3.micro", "ImageId": "ami-0123456789abcdef0"},
        },
    }


def template(n: int) -> dict[str, Any]:
    """A template of exactly ``n`` resources (one shared IAM role, then six-resource groups)."""
    resources: dict[str, Any] = {
        "FunctionRole": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            },
        }
    }
    i = 0
    while len(resources) < n:
        for key, value in _group(i).items():
            if len(resources) < n:
                resources[key] = value
        i += 1
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"synthetic benchmark template, {n} resources",
        "Resources": resources,
    }


def write(n: int, path: str) -> None:
    import yaml

    with open(path, "w", encoding="utf-8") as fh:
        yaml.dump(template(n), fh, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False)


if __name__ == "__main__":
    import yaml

    yaml.safe_dump(template(int(sys.argv[1])), sys.stdout, sort_keys=False)
