"""AWS Backup plan: the inter-Region transfer of its cross-Region copy actions.

The backups themselves are billed as storage on the vaults that hold them.
"""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (UsageKey("monthly_copied_gb", "GB/month", "Backup data copied to another Region per month"),)


@cost_model("AWS::Backup::BackupPlan", service="AWSDataTransfer", usage=USAGE, usage_only=True)
def backup_plan(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Cross-Region copies are charged as inter-Region data transfer out of the source Region."""
    rules = r.prop_list("BackupPlan.BackupPlanRule")
    copies = any(isinstance(rule, dict) and rule.get("CopyActions") for rule in rules)
    if not copies:
        return []
    return [
        charge(
            "Cross-Region backup copy transfer",
            ctx.num("monthly_copied_gb"),
            "GB",
            ctx.q("AWSDataTransfer", transferType="InterRegion Outbound"),
            "monthly_copied_gb",
        )
    ]
