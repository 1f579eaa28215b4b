"""WAFv2 web ACL: ACL-month, rules (rule groups count as one each) and requests."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, global_ctx, lit

USAGE = (UsageKey("monthly_requests", "requests/month", "Web requests inspected per month"),)


@cost_model("AWS::WAFv2::WebACL", usage=USAGE)
def web_acl(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Rules from the Rules list; managed rule groups are billed like a rule ($1/month) here."""
    if str(lit(ctx, r.prop("Scope"), "REGIONAL")).upper() == "CLOUDFRONT":
        ctx = global_ctx(ctx)  # web ACLs for CloudFront are global, billed in us-east-1
    rules = Decimal(len([x for x in r.prop("Rules") or [] if isinstance(x, dict)]))
    out = [charge("Web ACL", Decimal(1), "web ACLs", ctx.q("awswaf", usagetype="re:(^|-)WebACL$"))]
    if rules:
        out.append(charge(f"Rules ({rules})", rules, "rules", ctx.q("awswaf", usagetype="re:(^|-)Rule$")))
    out.append(
        charge(
            "Requests",
            ctx.num("monthly_requests"),
            "requests",
            ctx.q("awswaf", usagetype="re:(^|-)Request$"),
            "monthly_requests",
        )
    )
    return out
