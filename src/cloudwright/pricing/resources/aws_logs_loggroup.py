"""CloudWatch Logs log group: ingestion, storage, Logs Insights scans."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey("monthly_data_ingested_gb", "GB/month", "Log data ingested (standard class)"),
    UsageKey("storage_gb", "GB", "Archived (stored) log data, after retention"),
    UsageKey("monthly_data_scanned_gb", "GB/month", "Data scanned by Logs Insights queries"),
)


@cost_model("AWS::Logs::LogGroup", service="AmazonCloudWatch", usage=USAGE, usage_only=True)
def log_group(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Standard log class; vended-log volume tiers are not modelled."""
    svc = "AmazonCloudWatch"
    out = [
        charge(
            "Data ingested",
            ctx.num("monthly_data_ingested_gb"),
            "GB",
            ctx.q(svc, usagetype="re:(^|-)DataProcessing-Bytes$"),
            "monthly_data_ingested_gb",
            pool="cloudwatch-logs",
        ),
        charge(
            "Storage (archived)",
            ctx.num("storage_gb"),
            "GB-months",
            ctx.q(svc, usagetype="re:(^|-)TimedStorage-ByteHrs$"),
            "storage_gb",
        ),
    ]
    scanned = ctx.num("monthly_data_scanned_gb")
    if scanned is not None:
        out.append(
            charge(
                "Logs Insights data scanned",
                scanned,
                "GB",
                ctx.q(svc, usagetype="re:(^|-)DataScanned-Bytes$"),
                "monthly_data_scanned_gb",
            )
        )
    return out
