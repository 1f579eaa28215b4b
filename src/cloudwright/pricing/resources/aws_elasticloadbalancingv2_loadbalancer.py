"""Application / Network Load Balancer: hours + LCU-hours (the highest of the LCU dimensions)."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit

USAGE = (
    UsageKey("new_connections", "per second", "New connections (or flows) per second"),
    UsageKey("active_connections", "per minute", "Active connections (or flows) per minute"),
    UsageKey("processed_bytes_gb", "GB per hour", "Data processed per hour"),
    UsageKey("rule_evaluations", "per second", "Rule evaluations per second (ALB)"),
)

#: LCU dimensions (https://aws.amazon.com/elasticloadbalancing/pricing/): one ALB LCU = 25 new
#: connections/s, 3,000 active connections/min, 1 GB/hour, 1,000 rule evaluations/s; one NLB NLCU
#: (TCP) = 800 new flows/s, 100,000 active flows/min, 1 GB/hour.
ALB_LCU = {
    "new_connections": 25,
    "active_connections": 3000,
    "processed_bytes_gb": 1,
    "rule_evaluations": 1000,
}
NLB_LCU = {"new_connections": 800, "active_connections": 100000, "processed_bytes_gb": 1}


@cost_model("AWS::ElasticLoadBalancingV2::LoadBalancer", service="AWSELB", usage=USAGE)
def load_balancer(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Type application (default) or network; gateway load balancers are priced as unknown."""
    kind = str(lit(ctx, r.prop("Type"), "application"))
    family = {"application": "Load Balancer-Application", "network": "Load Balancer-Network"}.get(
        kind, f"Load Balancer-{kind.title()}"
    )
    dims = ALB_LCU if kind == "application" else NLB_LCU
    known = {k: ctx.num(k) for k in dims}
    lcus: Decimal | None = None
    if any(v is not None for v in known.values()):
        lcus = max((v / Decimal(dims[k]) for k, v in known.items() if v is not None), default=Decimal(0))
    unit = "LCU" if kind == "application" else "NLCU"
    return [
        charge(
            f"{kind.title()} load balancer",
            ctx.hours,
            "hours",
            ctx.q("AWSELB", productFamily=family, usagetype="re:(^|-)LoadBalancerUsage$"),
        ),
        charge(
            f"{unit}-hours" + (f" ({_fmt(lcus)} {unit} average)" if lcus is not None else ""),
            None if lcus is None else lcus * ctx.hours,
            f"{unit}-hours",
            ctx.q("AWSELB", productFamily=family, usagetype="re:(^|-)LCUUsage$"),
            *dims.keys(),
        ),
    ]


def _fmt(value: Decimal) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"
