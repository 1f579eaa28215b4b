"""S3 bucket: storage (by the storage class set in usage), tier-1/tier-2 requests, transfer out."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey("storage_gb", "GB", "Average stored data"),
    UsageKey(
        "storage_class",
        "name",
        "STANDARD (default), STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE",
        "string",
    ),
    UsageKey("monthly_tier_1_requests", "requests/month", "PUT, COPY, POST and LIST requests"),
    UsageKey("monthly_tier_2_requests", "requests/month", "GET, SELECT and all other requests"),
    UsageKey(
        "monthly_data_transfer_out_gb",
        "GB/month",
        "Data transferred from the bucket to the internet (not via CloudFront)",
    ),
    UsageKey("monthly_replicated_gb", "GB/month", "Data replicated to a bucket in another Region"),
)

_CLASS_USAGETYPE = {
    "STANDARD": "TimedStorage-ByteHrs",
    "STANDARD_IA": "TimedStorage-SIA-ByteHrs",
    "ONEZONE_IA": "TimedStorage-ZIA-ByteHrs",
    "INTELLIGENT_TIERING": "TimedStorage-INT-FA-ByteHrs",
    "GLACIER_IR": "TimedStorage-GIR-ByteHrs",
    "GLACIER": "TimedStorage-GlacierByteHrs",
    "DEEP_ARCHIVE": "TimedStorage-GDA-ByteHrs",
}


@cost_model("AWS::S3::Bucket", usage=USAGE, usage_only=True)
def bucket(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Storage priced tier by tier; requests per 1,000; internet egress at the data-transfer rates."""
    cls = str(ctx.usage.get("storage_class") or "STANDARD").upper()
    usagetype = _CLASS_USAGETYPE.get(cls, f"TimedStorage-{cls}")
    out = [
        charge(
            f"Storage ({cls.lower()})",
            ctx.num("storage_gb"),
            "GB-months",
            ctx.q("AmazonS3", usagetype=f"re:(^|-){usagetype}$"),
            "storage_gb",
        ),
        charge(
            "PUT, COPY, POST, LIST requests",
            ctx.num("monthly_tier_1_requests"),
            "requests",
            ctx.q("AmazonS3", usagetype="re:(^|-)Requests-Tier1$"),
            "monthly_tier_1_requests",
        ),
        charge(
            "GET, SELECT and other requests",
            ctx.num("monthly_tier_2_requests"),
            "requests",
            ctx.q("AmazonS3", usagetype="re:(^|-)Requests-Tier2$"),
            "monthly_tier_2_requests",
        ),
    ]
    egress = ctx.num("monthly_data_transfer_out_gb")
    if egress is not None:
        out.append(
            charge(
                "Data transfer out to the internet",
                egress,
                "GB",
                ctx.q("AWSDataTransfer", transferType="AWS Outbound"),
                "monthly_data_transfer_out_gb",
                pool="data-transfer-out",
            )
        )
    if r.prop("ReplicationConfiguration") is not None:
        out.append(
            charge(
                "Replication transfer to another Region",
                ctx.num("monthly_replicated_gb"),
                "GB",
                ctx.q("AWSDataTransfer", transferType="InterRegion Outbound"),
                "monthly_replicated_gb",
            )
        )
    return out
