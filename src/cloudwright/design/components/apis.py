"""API front doors and the Lambda functions behind them: ``rest-api`` and ``http-api``."""

from __future__ import annotations

import math
from typing import Any, Literal

from cloudwright.design.build import BuildContext, BuilderOptions, NoOptions, UserPool, component
from cloudwright.design.components.lambdas import (
    add_function,
    add_log_group,
    function_arn,
    lambda_assume_policy,
    monthly,
    skip,
    table_statement,
)

# --- sources (quoted in sizing notes) ---------------------------------------------------------------
SRC_APIGW_THROTTLE = (
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html "
    "(account default 10,000 requests/s steady, 5,000 burst, per Region)"
)
SRC_APIGW_HTTP_THROTTLE = (
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html"
)
SRC_APIGW_TIMEOUT = (
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html (29 s integration timeout)"
)

#: API Gateway account-level throttle per Region (source: SRC_APIGW_THROTTLE; ``cloudwright.quotas`` holds
#: the steady rate as ``apigateway.account_rps``, the burst bucket is documented on the same page).
APIGW_ACCOUNT_RATE = 10_000
APIGW_ACCOUNT_BURST = 5_000


def api_throttle(ctx: BuildContext) -> tuple[int, int, list[dict[str, str]]]:
    """Stage throttle sized to peak RPS with 20% headroom, never above the account quota."""
    req = ctx.requirements
    peak = req.peak_rps * ctx.load_factor
    rate = max(10, math.ceil(peak * 1.2))
    burst = max(20, math.ceil(rate * 2))
    from cloudwright import quotas

    warning = quotas.check("apigateway.account_rps", peak)
    if warning:
        ctx.warn(f"API Gateway stage throttle: {warning}")
    rate = min(rate, APIGW_ACCOUNT_RATE)
    burst = min(burst, APIGW_ACCOUNT_BURST)
    sizing = [
        {
            "rule": "stage throttle = peak RPS × 1.2 (burst 2 × rate), capped by the account quota",
            "value": f"peak {peak:,.1f}/s → rate {rate}/s, burst {burst}",
            "source": SRC_APIGW_THROTTLE,
        }
    ]
    return rate, burst, sizing


def site_origin(ctx: BuildContext) -> dict[str, Any] | None:
    """The browser origin of the pattern's static site (for CORS), if the pattern has one."""
    site = ctx.provided.static_site
    if not site:
        return None
    return {"Fn::Sub": "https://${" + site.distribution + ".DomainName}"}


def _quoted(origin: dict[str, Any]) -> dict[str, Any]:
    """A static response header value for API Gateway mappings: the origin in single quotes."""
    from cloudwright.cfn.intrinsics import sub_text

    return {"Fn::Sub": "'" + str(sub_text(origin)) + "'"}


def _users_function(ctx: BuildContext, table: str, component_id: str) -> str:
    if ctx.has("UsersFunction"):
        return "UsersFunction"
    origin = site_origin(ctx)
    return add_function(
        ctx,
        "UsersFunction",
        handler="users_api",
        label="Users API function",
        role="api-backend",
        rationale="GET /users/{userId} returns only the caller's own record (Cognito sub check → 403); "
        "POST /users creates the caller's record.",
        statements=[table_statement(table, ["dynamodb:GetItem", "dynamodb:PutItem"])],
        environment={"USERS_TABLE": {"Ref": table}, **({"ALLOWED_ORIGIN": origin} if origin else {})},
        rps=ctx.requirements.requests_per_second,
        duration_ms=100,
        memory_mb=256,
        timeout_s=10,
        component_id=component_id,
    )


def _ensure_users_table(ctx: BuildContext) -> str:
    from cloudwright.design.components.nosql import ensure_table

    return ensure_table(ctx, "users")


def _ensure_pool(ctx: BuildContext) -> UserPool:
    from cloudwright.design.components.identity import ensure_user_pool

    return ensure_user_pool(ctx)


def _lambda_permission(ctx: BuildContext, logical_id: str, function: str, source_arn: Any, cid: str) -> None:
    ctx.add(
        logical_id,
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": function},
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": source_arn,
        },
        label="API may invoke function",
        role="iam",
        component_id=cid,
    )


# --- rest-api ----------------------------------------------------------------------------------------
@component("rest-api", options=NoOptions, uses=["kms_key", "user_pool", "static_site"], provides=["apis"])
def rest_api(ctx: BuildContext, options: NoOptions) -> None:
    """API Gateway REST API + Cognito authorizer + /users resources + stage + the users function."""
    cid = "rest-api"
    table = _ensure_users_table(ctx)
    pool = _ensure_pool(ctx)
    fn = _users_function(ctx, table, cid)
    rate, burst, sizing = api_throttle(ctx)
    _rest_api(ctx, cid, sizing)
    _rest_routes(ctx, cid, pool, fn)
    methods = ["UserGetMethod", "UsersPostMethod", *_rest_cors(ctx, cid)]
    ctx.add(
        "RestApiDeployment",
        "AWS::ApiGateway::Deployment",
        {"RestApiId": {"Ref": "RestApi"}, "Description": "initial deployment"},
        depends_on=sorted(methods),
        label="API deployment",
        role="api",
        component_id=cid,
    )
    _api_gateway_logging_role(ctx, cid)
    _rest_stage(ctx, cid, rate, burst, sizing)
    ctx.connect("RestApi", fn, "request", "Lambda proxy")
    ctx.connect("RestApi", pool.user_pool, "reference", "Cognito authorizer")
    ctx.connect(fn, table, "data", "GetItem/PutItem")
    ctx.connect("RestApi", "RestApiAccessLogs", "data", "access logs")
    ctx.provided.apis.rest = "RestApi"
    ctx.design.outputs.setdefault(
        "ApiUrl",
        {
            "Description": "REST API base URL",
            "Value": {
                "Fn::Sub": "https://${RestApi}.execute-api.${AWS::Region}.amazonaws.com/" + ctx.environment
            },
        },
    )


def _rest_api(ctx: BuildContext, cid: str, sizing: list[dict[str, str]]) -> None:
    req = ctx.requirements
    ctx.add(
        "RestApi",
        "AWS::ApiGateway::RestApi",
        {
            "Name": {"Fn::Sub": "${AWS::StackName}-api"},
            "Description": f"{req.name} REST API",
            "EndpointConfiguration": {"Types": ["REGIONAL"]},
            "MinimumCompressionSize": 1024,
        },
        usage={"monthly_requests": monthly(ctx, req.requests_per_second)},
        label="REST API",
        role="api",
        tier="regional",
        sizing=sizing,
        component_id=cid,
        rationale="REST API: Cognito user-pool authorizer, per-stage throttling, access logs and usage "
        "plans; "
        "chosen over HTTP API when request validation, WAF or usage plans are needed.",
    )


def _rest_routes(ctx: BuildContext, cid: str, pool: UserPool, fn: str) -> None:
    """The Cognito authorizer, ``/users`` and ``/users/{userId}`` with their Lambda proxy methods, and the
    permission for the API to invoke the function."""
    ctx.add(
        "RestApiAuthorizer",
        "AWS::ApiGateway::Authorizer",
        {
            "Name": "cognito",
            "Type": "COGNITO_USER_POOLS",
            "IdentitySource": "method.request.header.Authorization",
            "ProviderARNs": [{"Fn::GetAtt": [pool.user_pool, "Arn"]}],
            "RestApiId": {"Ref": "RestApi"},
        },
        label="Cognito authorizer",
        role="auth",
        component_id=cid,
    )
    ctx.add(
        "UsersResource",
        "AWS::ApiGateway::Resource",
        {
            "ParentId": {"Fn::GetAtt": ["RestApi", "RootResourceId"]},
            "PathPart": "users",
            "RestApiId": {"Ref": "RestApi"},
        },
        label="/users",
        role="api",
        component_id=cid,
    )
    ctx.add(
        "UserIdResource",
        "AWS::ApiGateway::Resource",
        {"ParentId": {"Ref": "UsersResource"}, "PathPart": "{userId}", "RestApiId": {"Ref": "RestApi"}},
        label="/users/{userId}",
        role="api",
        component_id=cid,
    )
    uri = {
        "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
        "${" + fn + ".Arn}/invocations"
    }
    for method_id, verb, resource in (
        ("UsersPostMethod", "POST", "UsersResource"),
        ("UserGetMethod", "GET", "UserIdResource"),
    ):
        ctx.add(
            method_id,
            "AWS::ApiGateway::Method",
            {
                "RestApiId": {"Ref": "RestApi"},
                "ResourceId": {"Ref": resource},
                "HttpMethod": verb,
                "AuthorizationType": "COGNITO_USER_POOLS",
                "AuthorizerId": {"Ref": "RestApiAuthorizer"},
                "Integration": {"Type": "AWS_PROXY", "IntegrationHttpMethod": "POST", "Uri": dict(uri)},
            },
            label=f"{verb} {'/users' if verb == 'POST' else '/users/{userId}'}",
            role="api",
            component_id=cid,
        )
    _lambda_permission(
        ctx,
        "UsersFunctionApiPermission",
        fn,
        {
            "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
            "${RestApi}/*/*/users*"
        },
        cid,
    )


def _api_gateway_logging_role(ctx: BuildContext, cid: str) -> None:
    # API Gateway writes access logs through an account-level role (one per Region).
    ctx.add(
        "ApiGatewayCloudWatchRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": lambda_assume_policy("apigateway.amazonaws.com"),
            "ManagedPolicyArns": [
                {
                    "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/"
                    "AmazonAPIGatewayPushToCloudWatchLogs"
                }
            ],
        },
        label="API Gateway logging role",
        role="iam",
        component_id=cid,
        rationale="API Gateway needs an account-level CloudWatch role before a stage can write access logs.",
    )
    ctx.add(
        "ApiGatewayAccount",
        "AWS::ApiGateway::Account",
        {"CloudWatchRoleArn": {"Fn::GetAtt": ["ApiGatewayCloudWatchRole", "Arn"]}},
        label="API Gateway account settings",
        role="logs",
        component_id=cid,
    )


def _rest_stage(ctx: BuildContext, cid: str, rate: int, burst: int, sizing: list[dict[str, str]]) -> None:
    """The environment's stage: access logs, error execution logs, metrics and the throttle."""
    req = ctx.requirements
    monthly_req = monthly(ctx, req.requests_per_second)
    add_log_group(
        ctx,
        "RestApiAccessLogs",
        label="API access logs",
        monthly_gb=monthly_req * 0.5 / (1024 * 1024),
        component_id=cid,
    )
    stage_props: dict[str, Any] = {
        "RestApiId": {"Ref": "RestApi"},
        "DeploymentId": {"Ref": "RestApiDeployment"},
        "StageName": ctx.environment,
        "TracingEnabled": ctx.is_prod,
        "AccessLogSetting": {
            "DestinationArn": {"Fn::GetAtt": ["RestApiAccessLogs", "Arn"]},
            "Format": _ACCESS_LOG_FORMAT,
        },
        "MethodSettings": [
            {
                "ResourcePath": "/*",
                "HttpMethod": "*",
                "ThrottlingRateLimit": rate,
                "ThrottlingBurstLimit": burst,
                "MetricsEnabled": True,
                "LoggingLevel": "ERROR",
                "DataTraceEnabled": False,
            }
        ],
    }
    ctx.add(
        "RestApiStage",
        "AWS::ApiGateway::Stage",
        stage_props,
        depends_on=["ApiGatewayAccount"],
        label=f"{ctx.environment} stage",
        role="api",
        sizing=sizing,
        component_id=cid,
        rationale="Access logs, error execution logs, metrics and a throttle sized to peak load.",
        attributes={
            "Metadata": skip(
                (
                    "CKV_AWS_120",
                    "Responses are per-user (own record only); a stage cache would add an hourly "
                    "charge for little hit rate.",
                ),
                ("CKV2_AWS_51", "Clients authenticate with Cognito JWTs, not client certificates."),
                *([] if ctx.is_prod else [("CKV_AWS_73", "X-Ray tracing is enabled in prod only.")]),
            )
        },
    )


def _rest_cors(ctx: BuildContext, cid: str) -> list[str]:
    """Browser access from the static site: OPTIONS preflight (MOCK) per resource and CORS headers on
    API Gateway's own 4XX/5XX responses (e.g. 401 from the authorizer). Returns the method ids."""
    origin = site_origin(ctx)
    if origin is None:
        return []
    headers = {
        "Access-Control-Allow-Origin": _quoted(origin),
        "Access-Control-Allow-Headers": "'Authorization,Content-Type'",
        "Access-Control-Allow-Methods": "'GET,POST,OPTIONS'",
    }
    ids = []
    for method_id, resource in (
        ("UsersOptionsMethod", "UsersResource"),
        ("UserIdOptionsMethod", "UserIdResource"),
    ):
        ctx.add(
            method_id,
            "AWS::ApiGateway::Method",
            {
                "RestApiId": {"Ref": "RestApi"},
                "ResourceId": {"Ref": resource},
                "HttpMethod": "OPTIONS",
                "AuthorizationType": "NONE",
                "Integration": {
                    "Type": "MOCK",
                    "RequestTemplates": {"application/json": '{"statusCode": 200}'},
                    "IntegrationResponses": [
                        {
                            "StatusCode": "200",
                            "ResponseParameters": {
                                f"method.response.header.{k}": v for k, v in sorted(headers.items())
                            },
                        }
                    ],
                },
                "MethodResponses": [
                    {
                        "StatusCode": "200",
                        "ResponseParameters": {f"method.response.header.{k}": True for k in sorted(headers)},
                    }
                ],
            },
            label="CORS preflight",
            role="api",
            component_id=cid,
            rationale="Browsers on the site's origin send an unauthenticated OPTIONS preflight first.",
        )
        ids.append(method_id)
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        ctx.add(
            f"RestApi{kind.title().replace('_', '')}Response",
            "AWS::ApiGateway::GatewayResponse",
            {
                "RestApiId": {"Ref": "RestApi"},
                "ResponseType": kind,
                "ResponseParameters": {
                    f"gatewayresponse.header.{k}": v for k, v in sorted(headers.items()) if "Origin" in k
                },
            },
            label=f"{kind} with CORS",
            role="api",
            component_id=cid,
        )
    return ids


_ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",'
    '"httpMethod":"$context.httpMethod","path":"$context.path","status":"$context.status",'
    '"responseLength":"$context.responseLength","latency":"$context.responseLatency"}'
)


# --- http-api ----------------------------------------------------------------------------------------
_HTTP_ROUTES = {
    "users_api": ["GET /users/{userId}", "POST /users"],
    "order_service": ["POST /orders"],
}


class HttpApiOptions(BuilderOptions):
    """Options of ``http-api``."""

    handler: Literal["users_api", "order_service"] = "users_api"
    """The sample handler behind the API: ``users_api`` (user profile routes) or ``order_service`` (the
    event-driven pattern's order service,
    :func:`~cloudwright.design.components.messaging.ensure_order_service`)."""


@component(
    "http-api", options=HttpApiOptions, uses=["kms_key", "user_pool", "static_site"], provides=["apis"]
)
def http_api(ctx: BuildContext, options: HttpApiOptions) -> None:
    """API Gateway v2 HTTP API + Cognito JWT authorizer + routes + $default stage + Lambda."""
    cid = "http-api"
    req = ctx.requirements
    handler = options.handler
    pool = _ensure_pool(ctx)
    if handler == "users_api":
        table = _ensure_users_table(ctx)
        fn = _users_function(ctx, table, cid)
    else:
        from cloudwright.design.components.messaging import ensure_order_service

        fn = ensure_order_service(ctx)
    rate, burst, sizing = api_throttle(ctx)
    monthly_req = monthly(ctx, req.requests_per_second)
    _http_api(ctx, cid, monthly_req, sizing)
    route_ids = _http_routes(ctx, cid, pool, fn, _HTTP_ROUTES[handler])
    _http_stage(ctx, cid, monthly_req, rate, burst, sizing, route_ids)
    _lambda_permission(
        ctx,
        "HttpApiInvokePermission",
        fn,
        {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*"},
        cid,
    )
    ctx.connect("HttpApi", fn, "request", "Lambda proxy (payload 2.0)")
    ctx.connect("HttpApi", pool.user_pool, "reference", "JWT issuer")
    ctx.connect("HttpApi", "HttpApiAccessLogs", "data", "access logs")
    ctx.provided.apis.http = "HttpApi"
    ctx.design.outputs.setdefault(
        "HttpApiUrl",
        {"Description": "HTTP API base URL", "Value": {"Fn::GetAtt": ["HttpApi", "ApiEndpoint"]}},
    )


def _http_api(ctx: BuildContext, cid: str, monthly_req: int, sizing: list[dict[str, str]]) -> None:
    """The HTTP API, with CORS for the static site's origin when the pattern has one."""
    req = ctx.requirements
    api_props: dict[str, Any] = {
        "Name": {"Fn::Sub": "${AWS::StackName}-http-api"},
        "ProtocolType": "HTTP",
        "Description": f"{req.name} HTTP API",
    }
    origin = site_origin(ctx)
    if origin:
        api_props["CorsConfiguration"] = {
            "AllowOrigins": [origin],
            "AllowMethods": ["GET", "OPTIONS", "POST"],
            "AllowHeaders": ["authorization", "content-type"],
            "MaxAge": 600,
        }
    ctx.add(
        "HttpApi",
        "AWS::ApiGatewayV2::Api",
        api_props,
        usage={"monthly_requests": monthly_req, "request_size_kb": req.avg_request_kb},
        label="HTTP API",
        role="api",
        sizing=sizing,
        component_id=cid,
        rationale="HTTP API: JWT authorizer built in, lower per-request price and latency than REST; "
        "chosen when usage plans, request validation and caching are not needed.",
    )


def _http_routes(ctx: BuildContext, cid: str, pool: UserPool, fn: str, route_keys: list[str]) -> list[str]:
    """The JWT authorizer, the Lambda integration and one authorised route per key; returns the route ids."""
    ctx.add(
        "HttpApiAuthorizer",
        "AWS::ApiGatewayV2::Authorizer",
        {
            "ApiId": {"Ref": "HttpApi"},
            "Name": "cognito-jwt",
            "AuthorizerType": "JWT",
            "IdentitySource": ["$request.header.Authorization"],
            "JwtConfiguration": {
                "Audience": [{"Ref": pool.client}],
                "Issuer": {
                    "Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/${" + pool.user_pool + "}"
                },
            },
        },
        label="JWT authorizer",
        role="auth",
        component_id=cid,
    )
    ctx.add(
        "HttpApiIntegration",
        "AWS::ApiGatewayV2::Integration",
        {
            "ApiId": {"Ref": "HttpApi"},
            "IntegrationType": "AWS_PROXY",
            "IntegrationUri": function_arn(fn),
            "PayloadFormatVersion": "2.0",
            "TimeoutInMillis": 10000,
        },
        label="Lambda integration",
        role="api",
        component_id=cid,
    )
    route_ids = []
    for i, route_key in enumerate(route_keys):
        rid = f"HttpApiRoute{i + 1}"
        route_ids.append(rid)
        ctx.add(
            rid,
            "AWS::ApiGatewayV2::Route",
            {
                "ApiId": {"Ref": "HttpApi"},
                "RouteKey": route_key,
                "AuthorizationType": "JWT",
                "AuthorizerId": {"Ref": "HttpApiAuthorizer"},
                "Target": {"Fn::Sub": "integrations/${HttpApiIntegration}"},
            },
            label=route_key,
            role="api",
            component_id=cid,
        )
    return route_ids


def _http_stage(
    ctx: BuildContext,
    cid: str,
    monthly_req: int,
    rate: int,
    burst: int,
    sizing: list[dict[str, str]],
    route_ids: list[str],
) -> None:
    """The auto-deployed ``$default`` stage with JSON access logs and the throttle."""
    add_log_group(
        ctx,
        "HttpApiAccessLogs",
        label="HTTP API access logs",
        monthly_gb=monthly_req * 0.5 / (1024 * 1024),
        component_id=cid,
    )
    ctx.add(
        "HttpApiStage",
        "AWS::ApiGatewayV2::Stage",
        {
            "ApiId": {"Ref": "HttpApi"},
            "StageName": "$default",
            "AutoDeploy": True,
            "AccessLogSettings": {
                "DestinationArn": {"Fn::GetAtt": ["HttpApiAccessLogs", "Arn"]},
                "Format": _HTTP_ACCESS_LOG_FORMAT,
            },
            "DefaultRouteSettings": {
                "ThrottlingRateLimit": rate,
                "ThrottlingBurstLimit": burst,
                "DetailedMetricsEnabled": ctx.is_prod,
            },
        },
        depends_on=route_ids,
        label="$default stage",
        role="api",
        sizing=[{**sizing[0], "source": SRC_APIGW_HTTP_THROTTLE + "; " + SRC_APIGW_THROTTLE}],
        component_id=cid,
        rationale="Auto-deployed stage with JSON access logs and a throttle sized to peak load.",
    )


_HTTP_ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",'
    '"routeKey":"$context.routeKey","status":"$context.status","responseLength":"$context.responseLength",'
    '"latency":"$context.responseLatency","integrationError":"$context.integrationErrorMessage"}'
)
