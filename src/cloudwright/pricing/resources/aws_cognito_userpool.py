"""Cognito user pool: monthly active users by feature plan (Lite / Essentials / Plus, Nov 2024 plans)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit

USAGE = (
    UsageKey(
        "monthly_active_users",
        "MAU",
        "Users with an identity operation in the month (direct and social sign-in)",
    ),
    UsageKey("monthly_federated_active_users", "MAU", "Users signing in through SAML or OIDC federation"),
)


@cost_model("AWS::Cognito::UserPool", service="AmazonCognito", usage=USAGE, usage_only=True)
def user_pool(r: Resource, ctx: ModelContext) -> list[Charge]:
    """UserPoolTier LITE | ESSENTIALS (default for new pools) | PLUS."""
    tier = str(lit(ctx, r.prop("UserPoolTier"), "ESSENTIALS")).upper()
    out = [
        charge(
            f"Monthly active users ({tier.title()} plan)",
            ctx.num("monthly_active_users"),
            "MAU",
            ctx.q("AmazonCognito", tier=tier),
            "monthly_active_users",
            pool=None if tier == "PLUS" else "cognito-mau",
        )
    ]
    fed = ctx.num("monthly_federated_active_users")
    if fed is not None:
        out.append(
            charge(
                "Federated (SAML/OIDC) monthly active users",
                fed,
                "MAU",
                ctx.q("AmazonCognito", usagetype="CognitoUserPoolsMAU-Federated"),
                "monthly_federated_active_users",
                pool="cognito-federated-mau",
            )
        )
    return out
