"""AWS Lambda function: requests, duration (GB-s, tiered, x86/Arm), ephemeral storage and
provisioned concurrency."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from cloudwright.design.model import Resource, list_or_empty
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import MB_PER_GB, SECONDS_PER_HOUR, charge, lit, mul, num

USAGE = (
    UsageKey("monthly_requests", "requests/month", "Invocations per month"),
    UsageKey("request_duration_ms", "ms", "Average billed duration per invocation (rounded up to 1 ms)"),
    UsageKey(
        "provisioned_concurrency",
        "concurrent executions",
        "Provisioned concurrency configured all month (invocations then bill at the provisioned rate)",
    ),
)


@cost_model("AWS::Lambda::Function", service="AWSLambda", usage=USAGE, usage_only=True)
def lambda_function(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Requests + GB-seconds; duration uses MemorySize (default 128 MB) and Architectures (x86_64/arm64)."""
    arch = lit(ctx, (list_or_empty(lit(ctx, r.prop("Architectures"), [])) or ["x86_64"])[0], "x86_64")
    arm = arch == "arm64"
    suffix = "-ARM" if arm else ""
    memory_gb = (num(ctx, r.prop("MemorySize"), 128) or Decimal(128)) / MB_PER_GB
    storage_mb = num(ctx, r.prop("EphemeralStorage.Size"), 512) or Decimal(512)
    requests = ctx.num("monthly_requests")
    duration_ms = ctx.num("request_duration_ms")
    if duration_ms is not None:
        duration_ms = duration_ms.to_integral_value(rounding=ROUND_CEILING)
    seconds = mul(requests, None if duration_ms is None else duration_ms / 1000)
    gb_seconds = mul(seconds, memory_gb)
    pc = ctx.num("provisioned_concurrency")
    label = "Arm" if arm else "x86"
    out = [
        charge(
            "Requests",
            requests,
            "requests",
            ctx.q("AWSLambda", group="AWS-Lambda-Requests" + suffix),
            "monthly_requests",
            pool="lambda-requests",
        )
    ]
    if pc:
        month_s = ctx.hours * SECONDS_PER_HOUR
        out.append(
            charge(
                f"Provisioned concurrency ({pc} x {memory_gb * MB_PER_GB:.0f} MB, {label})",
                pc * memory_gb * month_s,
                "GB-seconds",
                ctx.q("AWSLambda", group="AWS-Lambda-Provisioned-Concurrency" + suffix),
                "provisioned_concurrency",
            )
        )
        out.append(
            charge(
                f"Duration on provisioned concurrency ({label})",
                gb_seconds,
                "GB-seconds",
                ctx.q("AWSLambda", group="AWS-Lambda-Duration-Provisioned" + suffix),
                "monthly_requests",
                "request_duration_ms",
            )
        )
    else:
        out.append(
            charge(
                f"Duration ({memory_gb * MB_PER_GB:.0f} MB, {label})",
                gb_seconds,
                "GB-seconds",
                ctx.q("AWSLambda", group="AWS-Lambda-Duration" + suffix),
                "monthly_requests",
                "request_duration_ms",
                pool="lambda-gb-seconds",
            )
        )
    if storage_mb > 512:
        out.append(
            charge(
                f"Ephemeral storage above 512 MB ({storage_mb:.0f} MB)",
                mul(seconds, (storage_mb - 512) / MB_PER_GB),
                "GB-seconds",
                ctx.q("AWSLambda", group="AWS-Lambda-Storage-Duration"),
                "monthly_requests",
                "request_duration_ms",
            )
        )
    return out
