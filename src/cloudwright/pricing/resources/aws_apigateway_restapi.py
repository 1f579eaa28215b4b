"""API Gateway REST API: requests, tiered ($3.50 / $2.80 / $2.38 / $1.51 per million)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (UsageKey("monthly_requests", "requests/month", "API calls received per month"),)


@cost_model("AWS::ApiGateway::RestApi", service="AmazonApiGateway", usage=USAGE, usage_only=True)
def rest_api(r: Resource, ctx: ModelContext) -> list[Charge]:
    """REST API calls; the optional cache is priced on the AWS::ApiGateway::Stage."""
    return [
        charge(
            "API requests (REST)",
            ctx.num("monthly_requests"),
            "requests",
            ctx.q("AmazonApiGateway", usagetype="re:(^|-)ApiGatewayRequest$"),
            "monthly_requests",
            pool="apigw-rest-requests",
        )
    ]
