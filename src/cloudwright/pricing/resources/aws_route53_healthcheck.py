"""Route 53 health check."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.errors import InputError
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, global_ctx

USAGE = (
    UsageKey(
        "endpoint_type",
        "name",
        "Endpoint checked: aws (default; an AWS resource) or non_aws (priced differently)",
        type="string",
    ),
)

#: infracost ``endpoint_type`` → Route 53 usage type of the health check.
_ENDPOINTS = {"aws": "Health-Check-AWS", "non_aws": "Health-Check-NonAWS"}


@cost_model("AWS::Route53::HealthCheck", service="AmazonRoute53", usage=USAGE)
def health_check(r: Resource, ctx: ModelContext) -> list[Charge]:
    """One basic health check per month, of an AWS endpoint unless ``endpoint_type`` says non_aws."""
    endpoint = str(ctx.usage.get("endpoint_type") or "aws")
    if endpoint not in _ENDPOINTS:
        raise InputError(
            "invalid endpoint_type usage value",
            field=f"{r.logical_id}.endpoint_type",
            value=endpoint,
            allowed=sorted(_ENDPOINTS),
        )
    ctx = global_ctx(ctx)  # Route 53 is a global service
    return [
        charge(
            "Health check" + (" (non-AWS endpoint)" if endpoint == "non_aws" else ""),
            Decimal(1),
            "health checks",
            ctx.q("AmazonRoute53", usagetype=f"re:(^|-){_ENDPOINTS[endpoint]}$"),
        )
    ]
