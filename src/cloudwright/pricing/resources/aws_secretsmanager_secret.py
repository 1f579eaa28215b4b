"""Secrets Manager secret: per secret-month (each replica counts as a secret) + API calls."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource, list_or_empty
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit

USAGE = (UsageKey("monthly_requests", "requests/month", "API calls (GetSecretValue, ...) per month"),)


@cost_model("AWS::SecretsManager::Secret", service="AWSSecretsManager", usage=USAGE)
def secret(r: Resource, ctx: ModelContext) -> list[Charge]:
    """ReplicaRegions add one secret-month each."""
    replicas = list_or_empty(lit(ctx, r.prop("ReplicaRegions"), []))
    count = Decimal(1 + len(replicas))
    return [
        charge(
            f"Secret ({count} incl. replicas)" if count > 1 else "Secret",
            count,
            "secrets",
            ctx.q("AWSSecretsManager", usagetype="re:(^|-)AWSSecretsManager-Secrets$"),
        ),
        charge(
            "API requests",
            ctx.num("monthly_requests"),
            "requests",
            ctx.q("AWSSecretsManager", usagetype="re:(^|-)AWSSecretsManager-APIRequest$"),
            "monthly_requests",
        ),
    ]
