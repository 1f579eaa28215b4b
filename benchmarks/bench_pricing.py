"""Pricing benchmark: estimates per second for every pattern's design and a 200-resource template.

Baseline (measured side by side in the same run): a naive pricer that re-reads and re-parses the
whole price catalogue (YAML) for every estimate — what a pricer without a loaded, indexed catalogue
does. The engine keeps the parsed snapshot in memory, indexes rows by (service, region) and caches
resolved queries within an estimate.

    .venv/bin/python benchmarks/bench_pricing.py [--seconds 1.0] [--markdown]

Results are recorded in docs/benchmarks.md. Tests never assert timings.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable

from cloudwright.design.model import Design, Placement, Resource
from cloudwright.pricing.catalog import builtin_rows, load_catalog
from cloudwright.pricing.engine import PricingOptions, price_design

#: (type, properties, usage) cycled to build the synthetic template.
_MIX: list[tuple[str, dict, dict]] = [
    (
        "AWS::Lambda::Function",
        {"MemorySize": 512},
        {"monthly_requests": 5_000_000, "request_duration_ms": 120},
    ),
    (
        "AWS::DynamoDB::Table",
        {"BillingMode": "PAY_PER_REQUEST"},
        {"monthly_write_request_units": 1e6, "monthly_read_request_units": 5e6, "storage_gb": 10},
    ),
    ("AWS::SQS::Queue", {}, {"monthly_requests": 2_000_000}),
    ("AWS::SNS::Topic", {}, {"monthly_requests": 1_000_000}),
    (
        "AWS::S3::Bucket",
        {},
        {"storage_gb": 500, "monthly_tier_1_requests": 1e5, "monthly_tier_2_requests": 1e6},
    ),
    ("AWS::EC2::NatGateway", {}, {"monthly_data_processed_gb": 100}),
    ("AWS::EC2::Instance", {"InstanceType": "t3.medium"}, {}),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", {"Type": "application"}, {"processed_bytes_gb": 1}),
    ("AWS::ApiGatewayV2::Api", {"ProtocolType": "HTTP"}, {"monthly_requests": 10_000_000}),
    ("AWS::Logs::LogGroup", {}, {"monthly_data_ingested_gb": 5, "storage_gb": 20}),
    ("AWS::CloudWatch::Alarm", {"Period": 60}, {}),
    ("AWS::EC2::SecurityGroup", {}, {}),
    ("AWS::IAM::Role", {}, {}),
]


def synthetic_design(n: int = 200) -> Design:
    resources = []
    for i in range(n):
        cfn_type, props, usage = _MIX[i % len(_MIX)]
        resources.append(
            Resource(
                logical_id=f"R{i:03d}",
                type=cfn_type,
                properties=dict(props),
                usage=dict(usage),
                placement=Placement(region="us-east-1"),
            )
        )
    return Design(name="synthetic-200", resources=resources, assumptions={"data_transfer_out_gb": 500})


def pattern_designs() -> list[Design]:
    from cloudwright.design.build import build_design
    from cloudwright.patterns.catalog import load_patterns
    from cloudwright.requirements import requirements_from_mapping

    req = requirements_from_mapping(
        {
            "name": "bench",
            "application_type": "web_application",
            "expected_users": 100_000,
            "requests_per_second": 200,
        }
    )
    return [build_design(req, pattern_id=pid) for pid in load_patterns()]


def engine(design: Design) -> None:
    price_design(design)


def naive(design: Design) -> None:
    builtin_rows.cache_clear()  # re-read and re-parse every catalogue file for this estimate
    price_design(design, PricingOptions(catalog=load_catalog()))


def rate(fn: Callable[[Design], None], designs: list[Design], seconds: float) -> float:
    """Estimates per second over at least ``seconds`` (whole passes over ``designs``)."""
    fn(designs[0])  # warm-up (imports, registry)
    count, start = 0, time.perf_counter()
    while True:
        for d in designs:
            fn(d)
            count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="minimum time per measurement")
    parser.add_argument(
        "--markdown", action="store_true", help="print a Markdown table for docs/benchmarks.md"
    )
    args = parser.parse_args(argv)

    workloads = [("200-resource template", [synthetic_design()])]
    patterns = pattern_designs()
    if patterns:
        workloads.insert(
            0, (f"{len(patterns)} pattern designs ({sum(len(d) for d in patterns)} resources)", patterns)
        )
    rows = []
    for name, designs in workloads:
        fast = rate(engine, designs, args.seconds)
        slow = rate(naive, designs, args.seconds)
        rows.append((name, fast, slow, fast / slow))
    builtin_rows.cache_clear()
    print(f"python {platform.python_version()} on {platform.machine()} ({platform.system()})")
    if args.markdown:
        print("| Workload | Engine (estimates/s) | Naive baseline (estimates/s) | Speed-up |")
        print("|---|---:|---:|---:|")
        for name, fast, slow, ratio in rows:
            print(f"| {name} | {fast:,.1f} | {slow:,.1f} | {ratio:.1f}x |")
    else:
        for name, fast, slow, ratio in rows:
            print(f"{name}: engine {fast:,.1f} estimates/s, naive baseline {slow:,.1f}/s, ratio {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
