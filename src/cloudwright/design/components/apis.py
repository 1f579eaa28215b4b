"""API front doors and the Lambda functions behind them: ``rest-api`` and ``http-api``.

This module also holds the Lambda helper every serverless builder uses (:func:`add_function`): a
function with its own least-privilege role, a log group with retention, arm64 on a supported Python
runtime, X-Ray tracing in production and its usage keys derived from the requirements.
"""

from __future__ import annotations

import math
from typing import Any

from cloudwright.design.build import BuildContext, component

# --- sources (quoted in sizing notes) ---------------------------------------------------------------
SRC_LAMBDA_CONCURRENCY = (
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html "
    "(concurrency = requests per second × duration in seconds; default account quota 1,000 per Region)"
)
SRC_LAMBDA_MEMORY = (
    "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html "
    "(CPU is allocated in proportion to memory)"
)
SRC_LAMBDA_RUNTIMES = (
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html (python3.12 supported)"
)
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
#: Runtime for every generated function: supported until at least 2028 per SRC_LAMBDA_RUNTIMES.
PYTHON_RUNTIME = "python3.12"
SECONDS_PER_MONTH = 730 * 3600


# --- shared helpers --------------------------------------------------------------------------------
def kms_key(ctx: BuildContext) -> str | None:
    """Logical id of the customer managed key published by the ``kms`` builder, if the pattern has one."""
    out = ctx.outputs.get("kms")
    if isinstance(out, str):
        return out
    if isinstance(out, dict):
        for key in ("key", "key_id", "logical_id"):
            if isinstance(out.get(key), str):
                return str(out[key])
    return None


def kms_arn(ctx: BuildContext) -> dict[str, Any] | None:
    key = kms_key(ctx)
    return {"Fn::GetAtt": [key, "Arn"]} if key else None


def kms_statements(ctx: BuildContext, actions: list[str]) -> list[dict[str, Any]]:
    """IAM statement(s) to use the pattern's customer managed key (none when the design has no key).

    Publishers to a KMS-encrypted topic or stream need ``kms:GenerateDataKey`` and ``kms:Decrypt`` on it:
    https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html"""
    key = kms_arn(ctx)
    return [{"Effect": "Allow", "Action": sorted(actions), "Resource": key}] if key else []


def log_retention_days(ctx: BuildContext) -> int:
    """prod keeps a year of logs (audit trail, CKV_AWS_338); staging a month; dev a week (cheap)."""
    return {"prod": 365, "staging": 30}.get(ctx.environment, 7)


def skip(*checks: tuple[str, str]) -> dict[str, Any]:
    """Template ``Metadata`` that suppresses checkov checks, each with the written reason."""
    return {"checkov": {"skip": [{"id": cid, "comment": why} for cid, why in checks]}}


def monthly(ctx: BuildContext, per_second: float) -> int:
    """A per-second average rate → a monthly count for this environment (730-hour month)."""
    return round(per_second * SECONDS_PER_MONTH * ctx.load_factor)


def add_log_group(
    ctx: BuildContext,
    logical_id: str,
    *,
    label: str,
    name: Any = None,
    monthly_gb: float | None = None,
    component_id: str | None = None,
) -> str:
    props: dict[str, Any] = {"RetentionInDays": log_retention_days(ctx)}
    if name is not None:
        props["LogGroupName"] = name
    key = kms_arn(ctx)
    if key:
        props["KmsKeyId"] = key
    checks = []
    if not key:
        checks.append(
            (
                "CKV_AWS_158",
                "Log data is encrypted at rest by CloudWatch Logs with an AWS owned key; "
                "a customer managed key is added when the pattern includes one.",
            )
        )
    if not ctx.is_prod:
        checks.append(
            (
                "CKV_AWS_338",
                f"Non-production logs are kept {log_retention_days(ctx)} days to limit cost; "
                "production keeps 365 days.",
            )
        )
    usage = None
    if monthly_gb is not None:
        months = log_retention_days(ctx) / 30.4
        usage = {
            "monthly_data_ingested_gb": round(monthly_gb, 3),
            "storage_gb": round(monthly_gb * min(months, 12), 3),
        }
    ctx.add(
        logical_id,
        "AWS::Logs::LogGroup",
        props,
        usage=usage,
        label=label,
        role="logs",
        rationale=f"Retention {log_retention_days(ctx)} days in {ctx.environment}: logs never grow "
        f"without bound.",
        attributes={"Metadata": skip(*checks)} if checks else None,
        component_id=component_id,
    )
    return logical_id


def lambda_assume_policy(service: str = "lambda.amazonaws.com") -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }


def add_function(
    ctx: BuildContext,
    logical_id: str,
    *,
    handler: str,
    label: str,
    role: str,
    rationale: str,
    statements: list[dict[str, Any]],
    environment: dict[str, Any] | None = None,
    rps: float,
    duration_ms: int = 100,
    memory_mb: int = 256,
    timeout_s: int = 10,
    invocation: str = "sync",
    dead_letter_queue: str | None = None,
    component_id: str | None = None,
) -> str:
    """Add a Lambda function + its role + its log group; returns the function's logical id.

    ``rps`` is the average invocation rate in production; the peak rate (× peak_to_average_ratio) sizes
    concurrency. ``statements`` are the IAM statements the function needs, each scoped to a resource.
    ``invocation`` is ``sync`` (API), ``poll`` (SQS/Kinesis event source mapping) or ``async`` (IoT, S3);
    async functions get ``dead_letter_queue`` (an SQS queue's logical id) for events that fail every retry.
    """
    from cloudwright.render.handlers import load_handler

    req = ctx.requirements
    log_id = f"{logical_id}Logs"
    role_id = f"{logical_id}Role"
    per_invocation_kb = (
        0.5  # assumption: about 0.5 KB of log lines per invocation (START/END/REPORT + one line)
    )
    monthly_requests = monthly(ctx, rps)
    add_log_group(
        ctx,
        log_id,
        label=f"{label} logs",
        monthly_gb=monthly_requests * per_invocation_kb / (1024 * 1024),
        component_id=component_id,
    )
    policy_statements = [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::GetAtt": [log_id, "Arn"]},
        },
        *statements,
    ]
    # environment variables encrypted with the customer managed key are decrypted with the role's access
    policy_statements += kms_statements(ctx, ["kms:Decrypt"])
    if dead_letter_queue:
        policy_statements.append(
            {
                "Effect": "Allow",
                "Action": "sqs:SendMessage",
                "Resource": {"Fn::GetAtt": [dead_letter_queue, "Arn"]},
            }
        )
    role_props: dict[str, Any] = {
        "AssumeRolePolicyDocument": lambda_assume_policy(),
        "Policies": [
            {
                "PolicyName": "least-privilege",
                "PolicyDocument": {"Version": "2012-10-17", "Statement": policy_statements},
            }
        ],
    }
    if ctx.is_prod:
        role_props["ManagedPolicyArns"] = [
            {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"}
        ]
    ctx.add(
        role_id,
        "AWS::IAM::Role",
        role_props,
        label=f"{label} role",
        role="iam",
        rationale="One role per function, each statement scoped to the resources the function touches.",
        component_id=component_id,
    )
    env = dict(environment or {})
    props: dict[str, Any] = {
        "Runtime": PYTHON_RUNTIME,
        "Architectures": ["arm64"],
        "Handler": "index.handler",
        "Code": {"ZipFile": load_handler(handler)},
        "MemorySize": memory_mb,
        "Timeout": timeout_s,
        "Role": {"Fn::GetAtt": [role_id, "Arn"]},
        "Environment": {"Variables": env},
        "LoggingConfig": {"LogGroup": {"Ref": log_id}, "LogFormat": "JSON"},
    }
    if dead_letter_queue:
        props["DeadLetterConfig"] = {"TargetArn": {"Fn::GetAtt": [dead_letter_queue, "Arn"]}}
    key = kms_arn(ctx)
    if key:
        props["KmsKeyArn"] = key
    if ctx.is_prod:
        props["TracingConfig"] = {"Mode": "Active"}
    peak = rps * req.peak_to_average_ratio * ctx.load_factor
    from cloudwright.design import sizing as sizing_rules

    concurrency = int(sizing_rules.lambda_concurrency(peak, duration_ms).value)
    sizing = [
        {
            "rule": "peak concurrency = peak requests/s × duration (s)",
            "value": f"{peak:,.1f}/s × {duration_ms / 1000:g} s ≈ {concurrency} concurrent executions",
            "source": SRC_LAMBDA_CONCURRENCY,
        },
        {
            "rule": "memory",
            "value": f"{memory_mb} MB: I/O-bound handler (AWS SDK calls); enough CPU for JSON and SDK "
            f"start-up",
            "source": SRC_LAMBDA_MEMORY,
        },
        {
            "rule": "runtime",
            "value": f"{PYTHON_RUNTIME} on arm64 (Graviton, lower GB-s price)",
            "source": SRC_LAMBDA_RUNTIMES,
        },
    ]
    from cloudwright import quotas

    total = int(ctx.design.assumptions.get("lambda_peak_concurrency_total", 0)) + concurrency
    ctx.assume("lambda_peak_concurrency_total", total)
    warning = quotas.check("lambda.concurrent_executions", concurrency)
    if warning:
        ctx.warn(f"{label}: {warning}")
    # the quota is shared by every function in the account and Region: check the sum too (one warning)
    prefix = "Lambda functions together: "
    ctx.design.warnings = [w for w in ctx.design.warnings if not w.startswith(prefix)]
    shared = quotas.check("lambda.concurrent_executions", total)
    if shared and ctx.design.by_type("AWS::Lambda::Function"):
        ctx.warn(prefix + shared)
    if invocation == "sync" and ctx.is_prod and req.latency_p95_ms < 100:
        ctx.warn(
            f"{label}: the p95 latency target of {req.latency_p95_ms} ms leaves little room for Lambda cold "
            "starts; measure, then consider provisioned concurrency on a published alias."
        )
    checks = [
        (
            "CKV_AWS_115",
            "No reserved concurrency: it would carve capacity out of the shared account pool; "
            f"sized peak concurrency is {concurrency}.",
        ),
        (
            "CKV_AWS_117",
            "The function calls only regional AWS APIs (DynamoDB, SNS, SQS, Kinesis) over TLS "
            "with IAM auth; a VPC would add NAT cost and cold-start latency without a private resource "
            "to reach.",
        ),
    ]
    if invocation != "async":
        checks.append(
            (
                "CKV_AWS_116",
                "Not invoked asynchronously: failures return to the caller (API) or stay on "
                "the source queue/stream, which has its own dead-letter destination.",
            )
        )
    if not key:
        checks.append(
            (
                "CKV_AWS_173",
                "Environment variables hold only resource names, no secrets; encrypted at "
                "rest with the Lambda service key.",
            )
        )
    ctx.add(
        logical_id,
        "AWS::Lambda::Function",
        props,
        usage={"monthly_requests": monthly_requests, "request_duration_ms": duration_ms},
        label=label,
        role=role,
        rationale=rationale,
        sizing=sizing,
        attributes={"Metadata": skip(*checks)},
        component_id=component_id,
    )
    ctx.connect(logical_id, log_id, "data", "logs")
    if dead_letter_queue:
        ctx.connect(logical_id, dead_letter_queue, "event", "failed async events")
    return logical_id


def function_arn(logical_id: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id, "Arn"]}


def table_statement(table_id: str, actions: list[str], *, indexes: bool = False) -> dict[str, Any]:
    resources: list[Any] = [{"Fn::GetAtt": [table_id, "Arn"]}]
    if indexes:
        resources.append({"Fn::Sub": "${" + table_id + ".Arn}/index/*"})
    return {"Effect": "Allow", "Action": sorted(actions), "Resource": resources}


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
    site = ctx.outputs.get("static_site")
    if not site:
        return None
    return {"Fn::Sub": "https://${" + site["distribution"] + ".DomainName}"}


def _quoted(origin: dict[str, Any]) -> dict[str, Any]:
    """A static response header value for API Gateway mappings: the origin in single quotes."""
    return {"Fn::Sub": "'" + origin["Fn::Sub"] + "'"}


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


def _ensure_pool(ctx: BuildContext) -> dict[str, str]:
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
@component("rest-api")
def rest_api(ctx: BuildContext, options: dict[str, Any]) -> None:
    """API Gateway REST API + Cognito authorizer + /users resources + stage + the users function."""
    cid = "rest-api"
    req = ctx.requirements
    table = _ensure_users_table(ctx)
    pool = _ensure_pool(ctx)
    fn = _users_function(ctx, table, cid)
    rate, burst, sizing = api_throttle(ctx)

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
    ctx.add(
        "RestApiAuthorizer",
        "AWS::ApiGateway::Authorizer",
        {
            "Name": "cognito",
            "Type": "COGNITO_USER_POOLS",
            "IdentitySource": "method.request.header.Authorization",
            "ProviderARNs": [{"Fn::GetAtt": [pool["user_pool"], "Arn"]}],
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
    ctx.connect("RestApi", fn, "request", "Lambda proxy")
    ctx.connect("RestApi", pool["user_pool"], "reference", "Cognito authorizer")
    ctx.connect(fn, table, "data", "GetItem/PutItem")
    ctx.connect("RestApi", "RestApiAccessLogs", "data", "access logs")
    ctx.outputs.setdefault("apis", {})["rest"] = "RestApi"
    ctx.design.outputs.setdefault(
        "ApiUrl",
        {
            "Description": "REST API base URL",
            "Value": {
                "Fn::Sub": "https://${RestApi}.execute-api.${AWS::Region}.amazonaws.com/" + ctx.environment
            },
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


@component("http-api")
def http_api(ctx: BuildContext, options: dict[str, Any]) -> None:
    """API Gateway v2 HTTP API + Cognito JWT authorizer + routes + $default stage + Lambda.

    Options: ``handler`` = ``users_api`` or ``order_service`` (default: ``order_service`` in the
    event-driven pattern, ``users_api`` elsewhere).
    """
    cid = "http-api"
    req = ctx.requirements
    default = "order_service" if ctx.pattern_id == "event-driven-microservices" else "users_api"
    handler = str(options.get("handler", default))
    if handler not in _HTTP_ROUTES:
        from cloudwright.errors import InputError

        raise InputError(
            "unknown http-api handler", field="options.handler", value=handler, allowed=sorted(_HTTP_ROUTES)
        )
    pool = _ensure_pool(ctx)
    if handler == "users_api":
        table = _ensure_users_table(ctx)
        fn = _users_function(ctx, table, cid)
    else:
        from cloudwright.design.components.messaging import ensure_order_service

        fn = ensure_order_service(ctx)
    rate, burst, sizing = api_throttle(ctx)
    monthly_req = monthly(ctx, req.requests_per_second)
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
    ctx.add(
        "HttpApiAuthorizer",
        "AWS::ApiGatewayV2::Authorizer",
        {
            "ApiId": {"Ref": "HttpApi"},
            "Name": "cognito-jwt",
            "AuthorizerType": "JWT",
            "IdentitySource": ["$request.header.Authorization"],
            "JwtConfiguration": {
                "Audience": [{"Ref": pool["client"]}],
                "Issuer": {
                    "Fn::Sub": "https://cognito-idp.${AWS::Region}.amazonaws.com/${" + pool["user_pool"] + "}"
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
    for i, route_key in enumerate(_HTTP_ROUTES[handler]):
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
    _lambda_permission(
        ctx,
        "HttpApiInvokePermission",
        fn,
        {"Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*"},
        cid,
    )
    ctx.connect("HttpApi", fn, "request", "Lambda proxy (payload 2.0)")
    ctx.connect("HttpApi", pool["user_pool"], "reference", "JWT issuer")
    ctx.connect("HttpApi", "HttpApiAccessLogs", "data", "access logs")
    ctx.outputs.setdefault("apis", {})["http"] = "HttpApi"
    ctx.design.outputs.setdefault(
        "HttpApiUrl",
        {"Description": "HTTP API base URL", "Value": {"Fn::GetAtt": ["HttpApi", "ApiEndpoint"]}},
    )


_HTTP_ACCESS_LOG_FORMAT = (
    '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",'
    '"routeKey":"$context.routeKey","status":"$context.status","responseLength":"$context.responseLength",'
    '"latency":"$context.responseLatency","integrationError":"$context.integrationErrorMessage"}'
)
