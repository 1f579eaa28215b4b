"""SNS topic: publishes (64 KB chunks) and HTTP/email deliveries (SQS and Lambda deliveries are free)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, chunks, mul, truthy
from cloudwright.units import D

USAGE = (
    UsageKey("monthly_requests", "requests/month", "Publish requests per month"),
    UsageKey("request_size_kb", "KB", "Average message size (billed in 64 KB chunks)"),
    UsageKey("http_subscriptions", "subscriptions", "HTTP/S subscriptions (each receives every message)"),
    UsageKey("email_subscriptions", "subscriptions", "Email subscriptions (each receives every message)"),
    UsageKey("sqs_subscriptions", "subscriptions", "SQS/Lambda subscriptions (deliveries are free)"),
    UsageKey(
        "kinesis_subscriptions", "subscriptions", "Data Firehose subscriptions (each receives every message)"
    ),
    UsageKey(
        "mobile_push_subscriptions",
        "subscriptions",
        "Mobile push subscriptions (each receives every message)",
    ),
    UsageKey(
        "macos_subscriptions", "subscriptions", "macOS push subscriptions (each receives every message)"
    ),
    UsageKey("sms_subscriptions", "subscriptions", "SMS subscriptions (each receives every message)"),
    UsageKey(
        "sms_notification_price",
        "USD per SMS",
        "Your price per SMS (it depends on the destination country; without it: price unknown)",
    ),
)

#: Deliveries priced per notification with no free allowance: (usage key, label, usagetype pattern).
#: As in infracost, each publish chunk (64 KB) is delivered to every subscription.
_PUSH_DELIVERIES = (
    ("kinesis_subscriptions", "Data Firehose deliveries", "re:(^|-)DeliveryAttempts-FIREHOSE$"),
    ("mobile_push_subscriptions", "Mobile push deliveries", "re:(^|-)DeliveryAttempts-APNS$"),
    ("macos_subscriptions", "macOS push deliveries", "re:(^|-)DeliveryAttempts-MACOS$"),
)


@cost_model("AWS::SNS::Topic", service="AmazonSNS", usage=USAGE, usage_only=True)
def topic(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Standard or FIFO topic (FifoTopic)."""
    fifo = truthy(ctx, r.prop("FifoTopic"))
    units = chunks(ctx.num("request_size_kb"), 64)
    publishes = mul(ctx.num("monthly_requests"), units)
    out = [
        charge(
            ("FIFO" if fifo else "Standard") + " publish requests",
            publishes,
            "requests",
            ctx.q("AmazonSNS", usagetype="re:(^|-)Requests-FIFO$" if fifo else "re:(^|-)Requests-Tier1$"),
            "monthly_requests",
            "request_size_kb",
            pool=None if fifo else "sns-requests",
        )
    ]
    subs = r.prop_list("Subscription")
    http = ctx.num("http_subscriptions")
    email = ctx.num("email_subscriptions")
    if http is None:
        n = sum(
            1 for s in subs if isinstance(s, dict) and str(s.get("Protocol", "")).lower() in ("http", "https")
        )
        http = D(n) if n else None
    if email is None:
        n = sum(
            1 for s in subs if isinstance(s, dict) and str(s.get("Protocol", "")).lower().startswith("email")
        )
        email = D(n) if n else None
    if http:
        out.append(
            charge(
                f"HTTP/S deliveries ({http} subscriptions)",
                mul(ctx.num("monthly_requests"), http),
                "notifications",
                ctx.q("AmazonSNS", usagetype="re:(^|-)DeliveryAttempts-HTTP$"),
                "monthly_requests",
                "http_subscriptions",
            )
        )
    if email:
        out.append(
            charge(
                f"Email deliveries ({email} subscriptions)",
                mul(ctx.num("monthly_requests"), email),
                "notifications",
                ctx.q("AmazonSNS", usagetype="re:(^|-)DeliveryAttempts-SMTP$"),
                "monthly_requests",
                "email_subscriptions",
            )
        )
    sms = ctx.num("sms_subscriptions")
    if sms:
        price = ctx.num("sms_notification_price")
        out.append(
            Charge(
                f"SMS deliveries ({sms} subscriptions)",
                mul(publishes, sms),
                "notifications",
                ctx.q("AmazonSNS", usagetype="re:(^|-)DeliveryAttempts-SMS$"),
                usage_keys=("monthly_requests", "request_size_kb", "sms_subscriptions"),
                note="SMS prices depend on the destination country; no free allowance is subtracted",
                user_price=None if price is None else (price, "sms_notification_price"),
            )
        )
    for key, label, pattern in _PUSH_DELIVERIES:
        subscriptions = ctx.num(key)
        if subscriptions:
            out.append(
                charge(
                    f"{label} ({subscriptions} subscriptions)",
                    mul(publishes, subscriptions),
                    "notifications",
                    ctx.q("AmazonSNS", usagetype=pattern),
                    "monthly_requests",
                    "request_size_kb",
                    key,
                )
            )
    return out
