"""AWS Backup vault: warm backup storage of the recovery points it holds (at the vault's Region)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (UsageKey("storage_gb", "GB", "Backup storage held in the vault (warm storage)"),)


@cost_model("AWS::Backup::BackupVault", service="AWSBackup", usage=USAGE, usage_only=True)
def backup_vault(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Warm backup storage per GB-month (a Region without a catalogue row says price unknown)."""
    return [
        charge(
            "Backup storage (warm)",
            ctx.num("storage_gb"),
            "GB-months",
            ctx.q("AWSBackup", usagetype="re:(^|-)WarmStorage-ByteHrs"),
            "storage_gb",
        )
    ]
