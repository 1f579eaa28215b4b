"""CloudFront distribution (pay-as-you-go, United States/Mexico/Canada edge prices)."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey("monthly_data_transfer_to_internet_gb", "GB/month", "Data served to viewers"),
    UsageKey("monthly_https_requests", "requests/month", "HTTPS requests from viewers"),
    UsageKey("monthly_http_requests", "requests/month", "HTTP requests from viewers"),
    UsageKey(
        "monthly_data_transfer_to_origin_gb",
        "GB/month",
        "Data sent from edge locations to origins (uploads/POSTs)",
    ),
)


@cost_model("AWS::CloudFront::Distribution", usage=USAGE, usage_only=True)
def distribution(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Priced at the US/Mexico/Canada rates (the catalogue's only CloudFront geography)."""
    q = "AmazonCloudFront"
    region = "us-east-1"  # CloudFront is global; its catalogue rows live under us-east-1
    from dataclasses import replace

    g = replace(ctx, region=region)
    out = [
        charge(
            "Data transfer out to the internet (US, Mexico, Canada)",
            ctx.num("monthly_data_transfer_to_internet_gb"),
            "GB",
            g.q(q, usagetype="US-DataTransfer-Out-Bytes"),
            "monthly_data_transfer_to_internet_gb",
            pool="cloudfront-data-transfer",
        ),
        charge(
            "HTTPS requests",
            ctx.num("monthly_https_requests"),
            "requests",
            g.q(q, requestType="CloudFront-Request-HTTPS"),
            "monthly_https_requests",
            pool="cloudfront-requests",
        ),
    ]
    http = ctx.num("monthly_http_requests")
    if http is not None:
        out.append(
            charge(
                "HTTP requests",
                http,
                "requests",
                g.q(q, requestType="CloudFront-Request-HTTP"),
                "monthly_http_requests",
                pool="cloudfront-requests",
            )
        )
    origin = ctx.num("monthly_data_transfer_to_origin_gb")
    if origin is not None:
        out.append(
            charge(
                "Data transfer to origin",
                origin,
                "GB",
                g.q(q, usagetype="US-DataTransfer-Out-OBytes"),
                "monthly_data_transfer_to_origin_gb",
            )
        )
    return out
