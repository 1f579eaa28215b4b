"""Route 53 hosted zone: monthly zone charge + standard, latency-based and geo DNS queries."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, global_ctx

USAGE = (
    UsageKey(
        "monthly_standard_queries",
        "queries/month",
        "Standard DNS queries (alias queries to AWS resources are free)",
    ),
    UsageKey("monthly_latency_based_queries", "queries/month", "Latency-based routing queries"),
    UsageKey("monthly_geo_queries", "queries/month", "Geo DNS and geoproximity queries"),
)


@cost_model("AWS::Route53::HostedZone", service="AmazonRoute53", usage=USAGE)
def hosted_zone(r: Resource, ctx: ModelContext) -> list[Charge]:
    """The zone tier ($0.50 first 25 zones) is applied per zone."""
    ctx = global_ctx(ctx)  # Route 53 is a global service
    svc = "AmazonRoute53"
    out = [charge("Hosted zone", Decimal(1), "zones", ctx.q(svc, usagetype="re:(^|-)HostedZone$"))]
    out.append(
        charge(
            "Standard queries",
            ctx.num("monthly_standard_queries"),
            "queries",
            ctx.q(svc, routingType="Standard"),
            "monthly_standard_queries",
        )
    )
    for key, routing, label in (
        ("monthly_latency_based_queries", "Latency Based Routing", "Latency-based routing queries"),
        ("monthly_geo_queries", "Geo DNS", "Geo DNS queries"),
    ):
        value = ctx.num(key)
        if value is not None:
            out.append(charge(label, value, "queries", ctx.q(svc, routingType=routing), key))
    return out
