"""WAFv2 web ACL: ACL-month, rules (rule groups count as one each) and requests."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, global_ctx, lit

USAGE = (
    UsageKey("monthly_requests", "requests/month", "Web requests inspected per month"),
    UsageKey("rule_group_rules", "rules", "Rules inside the rule groups the web ACL uses (billed per rule)"),
    UsageKey(
        "managed_rule_group_rules",
        "rules",
        "Rules inside the managed rule groups the web ACL uses (per rule)",
    ),
)


@cost_model("AWS::WAFv2::WebACL", service="awswaf", usage=USAGE)
def web_acl(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Rules from the Rules list; managed rule groups are billed like a rule ($1/month) here."""
    if str(lit(ctx, r.prop("Scope"), "REGIONAL")).upper() == "CLOUDFRONT":
        ctx = global_ctx(ctx)  # web ACLs for CloudFront are global, billed in us-east-1
    rules = Decimal(len([x for x in r.prop_list("Rules") if isinstance(x, dict)]))
    out = [charge("Web ACL", Decimal(1), "web ACLs", ctx.q("awswaf", usagetype="re:(^|-)WebACL$"))]
    if rules:
        out.append(charge(f"Rules ({rules})", rules, "rules", ctx.q("awswaf", usagetype="re:(^|-)Rule$")))
    group_rules = [ctx.num(k) for k in ("rule_group_rules", "managed_rule_group_rules")]
    if any(n is not None for n in group_rules):
        inside = sum((n for n in group_rules if n is not None), Decimal(0))
        out.append(
            charge(
                f"Rules inside rule groups ({inside})",
                inside,
                "rules",
                ctx.q("awswaf", usagetype="re:(^|-)Rule$"),
                "rule_group_rules",
                "managed_rule_group_rules",
            )
        )
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
