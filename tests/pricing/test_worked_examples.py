"""Worked examples printed by AWS (or derived from the AWS Price List) reproduced to the cent.

Each test cites its source. Where a page's example uses an older rounded price (e.g. Lambda's
$0.00001667 per GB-s) the test applies that price through a price book, as a user would.
"""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Design, Resource
from cloudwright.pricing.engine import PricingOptions, price_design
from cloudwright.pricing.pricebook import parse_price_book
from cloudwright.units import round_money


def _cost(resource: Resource, **options: object) -> Decimal:
    est = price_design(Design(resources=[resource]), PricingOptions(**options))  # type: ignore[arg-type]
    value = est.resource_cost(resource.logical_id)
    assert value is not None
    return round_money(value)


def _lines(resource: Resource, **options: object) -> dict[str, Decimal]:
    est = price_design(Design(resources=[resource]), PricingOptions(**options))  # type: ignore[arg-type]
    return {
        li.description: round_money(li.monthly_usd)
        for li in est.resources[0].line_items
        if li.monthly_usd is not None
    }


def test_lambda_pricing_page_example_1() -> None:
    """https://aws.amazon.com/lambda/pricing/ Example 1 (page version with $0.00001667 per GB-s):
    512 MB, 3M invocations of 1 s; free tier 400,000 GB-s and 1M requests → $18.34 + $0.40 = $18.74."""
    book = parse_price_book(
        {
            "name": "lambda-page-example",
            "overrides": [
                {
                    "sku": "lambda-duration-x86",
                    "price": "0.00001667",
                    "source": "Lambda pricing page example 1",
                }
            ],
        }
    )
    fn = Resource(
        logical_id="Fn",
        type="AWS::Lambda::Function",
        properties={"MemorySize": 512},
        usage={"monthly_requests": 3_000_000, "request_duration_ms": 1000},
    )
    lines = _lines(fn, free_tier="always-free", price_book=book)
    assert lines["Duration (512 MB, x86)"] + lines[
        "Free tier: Lambda compute (GB-seconds, x86 and Arm combined) (always free)"
    ] == Decimal("18.34")
    assert _cost(fn, free_tier="always-free", price_book=book) == Decimal("18.74")


def test_fargate_vcpu_month() -> None:
    """infracost ECS golden (AWS Price List, 2025-07-04): $29.55 per vCPU-month = $0.000011244/s x 730 h."""
    td = Resource(
        logical_id="Td", type="AWS::ECS::TaskDefinition", properties={"Cpu": "1024", "Memory": "2048"}
    )
    svc = Resource(
        logical_id="Svc",
        type="AWS::ECS::Service",
        properties={"LaunchType": "FARGATE", "DesiredCount": 1, "TaskDefinition": {"Ref": "Td"}},
    )
    est = price_design(Design(resources=[td, svc]))
    svc_est = next(r for r in est.resources if r.logical_id == "Svc")
    vcpu = next(li for li in svc_est.line_items if li.description.startswith("Fargate vCPU"))
    assert round_money(vcpu.monthly_usd) == Decimal("29.55")  # type: ignore[arg-type]


def test_step_functions_standard_free_tier() -> None:
    """Rates from https://aws.amazon.com/step-functions/pricing/ ($0.025 per 1,000 transitions, 4,000 free
    per month); the arithmetic is ours: 100,000 transitions → (100,000 - 4,000) x $0.000025 = $2.40."""
    sm = Resource(
        logical_id="Sm", type="AWS::StepFunctions::StateMachine", usage={"monthly_transitions": 100_000}
    )
    assert _cost(sm, free_tier="always-free") == Decimal("2.40")
    assert _cost(sm) == Decimal("2.50")


def test_step_functions_express_page_example() -> None:
    """https://aws.amazon.com/step-functions/pricing/ Express example (read through the mdsite.deno.dev
    mirror): 100M workflows of 10 s at 64 MB billed memory → requests $100.00; 17,361.11 GB-hours →
    $60.00 + $120.00 + $202.97 = $382.97; total $482.97."""
    sm = Resource(
        logical_id="Express",
        type="AWS::StepFunctions::StateMachine",
        properties={"StateMachineType": "EXPRESS"},
        usage={"monthly_requests": 100_000_000, "workflow_duration_ms": 10_000, "memory_mb": 64},
    )
    lines = _lines(sm)
    assert lines["Requests (Express)"] == Decimal("100.00")
    duration = [v for k, v in lines.items() if k.startswith("Duration")]
    assert duration == [Decimal("60.00"), Decimal("120.00"), Decimal("202.97")]
    assert _cost(sm) == Decimal("482.97")


def test_api_gateway_http_tiers() -> None:
    """Rates from https://aws.amazon.com/api-gateway/pricing/ (HTTP APIs $1.00/M for the first 300M,
    $0.90/M above); the arithmetic is ours: 1.5B requests → $300 + $1,080 = $1,380, not $1,500."""
    api = Resource(
        logical_id="Api",
        type="AWS::ApiGatewayV2::Api",
        properties={"ProtocolType": "HTTP"},
        usage={"monthly_requests": 1_500_000_000},
    )
    assert _cost(api) == Decimal("1380.00")


def test_infracost_price_list_figures() -> None:
    """Monthly figures in infracost's golden outputs (AWS Price List API, us-east-1, 730 h)."""
    cases = [
        (
            Resource(logical_id="Nat", type="AWS::EC2::NatGateway", usage={"monthly_data_processed_gb": 0}),
            "32.85",
        ),
        (Resource(logical_id="Ip", type="AWS::EC2::EIP"), "3.65"),
        (
            Resource(
                logical_id="Alb",
                type="AWS::ElasticLoadBalancingV2::LoadBalancer",
                usage={"new_connections": 0},
            ),
            "16.43",
        ),
        (
            Resource(
                logical_id="Vm",
                type="AWS::EC2::Instance",
                properties={"InstanceType": "t3.micro", "BlockDeviceMappings": []},
            ),
            None,
        ),
        (
            Resource(
                logical_id="Ks",
                type="AWS::Kinesis::Stream",
                properties={"ShardCount": 4},
                usage={"monthly_put_records": 0},
            ),
            "43.80",
        ),
        (
            Resource(
                logical_id="Db",
                type="AWS::RDS::DBInstance",
                properties={"Engine": "mysql", "DBInstanceClass": "db.t3.micro"},
                usage={"storage_gb": 0},
            ),
            "12.41",
        ),
        (
            Resource(
                logical_id="Db2",
                type="AWS::RDS::DBInstance",
                properties={"Engine": "mysql", "DBInstanceClass": "db.m5.large"},
                usage={"storage_gb": 0},
            ),
            "124.83",
        ),
    ]
    for resource, expected in cases:
        if expected is not None:
            assert _cost(resource) == Decimal(expected), resource.logical_id
    t3 = _lines(cases[3][0])
    assert t3["t3.micro Linux on-demand (1 instance)"] == Decimal("7.59")


def test_dynamodb_on_demand_after_november_2024_cut() -> None:
    """infracost DynamoDB golden (2024-11-15): 3M WRU → $1.88, 8M RRU → $1.00."""
    table = Resource(
        logical_id="T",
        type="AWS::DynamoDB::Table",
        properties={"BillingMode": "PAY_PER_REQUEST"},
        usage={
            "monthly_write_request_units": 3_000_000,
            "monthly_read_request_units": 8_000_000,
            "storage_gb": 0,
        },
    )
    lines = _lines(table)
    assert lines["Write request units (on-demand)"] == Decimal("1.88")
    assert lines["Read request units (on-demand)"] == Decimal("1.00")


def test_dynamodb_provisioned_capacity() -> None:
    """infracost golden: 20 WCU → $9.49 and 30 RCU → $2.85 per 730 h."""
    table = Resource(
        logical_id="T",
        type="AWS::DynamoDB::Table",
        properties={"ProvisionedThroughput": {"ReadCapacityUnits": 30, "WriteCapacityUnits": 20}},
        usage={"storage_gb": 0},
    )
    lines = _lines(table)
    assert lines["Write capacity (20 WCU provisioned)"] == Decimal("9.49")
    assert lines["Read capacity (30 RCU provisioned)"] == Decimal("2.85")


def test_aurora_serverless_v2_and_instances() -> None:
    """aws/agent-toolkit-for-aws: Aurora Serverless v2 $0.12/ACU-h; infracost: db.t3.medium $59.86/730 h."""
    cluster = Resource(
        logical_id="C",
        type="AWS::RDS::DBCluster",
        properties={"Engine": "aurora-postgresql"},
        usage={"storage_gb": 0, "monthly_standard_io_requests": 0},
    )
    acu = Resource(
        logical_id="S",
        type="AWS::RDS::DBInstance",
        usage={"capacity_units_per_hr": 1},
        properties={
            "Engine": "aurora-postgresql",
            "DBInstanceClass": "db.serverless",
            "DBClusterIdentifier": {"Ref": "C"},
        },
    )
    inst = Resource(
        logical_id="I",
        type="AWS::RDS::DBInstance",
        properties={
            "Engine": "aurora-postgresql",
            "DBInstanceClass": "db.t3.medium",
            "DBClusterIdentifier": {"Ref": "C"},
        },
    )
    est = price_design(Design(resources=[cluster, acu, inst]))
    assert round_money(est.resource_cost("S")) == Decimal("87.60")  # type: ignore[arg-type]
    assert round_money(est.resource_cost("I")) == Decimal("59.86")  # type: ignore[arg-type]
