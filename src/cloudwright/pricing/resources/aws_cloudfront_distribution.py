"""CloudFront distribution (pay-as-you-go): data out to the internet and to origins, HTTP/HTTPS requests,
by edge geography.

Each usage value is either a number (served from the United States, Mexico and Canada edges) or, as in
infracost's usage files, a mapping of edge geographies to amounts: ``us``, ``europe``, ``south_africa``,
``south_america``, ``japan``, ``australia``, ``asia_pacific``, ``india``. Internet transfer is priced
for every geography, tier by tier, and so are requests and transfer to the origin. Invalidation paths,
field-level encryption requests, real-time log lines, dedicated IP certificates and Origin Shield
requests are priced as infracost prices them.
"""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.errors import InputError
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

_GEO_HELP = " (a number for US/Mexico/Canada edges, or a mapping by edge geography: us, europe, …)"

#: infracost's Origin Shield geographies (``monthly_shield_requests`` keys).
SHIELD_GEOGRAPHIES = (
    "us",
    "europe",
    "south_america",
    "japan",
    "australia",
    "singapore",
    "south_korea",
    "indonesia",
    "india",
)

USAGE = (
    UsageKey("monthly_data_transfer_to_internet_gb", "GB/month", "Data served to viewers" + _GEO_HELP),
    UsageKey("monthly_https_requests", "requests/month", "HTTPS requests from viewers" + _GEO_HELP),
    UsageKey("monthly_http_requests", "requests/month", "HTTP requests from viewers" + _GEO_HELP),
    UsageKey(
        "monthly_data_transfer_to_origin_gb",
        "GB/month",
        "Data sent from edge locations to origins (uploads/POSTs)" + _GEO_HELP,
    ),
    UsageKey("monthly_invalidation_requests", "paths/month", "Invalidation paths (first 1,000 free)"),
    UsageKey("monthly_encryption_requests", "requests/month", "Field-level encryption requests"),
    UsageKey("monthly_log_lines", "lines/month", "Real-time log lines"),
    UsageKey("custom_ssl_certificates", "certificates", "Dedicated IP custom SSL certificates"),
    UsageKey(
        "monthly_shield_requests",
        "requests/month",
        "Origin Shield requests, a mapping by Origin Shield Region: " + ", ".join(SHIELD_GEOGRAPHIES),
        "object",
    ),
)


#: Flat usage keys priced per unit: (key, description, unit, usagetype).
_FLAT = (
    ("monthly_encryption_requests", "Field-level encryption requests", "requests", "Executions-FLE"),
    ("monthly_log_lines", "Real-time log lines", "lines", "RealTimeLog-LogLines"),
    ("custom_ssl_certificates", "Dedicated IP custom SSL certificates", "certificates", "SSL-Cert-Custom"),
    ("monthly_invalidation_requests", "Invalidation paths", "paths", "Invalidations"),
)

#: infracost geography key → (label, catalogue fromLocation for internet transfer).
GEOGRAPHIES: dict[str, tuple[str, str]] = {
    "us": ("US, Mexico, Canada", "United States"),
    "europe": ("Europe, Israel", "Europe Israel"),
    "south_africa": ("South Africa, Kenya, Middle East", "South Africa Kenya Middle East"),
    "south_america": ("South America", "South America"),
    "japan": ("Japan", "Japan"),
    "australia": ("Australia, New Zealand", "Australia New Zealand"),
    "asia_pacific": ("Hong Kong, Philippines, Asia Pacific", "Hong Kong Philippines Asia Pacific"),
    "india": ("India", "India"),
}


def _by_geo(ctx: ModelContext, key: str) -> dict[str, Decimal | None]:
    value = ctx.usage.get(key)
    if not isinstance(value, dict):
        return {"us": ctx.num(key)}
    out: dict[str, Decimal | None] = {}
    for geo, amount in value.items():
        if geo not in GEOGRAPHIES:
            raise InputError(
                "unknown CloudFront edge geography",
                field=f"{ctx.resource.logical_id}.{key}.{geo}",
                value=geo,
                allowed=sorted(GEOGRAPHIES),
            )
        out[geo] = None if amount is None else ctx.number(f"{key}.{geo}", amount)
    return {g: out[g] for g in GEOGRAPHIES if g in out}


@cost_model("AWS::CloudFront::Distribution", service="AmazonCloudFront", usage=USAGE, usage_only=True)
def distribution(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Priced per edge geography (CloudFront is global; its catalogue rows live under us-east-1)."""
    q = "AmazonCloudFront"
    g = ctx.in_region("us-east-1")
    key = "monthly_data_transfer_to_internet_gb"
    out = []
    for geo, qty in _by_geo(ctx, key).items():
        label, location = GEOGRAPHIES[geo]
        query = (
            g.q(q, usagetype="US-DataTransfer-Out-Bytes")
            if geo == "us"
            else g.q(q, fromLocation=location, transferType="CloudFront Outbound")
        )
        out.append(
            charge(
                f"Data transfer out to the internet ({label})",
                qty,
                "GB",
                query,
                key,
                pool="cloudfront-data-transfer",
            )
        )
    for key, request_type, what in (
        ("monthly_https_requests", "CloudFront-Request-HTTPS", "HTTPS requests"),
        ("monthly_http_requests", "CloudFront-Request-HTTP", "HTTP requests"),
    ):
        if key == "monthly_http_requests" and ctx.usage.get(key) is None:
            continue
        for geo, qty in _by_geo(ctx, key).items():
            label, location = GEOGRAPHIES[geo]
            query = g.q(q, requestType=request_type, fromLocation=location)
            desc = what if geo == "us" else f"{what} ({label})"
            out.append(charge(desc, qty, "requests", query, key, pool="cloudfront-requests"))
    key = "monthly_data_transfer_to_origin_gb"
    if ctx.usage.get(key) is not None:
        for geo, qty in _by_geo(ctx, key).items():
            label, location = GEOGRAPHIES[geo]
            query = (
                g.q(q, usagetype="US-DataTransfer-Out-OBytes")
                if geo == "us"
                else g.q(q, fromLocation=location, transferType="CloudFront to Origin")
            )
            desc = "Data transfer to origin" if geo == "us" else f"Data transfer to origin ({label})"
            out.append(charge(desc, qty, "GB", query, key))
    for key, desc, unit, usagetype in _FLAT:
        if ctx.usage.get(key) is not None:
            out.append(charge(desc, ctx.num(key), unit, g.q(q, usagetype=usagetype), key))
    out += _shield(ctx, g)
    return out


def _shield(ctx: ModelContext, g: ModelContext) -> list[Charge]:
    key = "monthly_shield_requests"
    value = ctx.usage.get(key)
    if value is None:
        return []
    if not isinstance(value, dict):
        raise InputError(
            "Origin Shield requests are a mapping by Origin Shield Region",
            field=f"{ctx.resource.logical_id}.{key}",
            value=value,
            allowed=list(SHIELD_GEOGRAPHIES),
        )
    out = []
    for geo in SHIELD_GEOGRAPHIES:
        if geo not in value:
            continue
        amount = value[geo]
        out.append(
            charge(
                f"Origin Shield requests ({geo})",
                None if amount is None else ctx.number(f"{key}.{geo}", amount),
                "requests",
                g.q("AmazonCloudFront", originShieldGeo=geo),
                key,
            )
        )
    unknown = sorted(set(value) - set(SHIELD_GEOGRAPHIES))
    if unknown:
        raise InputError(
            "unknown Origin Shield geography",
            field=f"{ctx.resource.logical_id}.{key}.{unknown[0]}",
            value=unknown[0],
            allowed=list(SHIELD_GEOGRAPHIES),
        )
    return out
