"""Classic Load Balancer: hours + GB of data processed (no LCUs)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (UsageKey("monthly_data_processed_gb", "GB", "Monthly data processed by a Classic Load Balancer"),)


@cost_model("AWS::ElasticLoadBalancing::LoadBalancer", service="AWSELB", usage=USAGE)
def classic_load_balancer(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Every Classic Load Balancer is billed per hour (or part) and per GB it processes."""
    return [
        charge(
            "Classic load balancer",
            ctx.hours,
            "hours",
            ctx.q("AWSELB", productFamily="Load Balancer", usagetype="re:(^|-)LoadBalancerUsage$"),
        ),
        charge(
            "Data processed",
            ctx.num("monthly_data_processed_gb"),
            "GB",
            ctx.q("AWSELB", productFamily="Load Balancer", usagetype="re:(^|-)DataProcessing-Bytes$"),
            "monthly_data_processed_gb",
        ),
    ]
