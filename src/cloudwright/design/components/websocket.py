"""Real-time messaging over WebSockets: the ``websocket-api`` builder.

API Gateway WebSocket API (routes $connect, $disconnect, $default) → one Lambda relay → a DynamoDB table
of open connections per room. Priced per message (32 KB units) and per connection-minute from the
requirements' ``concurrent_connections`` and ``messages_per_connection_per_second``
(:func:`cloudwright.design.sizing.websocket_load`).
"""

from __future__ import annotations

import math

from cloudwright import quotas
from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, NoOptions, component
from cloudwright.design.components.lambdas import (
    SECONDS_PER_MONTH,
    add_function,
    add_log_group,
    skip,
    table_statement,
)
from cloudwright.design.components.nosql import ensure_table

SRC_WS_ROUTES = (
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-develop-routes.html"
)
SRC_WS_AUTH = (
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/"
    "apigateway-websocket-api-control-access.html (authorization is evaluated on $connect only)"
)
SRC_DDB_UNITS = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html"
STAGE = "live"
#: Average relay run time per message: one GetItem, one Query and the posts (assumption).
RELAY_DURATION_MS = 50


def _usage(ctx: BuildContext) -> sizing.WebSocketLoad:
    return sizing.websocket_load(ctx.requirements, ctx.load_factor)


def _table(ctx: BuildContext, cid: str, ws: sizing.WebSocketLoad) -> str:
    table = ensure_table(ctx, "connections", billing="PAY_PER_REQUEST", component_id=cid)
    connects = int(ws.connects.value)
    inbound = int(ws.inbound_messages.value)
    # per connect: 2 puts; per disconnect: 1 get + 2 deletes; per inbound message: 1 get + 1 query
    # (≤ 4 KB of room members, eventually consistent reads count half)
    wru = connects * 4
    rru = math.ceil((connects + inbound * 2) * 0.5)
    res = ctx.design[table]
    res.usage = {
        "monthly_write_request_units": wru,
        "monthly_read_request_units": rru,
        "storage_gb": round(max(0.001, int(ws.peak_connections.value) * 0.2 / (1024 * 1024)), 3),
        "pitr_backup_storage_gb": 0,
    }
    res.metadata["sizing"] = [
        {
            "rule": "writes = connects × (2 puts + 2 deletes); reads = connects + 2 per inbound message",
            "value": f"{connects:,} connects, {inbound:,} inbound messages → {wru:,} WRU, {rru:,} RRU/month",
            "source": SRC_DDB_UNITS,
        },
        ws.connects.note(),
        {
            "rule": "storage",
            "value": "~200 bytes per open connection (two items), expired by TTL",
            "source": "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html",
        },
    ]
    return table


def _routes(ctx: BuildContext, cid: str, fn: str) -> None:
    ctx.add(
        "RelayIntegration",
        "AWS::ApiGatewayV2::Integration",
        {
            "ApiId": {"Ref": "WebSocketApi"},
            "IntegrationType": "AWS_PROXY",
            "IntegrationUri": {
                "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
                "${" + fn + ".Arn}/invocations"
            },
        },
        label="Lambda integration",
        role="api",
        component_id=cid,
    )
    for key, lid in (
        ("$connect", "ConnectRoute"),
        ("$disconnect", "DisconnectRoute"),
        ("$default", "DefaultRoute"),
    ):
        checks = [
            (
                "CKV_AWS_309",
                "Authorization is evaluated on $connect only; attach a Lambda REQUEST authorizer that "
                "validates your session token there before going live."
                if key == "$connect"
                else "API Gateway evaluates authorization on $connect only; this route runs on an "
                "already authorized connection.",
            )
        ]
        ctx.add(
            lid,
            "AWS::ApiGatewayV2::Route",
            {
                "ApiId": {"Ref": "WebSocketApi"},
                "RouteKey": key,
                "AuthorizationType": "NONE",
                "Target": {"Fn::Sub": "integrations/${RelayIntegration}"},
            },
            label=f"route {key}",
            role="api",
            component_id=cid,
            attributes={"Metadata": skip(*checks)},
        )
    ctx.add(
        "RelayInvokePermission",
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": fn},
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {
                "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
                "${WebSocketApi}/*"
            },
        },
        label="API Gateway may invoke the relay",
        role="security",
        component_id=cid,
    )


def _stage(ctx: BuildContext, cid: str, ws: sizing.WebSocketLoad) -> None:
    req = ctx.requirements
    inbound_peak = int(ws.inbound_messages.value) / SECONDS_PER_MONTH * req.peak_to_average_ratio
    rate = max(100, math.ceil(inbound_peak * 2))
    add_log_group(
        ctx,
        "WebSocketAccessLogs",
        label="WebSocket access logs",
        monthly_gb=(int(ws.inbound_messages.value) + int(ws.connects.value) * 2) * 0.3 / (1024 * 1024),
        component_id=cid,
    )
    ctx.add(
        "WebSocketStage",
        "AWS::ApiGatewayV2::Stage",
        {
            "ApiId": {"Ref": "WebSocketApi"},
            "StageName": STAGE,
            "AutoDeploy": True,
            "DefaultRouteSettings": {
                "ThrottlingRateLimit": rate,
                "ThrottlingBurstLimit": rate * 2,
                "DataTraceEnabled": False,
                "DetailedMetricsEnabled": ctx.is_prod,
            },
            "AccessLogSettings": {
                "DestinationArn": {"Fn::GetAtt": ["WebSocketAccessLogs", "Arn"]},
                "Format": '{"requestId":"$context.requestId","routeKey":"$context.routeKey",'
                '"connectionId":"$context.connectionId","status":"$context.status",'
                '"eventType":"$context.eventType","requestTime":"$context.requestTime"}',
            },
        },
        label=f"Stage {STAGE}",
        role="api",
        component_id=cid,
        rationale="Auto-deployed stage with access logs and a throttle at twice the expected peak of "
        "inbound messages.",
        sizing=[
            {
                "rule": "throttle = 2 × peak inbound messages/s (at least 100)",
                "value": f"{rate:,}/s, burst {rate * 2:,}",
                "source": sizing.SRC_APIGW_WS_QUOTAS,
            }
        ],
    )
    ctx.connect("WebSocketStage", "WebSocketAccessLogs", "data", "access logs")


#: What the relay does in the connections table.
RELAY_TABLE_ACTIONS = [
    "dynamodb:BatchWriteItem",
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
]


def _add_relay(ctx: BuildContext, cid: str, table: str) -> str:
    """The one function behind every route, invoked at the production message and connect rate."""
    prod_ws = sizing.websocket_load(ctx.requirements, 1.0)
    relay_rps = (int(prod_ws.inbound_messages.value) + int(prod_ws.connects.value) * 2) / SECONDS_PER_MONTH
    return add_function(
        ctx,
        "RelayFunction",
        handler="websocket_relay",
        label="WebSocket relay",
        role="realtime",
        rationale="One function handles $connect, $disconnect and $default: room membership in DynamoDB, "
        "each message posted to the other connections of the room.",
        statements=[
            table_statement(table, list(RELAY_TABLE_ACTIONS)),
            {
                "Effect": "Allow",
                "Action": "execute-api:ManageConnections",
                "Resource": {
                    "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
                    "${WebSocketApi}/" + STAGE + "/POST/@connections/*"
                },
            },
        ],
        environment={"CONNECTIONS_TABLE": {"Ref": table}},
        rps=relay_rps,
        duration_ms=RELAY_DURATION_MS,
        memory_mb=256,
        timeout_s=10,
        invocation="sync",
        component_id=cid,
    )


def _add_api(ctx: BuildContext, cid: str, ws: sizing.WebSocketLoad) -> None:
    req = ctx.requirements
    ctx.add(
        "WebSocketApi",
        "AWS::ApiGatewayV2::Api",
        {
            "Name": {"Fn::Sub": "${AWS::StackName}-realtime"},
            "ProtocolType": "WEBSOCKET",
            "RouteSelectionExpression": "$request.body.action",
            "Description": "Real-time messages between connected clients",
        },
        usage={
            "monthly_messages": ws.monthly_messages.value,
            "message_size_kb": req.avg_request_kb,
            "monthly_connection_mins": ws.connection_minutes.value,
        },
        label="API Gateway WebSocket API",
        role="realtime",
        component_id=cid,
        rationale="Managed WebSocket endpoint: API Gateway holds the connections, so nothing runs between "
        "messages; billed per message and per connection-minute.",
        sizing=[
            ws.peak_connections.note(),
            ws.monthly_messages.note(),
            ws.connection_minutes.note(),
            {
                "rule": "metering",
                "value": f"{req.avg_request_kb:g} KB messages, billed in 32 KB units",
                "source": sizing.SRC_APIGW_WS_PRICING,
            },
            {"rule": "routes", "value": "$connect, $disconnect, $default", "source": SRC_WS_ROUTES},
            {"rule": "authorization", "value": "on $connect", "source": SRC_WS_AUTH},
        ],
    )


def _assume_egress(ctx: BuildContext, ws: sizing.WebSocketLoad) -> None:
    """Outbound messages leave AWS from API Gateway (data transfer out at EC2 rates)."""
    req = ctx.requirements
    outbound = int(ws.monthly_messages.value) - int(ws.inbound_messages.value)
    egress = round(outbound * req.avg_request_kb / (1024 * 1024), 3)
    ctx.assume("data_transfer_out_gb", egress)
    ctx.assume(
        "data_transfer_out_note",
        f"outbound WebSocket messages: {outbound:,} × {req.avg_request_kb:g} KB (API Gateway bills data "
        "transfer out at EC2 rates)",
    )


@component("websocket-api", options=NoOptions, uses=["kms_key"])
def websocket_api(ctx: BuildContext, options: NoOptions) -> None:
    """API Gateway WebSocket API, Lambda relay and connections table, sized from connections × rate."""
    cid = "websocket-api"
    ws = _usage(ctx)
    table = _table(ctx, cid, ws)
    fn = _add_relay(ctx, cid, table)
    _add_api(ctx, cid, ws)
    _routes(ctx, cid, fn)
    _stage(ctx, cid, ws)
    ctx.connect("WebSocketApi", fn, "request", "$connect / $default / $disconnect")
    ctx.connect(fn, table, "data", "rooms and connections")
    ctx.connect(fn, "WebSocketApi", "request", "post to connections")
    _assume_egress(ctx, ws)
    peak_connects_per_s = int(ws.peak_connections.value) / (sizing.WS_CONNECTION_MINUTES * 60)
    warning = quotas.check("apigateway.websocket_new_connections_per_s", peak_connects_per_s)
    if warning:
        ctx.warn(f"WebSocket API: {warning}")
    ctx.warn(
        "WebSocket API: $connect has no authorizer yet; attach a Lambda REQUEST authorizer that validates "
        "your session token (or use AWS_IAM with signed requests) before going live"
    )
    ctx.design.outputs.setdefault(
        "WebSocketUrl",
        {
            "Description": "Clients connect here (wss://…?room=<id>)",
            "Value": {"Fn::Sub": "wss://${WebSocketApi}.execute-api.${AWS::Region}.amazonaws.com/" + STAGE},
        },
    )
