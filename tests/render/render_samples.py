"""A small hand-made design (VPC, ALB, Fargate, Aurora, Lambda, S3 + CloudFront) and its result."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Design, Edge, Placement, Resource
from cloudwright.patterns.model import ComponentRef, Pattern, Serves
from cloudwright.patterns.recommend import Alternative, Flip, Recommendation
from cloudwright.pricing.model import Estimate, LineItem, ResourceEstimate

AZS = ["us-east-1a", "us-east-1b"]


def _r(
    logical_id: str,
    type_: str,
    props: dict | None = None,
    *,
    tier: str = "regional",
    vpc: str | None = None,
    azs: list[str] | None = None,
    usage: dict | None = None,
    label: str | None = None,
) -> Resource:
    return Resource(
        logical_id=logical_id,
        type=type_,
        properties=props or {},
        usage=usage or {},
        placement=Placement(region="us-east-1", vpc=vpc, azs=azs or [], tier=tier),  # type: ignore[arg-type]
        metadata={"label": label or logical_id, "rationale": f"{logical_id} rationale"},
    )


def sample_design() -> Design:
    res = [
        _r("Vpc", "AWS::EC2::VPC", {"CidrBlock": "10.0.0.0/16"}),
        _r(
            "PublicSubnetA",
            "AWS::EC2::Subnet",
            {"CidrBlock": "10.0.1.0/24", "VpcId": {"Ref": "Vpc"}},
            tier="public",
            vpc="Vpc",
            azs=AZS[:1],
        ),
        _r(
            "PublicSubnetB",
            "AWS::EC2::Subnet",
            {"CidrBlock": "10.0.2.0/24", "VpcId": {"Ref": "Vpc"}},
            tier="public",
            vpc="Vpc",
            azs=AZS[1:],
        ),
        _r(
            "DataSubnetA",
            "AWS::EC2::Subnet",
            {"CidrBlock": "10.0.20.0/24", "VpcId": {"Ref": "Vpc"}},
            tier="data",
            vpc="Vpc",
            azs=AZS[:1],
        ),
        _r(
            "NatGatewayA",
            "AWS::EC2::NatGateway",
            {"SubnetId": {"Ref": "PublicSubnetA"}},
            tier="public",
            vpc="Vpc",
            azs=AZS[:1],
            usage={"monthly_data_processed_gb": 10},
        ),
        _r(
            "S3Endpoint",
            "AWS::EC2::VPCEndpoint",
            {
                "ServiceName": {"Fn::Sub": "com.amazonaws.${AWS::Region}.s3"},
                "VpcEndpointType": "Gateway",
                "VpcId": {"Ref": "Vpc"},
            },
            tier="private",
            vpc="Vpc",
        ),
        _r(
            "Alb",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            {"Type": "application", "Scheme": "internet-facing"},
            tier="public",
            vpc="Vpc",
            azs=AZS,
            label="Public ALB",
        ),
        _r(
            "AlbSecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": "alb",
                "SecurityGroupIngress": [
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}
                ],
            },
            vpc="Vpc",
        ),
        _r(
            "AppSecurityGroup",
            "AWS::EC2::SecurityGroup",
            {
                "GroupDescription": "app",
                "SecurityGroupIngress": [
                    {
                        "IpProtocol": "tcp",
                        "FromPort": 8080,
                        "ToPort": 8080,
                        "SourceSecurityGroupId": {"Ref": "AlbSecurityGroup"},
                    }
                ],
            },
            vpc="Vpc",
        ),
        _r(
            "Database",
            "AWS::RDS::DBCluster",
            {"Engine": "aurora-postgresql", "StorageEncrypted": True, "KmsKeyId": {"Ref": "DataKey"}},
            tier="data",
            vpc="Vpc",
            azs=AZS,
            usage={"storage_gb": 20},
        ),
        _r("DataKey", "AWS::KMS::Key", {"EnableKeyRotation": True}),
        _r(
            "Worker",
            "AWS::Lambda::Function",
            {"Runtime": "python3.12", "MemorySize": 512, "Timeout": 10},
            usage={"monthly_requests": 1000000, "request_duration_ms": 100},
        ),
        _r(
            "WorkerRole",
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "lambda.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ]
                },
                "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
            },
        ),
        _r(
            "Assets",
            "AWS::S3::Bucket",
            {
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                    ]
                }
            },
            usage={"storage_gb": None},
        ),
        _r(
            "Cdn",
            "AWS::CloudFront::Distribution",
            {"DistributionConfig": {"PriceClass": "PriceClass_100"}},
            tier="edge",
        ),
        _r("ErrorsAlarm", "AWS::CloudWatch::Alarm", {"MetricName": "Errors"}),
    ]
    d = Design(
        name="shop",
        region="us-east-1",
        environment="prod",
        origin="pattern:three-tier-fargate",
        resources=sorted(res, key=lambda r: r.logical_id),
    )
    d.edges = [
        Edge(source="Cdn", target="Alb", kind="request", label="HTTPS"),
        Edge(source="Alb", target="Worker", kind="request"),
        Edge(source="Worker", target="Database", kind="data", label="SQL"),
        Edge(source="Cdn", target="Assets", kind="request"),
    ]
    d.assumptions = {"requests_per_month": 26280000, "data_transfer_out_gb": 50}
    d.warnings = ["sample warning"]
    return d


def sample_estimate() -> Estimate:
    def li(desc: str, qty: str | None, unit: str, price: str | None, status: str = "priced") -> LineItem:
        q = Decimal(qty) if qty is not None else None
        p = Decimal(price) if price is not None else None
        amount = q * p if (q is not None and p is not None and status == "priced") else None
        return LineItem(
            description=desc,
            quantity=q,
            unit=unit,
            unit_price=p,
            monthly_usd=amount,
            price_source="https://aws.amazon.com/pricing/",
            price_date="2025-06-01",
            status=status,
        )  # type: ignore[arg-type]

    rs = [
        ResourceEstimate(
            logical_id="Alb",
            type="AWS::ElasticLoadBalancingV2::LoadBalancer",
            classification="priced",
            line_items=[li("ALB hours", "730", "hours", "0.0225")],
        ),
        ResourceEstimate(
            logical_id="Database",
            type="AWS::RDS::DBCluster",
            classification="priced",
            line_items=[
                li("Aurora storage", "20", "GB-months", "0.10"),
                li("I/O", None, "1M requests", "0.20", "usage-unknown"),
            ],
        ),
        ResourceEstimate(
            logical_id="NatGatewayA",
            type="AWS::EC2::NatGateway",
            classification="priced",
            line_items=[li("NAT hours", "730", "hours", "0.045")],
        ),
        ResourceEstimate(
            logical_id="Assets",
            type="AWS::S3::Bucket",
            classification="usage-only",
            line_items=[li("Storage", None, "GB-months", "0.023", "usage-unknown")],
        ),
        ResourceEstimate(logical_id="Vpc", type="AWS::EC2::VPC", classification="free"),
    ]
    for r in rs:
        r.monthly_usd = sum((x.monthly_usd or Decimal(0) for x in r.line_items), Decimal(0))
    return Estimate(
        name="shop",
        monthly_usd=sum((r.monthly_usd for r in rs), Decimal(0)),
        resources=rs,
        catalog_date="2025-06-01",
    )


def sample_pattern() -> Pattern:
    return Pattern(
        id="three-tier-fargate",
        name="Modern three-tier on ECS Fargate",
        summary="ALB, Fargate, Aurora and ElastiCache",
        components=[
            ComponentRef(
                builder="alb",
                role="load balancer",
                service="ALB",
                purpose="spread traffic",
                alternative="NLB",
                why="HTTP routing",
            )
        ],
        pros=["proven"],
        cons=["baseline cost"],
        serves=Serves(application_types=["web_application"]),
    )


def sample_recommendation() -> Recommendation:
    return Recommendation(
        pattern=sample_pattern(),
        score=8.5,
        reasons=["fits the load"],
        alternatives=[Alternative("serverless-web", "Serverless web", 5.0, ["loses on latency"])],
        flips=[Flip("expected_users", 20000, 10000, "serverless-web", "at or below")],
    )
