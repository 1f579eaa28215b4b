"""KMS customer managed key: key-month + requests (symmetric, or RSA asymmetric)."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit

USAGE = (UsageKey("monthly_requests", "requests/month", "Cryptographic requests per month"),)


@cost_model("AWS::KMS::Key", service="awskms", usage=USAGE)
def key(r: Resource, ctx: ModelContext) -> list[Charge]:
    """KeySpec SYMMETRIC_DEFAULT (default) or RSA_*; the 20,000-request free tier is not applied
    (not re-verified)."""
    spec = str(lit(ctx, r.prop("KeySpec"), "SYMMETRIC_DEFAULT"))
    usagetype = "re:(^|-)KMS-Requests-Asymmetric-RSA$" if spec.startswith("RSA") else "re:(^|-)KMS-Requests$"
    return [
        charge("Customer managed key", Decimal(1), "keys", ctx.q("awskms", usagetype="re:(^|-)KMS-Keys$")),
        charge(
            "Requests",
            ctx.num("monthly_requests"),
            "requests",
            ctx.q("awskms", usagetype=usagetype),
            "monthly_requests",
        ),
    ]
