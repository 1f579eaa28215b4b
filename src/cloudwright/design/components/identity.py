"""User sign-up and sign-in: the ``cognito`` builder (user pool + app client)."""

from __future__ import annotations

from typing import Any

from cloudwright.design.build import BuildContext, NoOptions, UserPool, component

SRC_COGNITO_PLANS = (
    "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html "
    "(Lite, Essentials, Plus; threat protection needs Plus)"
)
SRC_COGNITO_QUOTAS = "https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html"


def _plan(ctx: BuildContext) -> str:
    """Plus (threat protection: compromised-credential and adaptive authentication) in prod when a
    compliance regime applies; Essentials otherwise (10,000 MAU free)."""
    return "PLUS" if ctx.is_prod and ctx.requirements.compliance else "ESSENTIALS"


def _pool_properties(ctx: BuildContext, plan: str) -> dict[str, Any]:
    """E-mail sign-in with verification, optional TOTP MFA, a 12-character password policy."""
    props: dict[str, Any] = {
        "UserPoolName": {"Fn::Sub": "${AWS::StackName}-users"},
        "UsernameAttributes": ["email"],
        "AutoVerifiedAttributes": ["email"],
        "MfaConfiguration": "OPTIONAL",
        "EnabledMfas": ["SOFTWARE_TOKEN_MFA"],
        "Policies": {
            "PasswordPolicy": {
                "MinimumLength": 12,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
                "TemporaryPasswordValidityDays": 3,
            }
        },
        "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]},
        "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": False},
        "UserPoolTier": plan,
        "DeletionProtection": "ACTIVE" if ctx.is_prod else "INACTIVE",
    }
    if plan == "PLUS":
        props["UserPoolAddOns"] = {"AdvancedSecurityMode": "ENFORCED"}
    return props


def _app_client_properties() -> dict[str, Any]:
    """A public client (no secret): SRP sign-in, 1-hour tokens, 30-day refresh tokens."""
    return {
        "UserPoolId": {"Ref": "UserPool"},
        "ClientName": "web-and-mobile",
        "GenerateSecret": False,
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        "PreventUserExistenceErrors": "ENABLED",
        "EnableTokenRevocation": True,
        "AccessTokenValidity": 60,
        "IdTokenValidity": 60,
        "RefreshTokenValidity": 30,
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
    }


def _add_pool(ctx: BuildContext, component_id: str) -> None:
    req = ctx.requirements
    plan = _plan(ctx)
    # identity users are the users who sign in; anonymous readers never count
    mau = round(req.signed_in_users * ctx.load_factor)
    ctx.add(
        "UserPool",
        "AWS::Cognito::UserPool",
        _pool_properties(ctx, plan),
        usage={"monthly_active_users": mau},
        label="Cognito user pool",
        role="identity",
        tier="regional",
        rationale=(
            f"Managed sign-up/sign-in with e-mail verification, optional TOTP MFA and a 12-character "
            f"password "
            f"policy; {plan.title()} plan"
            + (
                " with threat protection enforced (compliance)."
                if plan == "PLUS"
                else " (threat protection needs Plus; enable it when a compliance regime applies)."
            )
        ),
        sizing=[
            {
                "rule": "monthly active users = expected_users × signed_in_share_percent × environment load",
                "value": f"{mau:,} MAU",
                "source": "requirements (expected_users, signed_in_share_percent)",
            },
            {"rule": "feature plan", "value": plan, "source": SRC_COGNITO_PLANS},
        ],
        attributes={
            "DeletionPolicy": "Retain" if ctx.is_prod else "Delete",
            "UpdateReplacePolicy": "Retain" if ctx.is_prod else "Delete",
        },
        component_id=component_id,
    )


def ensure_user_pool(ctx: BuildContext, component_id: str = "cognito") -> UserPool:
    """Add the user pool and web/mobile app client once and return them."""
    if ctx.provided.user_pool:
        return ctx.provided.user_pool
    _add_pool(ctx, component_id)
    ctx.add(
        "UserPoolClient",
        "AWS::Cognito::UserPoolClient",
        _app_client_properties(),
        label="App client",
        role="identity",
        rationale="Public client (no secret) for browsers and mobile apps: SRP sign-in, 1-hour tokens, "
        "30-day refresh tokens, no user-existence leaks.",
        component_id=component_id,
    )
    ctx.connect("UserPoolClient", "UserPool", "reference", "app client")
    ctx.provided.user_pool = UserPool(user_pool="UserPool", client="UserPoolClient")
    ctx.design.outputs.setdefault(
        "UserPoolId", {"Description": "Cognito user pool id", "Value": {"Ref": "UserPool"}}
    )
    ctx.design.outputs.setdefault(
        "UserPoolClientId", {"Description": "Cognito app client id", "Value": {"Ref": "UserPoolClient"}}
    )
    return ctx.provided.user_pool


@component("cognito", options=NoOptions, uses=["kms_key"], provides=["user_pool"], stage="foundation")
def cognito(ctx: BuildContext, options: NoOptions) -> None:
    """Cognito user pool + app client (password policy, optional MFA, threat protection per plan)."""
    ensure_user_pool(ctx)
