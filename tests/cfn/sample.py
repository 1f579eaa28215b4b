"""A small hand-built design used by the CloudFormation and deploy tests (independent of the patterns)."""

from __future__ import annotations

import json

from cloudwright.design.model import Design, Placement, Resource

HANDLER = """import json
import os


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"table": os.environ["TABLE_NAME"]})}
"""


def sample_design(environment: str = "prod") -> Design:
    d = Design(name="shop", description="Sample shop backend", region="us-east-1", environment=environment)
    d.assumptions["data_transfer_out_gb"] = 10

    def add(logical_id: str, type_: str, props: dict, **kw) -> Resource:
        return d.add(
            Resource(
                logical_id=logical_id,
                type=type_,
                properties=props,
                placement=Placement(**kw.pop("placement", {})),
                **kw,
            )
        )

    add(
        "DataKey",
        "AWS::KMS::Key",
        {
            "Description": "Data at rest",
            "EnableKeyRotation": True,
            "KeyPolicy": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AccountAdmin",
                        "Effect": "Allow",
                        "Principal": {
                            "AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
                        },
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            },
        },
        usage={"monthly_requests": 10000},
        attributes={"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"},
    )
    add(
        "OrdersTable",
        "AWS::DynamoDB::Table",
        {
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": {"Ref": "DataKey"}},
            "DeletionProtectionEnabled": environment == "prod",
        },
        usage={
            "monthly_write_request_units": 1000000,
            "monthly_read_request_units": 5000000,
            "storage_gb": 2.5,
        },
        metadata={"label": "Orders table", "role": "database"},
        attributes={"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"},
    )
    add(
        "OrdersDlq",
        "AWS::SQS::Queue",
        {"KmsMasterKeyId": {"Ref": "DataKey"}, "MessageRetentionPeriod": 1209600},
    )
    add(
        "OrdersQueue",
        "AWS::SQS::Queue",
        {
            "KmsMasterKeyId": {"Ref": "DataKey"},
            "VisibilityTimeout": 60,
            "RedrivePolicy": {
                "deadLetterTargetArn": {"Fn::GetAtt": ["OrdersDlq", "Arn"]},
                "maxReceiveCount": 3,
            },
        },
        usage={"monthly_requests": 2000000},
    )
    add(
        "OrdersTopic",
        "AWS::SNS::Topic",
        {
            "KmsMasterKeyId": {"Ref": "DataKey"},
            "Subscription": [{"Protocol": "sqs", "Endpoint": {"Fn::GetAtt": ["OrdersQueue", "Arn"]}}],
        },
    )
    add(
        "AssetsBucket",
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {
                        "ServerSideEncryptionByDefault": {
                            "SSEAlgorithm": "aws:kms",
                            "KMSMasterKeyID": {"Ref": "DataKey"},
                        }
                    }
                ]
            },
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "VersioningConfiguration": {"Status": "Enabled"},
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        },
        usage={"storage_gb": 50},
        placement={"tier": "regional"},
    )
    add(
        "AssetsBucketPolicy",
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": "AssetsBucket"},
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "DenyInsecureTransport",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [
                            {"Fn::GetAtt": ["AssetsBucket", "Arn"]},
                            {"Fn::Sub": "${AssetsBucket.Arn}/*"},
                        ],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            },
        },
    )
    add(
        "ApiFunctionLogs",
        "AWS::Logs::LogGroup",
        {"RetentionInDays": 30, "KmsKeyId": {"Fn::GetAtt": ["DataKey", "Arn"]}},
    )
    add(
        "ApiFunctionRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "Policies": [
                {
                    "PolicyName": "table-access",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                                "Resource": {"Fn::GetAtt": ["OrdersTable", "Arn"]},
                            },
                            {
                                "Effect": "Allow",
                                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                "Resource": {"Fn::GetAtt": ["ApiFunctionLogs", "Arn"]},
                            },
                        ],
                    },
                }
            ],
        },
        placement={"tier": "global"},
    )
    add(
        "ApiFunction",
        "AWS::Lambda::Function",
        {
            "Runtime": "python3.12",
            "Handler": "index.handler",
            "Role": {"Fn::GetAtt": ["ApiFunctionRole", "Arn"]},
            "MemorySize": 256,
            "Timeout": 10,
            "TracingConfig": {"Mode": "Active"},
            "LoggingConfig": {"LogGroup": {"Ref": "ApiFunctionLogs"}},
            "Environment": {"Variables": {"TABLE_NAME": {"Ref": "OrdersTable"}}},
            "Code": {"ZipFile": HANDLER},
        },
        usage={"monthly_requests": 3000000, "request_duration_ms": 120},
        depends_on=["ApiFunctionLogs", "ApiFunctionRole"],
    )
    d.connect("ApiFunction", "OrdersTable", "data", "read/write")
    d.connect("OrdersTopic", "OrdersQueue", "event", "fan-out")
    d.resources.sort(key=lambda r: r.logical_id)
    return d


FOREIGN_YAML = """AWSTemplateFormatVersion: "2010-09-09"
Description: hand-written template with short tags
Parameters:
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  DbClass:
    Type: String
    Default: db.t4g.micro
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  PublicRt:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PublicRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PublicRt
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  PublicA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  PublicAAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PublicA
      RouteTableId: !Ref PublicRt
  DataA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.20.0/24
  DataB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.21.0/24
  DbSubnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: data subnets
      SubnetIds: [!Ref DataA, !Ref DataB]
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      VpcId: !Ref Vpc
  Db:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      Engine: postgres
      DBInstanceClass: !Ref DbClass
      AllocatedStorage: "20"
      MultiAZ: !If [IsProd, true, false]
      DBSubnetGroupName: !Ref DbSubnets
      VPCSecurityGroups: [!GetAtt DbSg.GroupId]
      ManageMasterUserPassword: true
      MasterUsername: app
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internet-facing
      Subnets: [!Ref PublicA]
      Name: !Sub "${AWS::StackName}-alb"
  Notes:
    Type: AWS::SSM::Parameter
    DependsOn: Db
    Properties:
      Type: String
      Value: !Sub "postgres://${Db.Endpoint.Address}:5432 on ${Alb}"
      Description: !Join ["-", [a, !Select [0, !GetAZs ""]]]
Outputs:
  DbEndpoint:
    Value: !GetAtt [Db, Endpoint.Address]
"""


def foreign_json() -> str:
    return json.dumps(
        {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": {
                "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 30}},
                "Fn": {
                    "Type": "AWS::Lambda::Function",
                    "Properties": {
                        "Runtime": "python3.12",
                        "Handler": "index.handler",
                        "Role": "arn:aws:iam::123456789012:role/x",
                        "Code": {"ZipFile": "def handler(e, c):\n    return 1\n"},
                    },
                },
                "Mapping": {
                    "Type": "AWS::Lambda::EventSourceMapping",
                    "Properties": {
                        "EventSourceArn": {"Fn::GetAtt": ["Queue", "Arn"]},
                        "FunctionName": {"Ref": "Fn"},
                    },
                },
            },
        },
        indent=2,
    )
