"""API Gateway v2: HTTP APIs (512 KB metering) and WebSocket APIs (32 KB messages + connection minutes)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, chunks, lit, mul

USAGE = (
    UsageKey("monthly_requests", "requests/month", "HTTP API calls per month"),
    UsageKey("request_size_kb", "KB", "Average request+response size (HTTP APIs meter in 512 KB increments)"),
    UsageKey("monthly_messages", "messages/month", "WebSocket messages sent and received per month"),
    UsageKey("message_size_kb", "KB", "Average WebSocket message size (metered in 32 KB increments)"),
    UsageKey("monthly_connection_mins", "minutes/month", "WebSocket connection minutes per month"),
)


@cost_model("AWS::ApiGatewayV2::Api", service="AmazonApiGateway", usage=USAGE, usage_only=True)
def http_or_websocket_api(r: Resource, ctx: ModelContext) -> list[Charge]:
    """ProtocolType HTTP (default) or WEBSOCKET."""
    protocol = str(lit(ctx, r.prop("ProtocolType"), "HTTP")).upper()
    if protocol == "WEBSOCKET":
        units = chunks(ctx.num("message_size_kb"), 32)
        return [
            charge(
                "WebSocket messages" + (f" ({units} x 32 KB units each)" if units > 1 else ""),
                mul(ctx.num("monthly_messages"), units),
                "messages",
                ctx.q("AmazonApiGateway", usagetype="re:(^|-)ApiGatewayMessage$"),
                "monthly_messages",
                "message_size_kb",
                pool="apigw-messages",
            ),
            charge(
                "WebSocket connection minutes",
                ctx.num("monthly_connection_mins"),
                "minutes",
                ctx.q("AmazonApiGateway", usagetype="re:(^|-)ApiGatewayMinute$"),
                "monthly_connection_mins",
                pool="apigw-connection-minutes",
            ),
        ]
    units = chunks(ctx.num("request_size_kb"), 512)
    return [
        charge(
            "API requests (HTTP)" + (f" ({units} x 512 KB units each)" if units > 1 else ""),
            mul(ctx.num("monthly_requests"), units),
            "requests",
            ctx.q("AmazonApiGateway", usagetype="re:(^|-)ApiGatewayHttpRequest$"),
            "monthly_requests",
            "request_size_kb",
            pool="apigw-http-requests",
        )
    ]
