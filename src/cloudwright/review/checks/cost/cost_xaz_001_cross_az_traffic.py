"""COST-XAZ-001: cross-AZ traffic between the application and data tiers."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.facts import services
from cloudwright.review.registry import check
from cloudwright.units import unit_price
from cloudwright.units import usd as dollars

#: Report when the estimated cross-AZ charge reaches this many USD per month.
THRESHOLD_USD = Decimal(10)
VPC_DATA_TYPES = ("AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::ElastiCache::ReplicationGroup")


def cross_az_monthly(ctx: ReviewContext, n_azs: int) -> tuple[Decimal, Decimal] | None:
    """(GB per month, USD per month) crossing AZs between app and data tiers, from the requirements."""
    req = ctx.requirements
    if req is None or n_azs < 2:
        return None
    rate = Decimal(services()["rates"]["cross_az_usd_per_gb_each_way"])
    kb = Decimal(str(req.avg_request_kb + req.avg_response_kb))
    requests = Decimal(str(req.requests_per_month)) * Decimal(str(ctx.load_factor))
    share = Decimal(n_azs - 1) / Decimal(n_azs)
    gb = requests * kb / Decimal(1024 * 1024) * share
    return gb, gb * rate * 2


@check(
    id="COST-XAZ-001",
    title="Cross-AZ traffic between tiers is small",
    severity="low",
    rationale="Traffic between AZs costs $0.01/GB in each direction. With the app spread over n AZs and one "
    "primary database, (n-1)/n of every request's database traffic crosses an AZ boundary.",
    remediation="Keep the multi-AZ design (reliability first) but cut the traffic that crosses: cache reads "
    "in "
    "each AZ, read from same-AZ replicas, compress payloads.",
    references=[
        "COST08-BP02",
        "COST08-BP03",
        "https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer_within_the_same_AWS_Region",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    if not ctx.resources(*VPC_DATA_TYPES):
        return
    got = cross_az_monthly(ctx, len(ctx.design_azs()))
    if got is None:
        return
    gb, usd = got
    if usd >= THRESHOLD_USD:
        yield ctx.fail(
            "design",
            f"≈{gb:,.0f} GB/month crosses AZs between the app and data tiers ≈ {dollars(usd)}/month "
            f"at {unit_price(services()['rates']['cross_az_usd_per_gb_each_way'])}/GB each way",
            cost_note=f"current cross-AZ charge ≈ {dollars(usd)}/month; savings depend on the fix",
        )
    else:
        yield ctx.ok("design")
