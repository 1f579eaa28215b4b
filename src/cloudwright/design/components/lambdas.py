"""The Lambda building block every serverless builder uses (:func:`add_function`) and its helpers.

A function gets its own least-privilege role, a log group with retention, arm64 on a supported Python
runtime, X-Ray tracing in production and usage keys derived from the requirements. The helpers for the
pattern's customer managed key, log retention and checkov suppressions are shared with the VPC builders.
"""

from __future__ import annotations

from typing import Any

from cloudwright.design.build import BuildContext
from cloudwright.design.components.iam import managed_policy, trust_policy
from cloudwright.units import MONTH_SECONDS, JsonValue

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

#: Runtime for every generated function: supported until at least 2028 per SRC_LAMBDA_RUNTIMES.
PYTHON_RUNTIME = "python3.12"
SECONDS_PER_MONTH = MONTH_SECONDS


# --- shared helpers --------------------------------------------------------------------------------
def kms_key(ctx: BuildContext) -> str | None:
    """Logical id of the customer managed key published by the ``kms`` builder, if the pattern has one."""
    key = ctx.provided.kms_key
    return key.key if key else None


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
    """The trust policy letting ``service`` (Lambda by default) assume a role (:func:`.iam.trust_policy`)."""
    return trust_policy(service)


def policy_document(statements: list[dict[str, Any]]) -> dict[str, Any]:
    """An IAM policy document holding ``statements``."""
    return {"Version": "2012-10-17", "Statement": statements}


def service_role_properties(
    service: str, policy_name: str, statements: list[dict[str, Any]]
) -> dict[str, Any]:
    """``AWS::IAM::Role`` properties: assumable by ``service`` (e.g. ``states.amazonaws.com``), with one
    inline policy of ``statements``."""
    return {
        "AssumeRolePolicyDocument": lambda_assume_policy(service),
        "Policies": [{"PolicyName": policy_name, "PolicyDocument": policy_document(statements)}],
    }


#: Assumed log volume per invocation: about 0.5 KB (START/END/REPORT + one line).
LOG_KB_PER_INVOCATION = 0.5
#: The design assumption that sums every function's sized peak concurrency (one account-wide quota).
CONCURRENCY_TOTAL = "lambda_peak_concurrency_total"


def _add_function_role(
    ctx: BuildContext,
    role_id: str,
    *,
    log_id: str,
    label: str,
    statements: list[dict[str, Any]],
    dead_letter_queue: str | None,
    component_id: str | None,
) -> None:
    """The function's own role: write its logs, the given ``statements``, decrypt with the pattern's key
    (environment variables), send to its dead-letter queue, and X-Ray in prod."""
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
    role_props = service_role_properties("lambda.amazonaws.com", "least-privilege", policy_statements)
    if ctx.is_prod:
        role_props["ManagedPolicyArns"] = [managed_policy("AWSXRayDaemonWriteAccess")]
    ctx.add(
        role_id,
        "AWS::IAM::Role",
        role_props,
        label=f"{label} role",
        role="iam",
        rationale="One role per function, each statement scoped to the resources the function touches.",
        component_id=component_id,
    )


def _function_properties(
    ctx: BuildContext,
    *,
    handler: str,
    role_id: str,
    log_id: str,
    environment: dict[str, Any] | None,
    memory_mb: int,
    timeout_s: int,
    dead_letter_queue: str | None,
) -> dict[str, Any]:
    """Python on arm64, inline handler source, JSON logs to its own group, the pattern's key, X-Ray
    in prod."""
    from cloudwright.design.handlers import load_handler

    props: dict[str, Any] = {
        "Runtime": PYTHON_RUNTIME,
        "Architectures": ["arm64"],
        "Handler": "index.handler",
        "Code": {"ZipFile": load_handler(handler)},
        "MemorySize": memory_mb,
        "Timeout": timeout_s,
        "Role": {"Fn::GetAtt": [role_id, "Arn"]},
        "Environment": {"Variables": dict(environment or {})},
        "LoggingConfig": {"LogGroup": {"Ref": log_id}, "LogFormat": "JSON"},
    }
    if dead_letter_queue:
        props["DeadLetterConfig"] = {"TargetArn": {"Fn::GetAtt": [dead_letter_queue, "Arn"]}}
    key = kms_arn(ctx)
    if key:
        props["KmsKeyArn"] = key
    if ctx.is_prod:
        props["TracingConfig"] = {"Mode": "Active"}
    return props


def _concurrency_sizing(
    ctx: BuildContext, *, rps: float, duration_ms: int, memory_mb: int
) -> tuple[int, list[dict[str, Any]]]:
    """Peak concurrency (peak requests/s × duration) and the sizing notes for concurrency, memory, runtime."""
    from cloudwright.design import sizing as sizing_rules

    peak = rps * ctx.requirements.peak_to_average_ratio * ctx.load_factor
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
    return concurrency, sizing


def _warn_concurrency(ctx: BuildContext, label: str, concurrency: int, invocation: str) -> None:
    """Quota warnings for this function and for every function together (one account-wide pool), and a
    cold-start note for tight synchronous latency targets in prod."""
    from cloudwright import quotas

    so_far = ctx.design.assumptions.get(CONCURRENCY_TOTAL, 0)
    total = (int(so_far) if isinstance(so_far, int | float | str) else 0) + concurrency
    ctx.assume(CONCURRENCY_TOTAL, total)
    warning = quotas.check("lambda.concurrent_executions", concurrency)
    if warning:
        ctx.warn(f"{label}: {warning}")
    # the quota is shared by every function in the account and Region: check the sum too (one warning)
    prefix = "Lambda functions together: "
    ctx.design.warnings = [w for w in ctx.design.warnings if not w.startswith(prefix)]
    shared = quotas.check("lambda.concurrent_executions", total)
    if shared and ctx.design.by_type("AWS::Lambda::Function"):
        ctx.warn(prefix + shared)
    req = ctx.requirements
    if invocation == "sync" and ctx.is_prod and req.latency_p95_ms < 100:
        ctx.warn(
            f"{label}: the p95 latency target of {req.latency_p95_ms} ms leaves little room for Lambda cold "
            "starts; measure, then consider provisioned concurrency on a published alias."
        )


def _function_checks(ctx: BuildContext, concurrency: int, invocation: str) -> list[tuple[str, str]]:
    """The checkov checks a generated function skips, each with its reason."""
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
    if not kms_arn(ctx):
        checks.append(
            (
                "CKV_AWS_173",
                "Environment variables hold only resource names, no secrets; encrypted at "
                "rest with the Lambda service key.",
            )
        )
    return checks


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
    log_id = f"{logical_id}Logs"
    role_id = f"{logical_id}Role"
    monthly_requests = monthly(ctx, rps)
    add_log_group(
        ctx,
        log_id,
        label=f"{label} logs",
        monthly_gb=monthly_requests * LOG_KB_PER_INVOCATION / (1024 * 1024),
        component_id=component_id,
    )
    _add_function_role(
        ctx,
        role_id,
        log_id=log_id,
        label=label,
        statements=statements,
        dead_letter_queue=dead_letter_queue,
        component_id=component_id,
    )
    props = _function_properties(
        ctx,
        handler=handler,
        role_id=role_id,
        log_id=log_id,
        environment=environment,
        memory_mb=memory_mb,
        timeout_s=timeout_s,
        dead_letter_queue=dead_letter_queue,
    )
    concurrency, sizing = _concurrency_sizing(ctx, rps=rps, duration_ms=duration_ms, memory_mb=memory_mb)
    _warn_concurrency(ctx, label, concurrency, invocation)
    ctx.add(
        logical_id,
        "AWS::Lambda::Function",
        props,
        usage={"monthly_requests": monthly_requests, "request_duration_ms": duration_ms},
        label=label,
        role=role,
        rationale=rationale,
        sizing=sizing,
        attributes={"Metadata": skip(*_function_checks(ctx, concurrency, invocation))},
        component_id=component_id,
    )
    ctx.connect(logical_id, log_id, "data", "logs")
    if dead_letter_queue:
        ctx.connect(logical_id, dead_letter_queue, "event", "failed async events")
    return logical_id


def function_environment(ctx: BuildContext, function: str) -> dict[str, JsonValue]:
    """The environment variables of a function made by :func:`add_function`, to add to or drop from."""
    env = ctx.design[function].properties.get("Environment")
    variables = env.get("Variables") if isinstance(env, dict) else None
    if not isinstance(variables, dict):
        raise TypeError(f"{function} has no Environment.Variables mapping")
    return variables


def role_statements(ctx: BuildContext, role: str) -> list[JsonValue]:
    """The statements of a role's first inline policy (as :func:`service_role_properties` writes it), to add
    to or drop from."""
    policies = ctx.design[role].properties.get("Policies")
    first = policies[0] if isinstance(policies, list) and policies else None
    document = first.get("PolicyDocument") if isinstance(first, dict) else None
    statements = document.get("Statement") if isinstance(document, dict) else None
    if not isinstance(statements, list):
        raise TypeError(f"{role} has no inline policy statements")
    return statements


def function_arn(logical_id: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id, "Arn"]}


def table_statement(table_id: str, actions: list[str], *, indexes: bool = False) -> dict[str, Any]:
    resources: list[Any] = [{"Fn::GetAtt": [table_id, "Arn"]}]
    if indexes:
        resources.append({"Fn::Sub": "${" + table_id + ".Arn}/index/*"})
    return {"Effect": "Allow", "Action": sorted(actions), "Resource": resources}
