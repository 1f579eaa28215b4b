"""S3 bucket: storage (by storage class), tier-1/tier-2 requests, transfer out.

Usage is either flat (``storage_gb`` with ``storage_class``) or infracost's storage-class blocks
(``standard: {storage_gb: …}``, ``intelligent_tiering: {…}``, ``standard_infrequent_access``,
``one_zone_infrequent_access``, ``glacier_instant_retrieval``, ``glacier_flexible_retrieval``,
``glacier_deep_archive``), with the same meaning as in infracost. Every block key is priced or, where
cloudwright has no product for it yet, shown as a line without a price (never dropped, never $0).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

#: infracost block name → (storage class, storage usagetype, request usagetype infix).
BLOCKS: dict[str, tuple[str, str, str]] = {
    "standard": ("STANDARD", "TimedStorage-ByteHrs", ""),
    "intelligent_tiering": ("INTELLIGENT_TIERING", "TimedStorage-INT-FA-ByteHrs", "INT-"),
    "standard_infrequent_access": ("STANDARD_IA", "TimedStorage-SIA-ByteHrs", "SIA-"),
    "one_zone_infrequent_access": ("ONEZONE_IA", "TimedStorage-ZIA-ByteHrs", "ZIA-"),
    "glacier_instant_retrieval": ("GLACIER_IR", "TimedStorage-GIR-ByteHrs", "GIR-"),
    "glacier_flexible_retrieval": ("GLACIER", "TimedStorage-GlacierByteHrs", "GLACIER-"),
    "glacier_deep_archive": ("DEEP_ARCHIVE", "TimedStorage-GDA-ByteHrs", "GDA-"),
}

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
    UsageKey("object_tags", "tags", "Total object tags (infracost key; not priced yet)"),
    *(
        UsageKey(
            name,
            "block",
            f"infracost storage-class block for {cls}: storage_gb, monthly_tier_1_requests, "
            "monthly_tier_2_requests and the class's other keys",
            "object",
        )
        for name, (cls, _u, _i) in BLOCKS.items()
    ),
)

_CLASS_USAGETYPE = {cls: usagetype for cls, usagetype, _i in BLOCKS.values()}

#: Block keys priced from catalogue rows: key → (description, unit, usagetype template).
_PRICED = {
    "storage_gb": ("Storage", "GB-months", "{storage}"),
    "frequent_access_storage_gb": (
        "Storage, frequent access tier",
        "GB-months",
        "TimedStorage-INT-FA-ByteHrs",
    ),
    "infrequent_access_storage_gb": (
        "Storage, infrequent access tier",
        "GB-months",
        "TimedStorage-INT-IA-ByteHrs",
    ),
    "monthly_tier_1_requests": ("PUT, COPY, POST, LIST requests", "requests", "Requests-{infix}Tier1"),
    "monthly_tier_2_requests": ("GET, SELECT and other requests", "requests", "Requests-{infix}Tier2"),
}


@cost_model("AWS::S3::Bucket", service="AmazonS3", also=("AWSDataTransfer",), usage=USAGE, usage_only=True)
def bucket(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Storage priced tier by tier; requests per 1,000; internet egress at the data-transfer rates."""
    blocks = {k: v for k, v in ctx.usage.items() if k in BLOCKS and isinstance(v, dict)}
    out: list[Charge] = []
    if blocks:
        for name in BLOCKS:
            if name in blocks:
                out += _block(ctx, name, blocks[name])
    else:
        cls = str(ctx.usage.get("storage_class") or "STANDARD").upper()
        usagetype = _CLASS_USAGETYPE.get(cls, f"TimedStorage-{cls}")
        out += [
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
    tags = ctx.num("object_tags")
    if tags:
        out.append(_unpriced(ctx, "Object tags", tags, "tags", "object_tags"))
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


def _block(ctx: ModelContext, name: str, usage: dict[str, Any]) -> list[Charge]:
    cls, storage, infix = BLOCKS[name]
    out = []
    for key, value in sorted(usage.items(), key=lambda kv: (kv[0] not in _PRICED, kv[0])):
        qty = None if value is None else ctx.number(f"{name}.{key}", value)
        where = f"{name}.{key}"
        if key in _PRICED:
            what, unit, template = _PRICED[key]
            usagetype = template.format(storage=storage, infix=infix)
            out.append(
                charge(
                    f"{what} ({cls.lower()})",
                    qty,
                    unit,
                    ctx.q("AmazonS3", usagetype=f"re:(^|-){usagetype}$"),
                    where,
                )
            )
        else:
            out.append(_unpriced(ctx, f"{key.replace('_', ' ')} ({cls.lower()})", qty, "", where))
    return out


def _unpriced(ctx: ModelContext, description: str, qty: Decimal | None, unit: str, key: str) -> Charge:
    """A usage cloudwright has no price for yet: a line without a price (the estimate says incomplete)."""
    return charge(description, qty, unit, ctx.q("AmazonS3", unpriced=key), key)
