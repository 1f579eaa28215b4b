"""EFS file system: Standard storage and, with a lifecycle policy, Infrequent Access storage and access."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge, lit

USAGE = (
    UsageKey("storage_gb", "GB", "Average data stored (Standard storage class)"),
    UsageKey("infrequent_access_storage_gb", "GB", "Average data stored in the Infrequent Access class"),
    UsageKey("monthly_infrequent_access_read_gb", "GB/month", "Data read from Infrequent Access storage"),
    UsageKey("monthly_infrequent_access_write_gb", "GB/month", "Data written to Infrequent Access storage"),
)

_IA_KEYS = tuple(u.key for u in USAGE[1:])


@cost_model("AWS::EFS::FileSystem", service="AmazonEFS", usage=USAGE, usage_only=True)
def file_system(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Standard storage; Infrequent Access lines (as infracost) when LifecyclePolicies are set or an
    infrequent-access key is given — One Zone IA when AvailabilityZoneName is set."""
    out = [
        charge(
            "Storage (Standard)",
            ctx.num("storage_gb"),
            "GB-months",
            ctx.q("AmazonEFS", storageClass="General Purpose"),
            "storage_gb",
        )
    ]
    if not r.prop("LifecyclePolicies") and all(ctx.usage.get(k) is None for k in _IA_KEYS):
        return out
    one_zone = lit(ctx, r.prop("AvailabilityZoneName")) is not None
    out.append(
        charge(
            "Storage (One Zone, Infrequent Access)" if one_zone else "Storage (Infrequent Access)",
            ctx.num("infrequent_access_storage_gb"),
            "GB-months",
            ctx.q(
                "AmazonEFS",
                usagetype="re:(^|-)IATimedStorage-Z-ByteHrs$"
                if one_zone
                else "re:(^|-)IATimedStorage-ByteHrs$",
            ),
            "infrequent_access_storage_gb",
        )
    )
    for key, access in (
        ("monthly_infrequent_access_read_gb", "Read"),
        ("monthly_infrequent_access_write_gb", "Write"),
    ):
        out.append(
            charge(
                f"{access} requests (Infrequent Access)",
                ctx.num(key),
                "GB",
                ctx.q("AmazonEFS", storageClass="Infrequent Access", accessType=access),
                key,
            )
        )
    return out
