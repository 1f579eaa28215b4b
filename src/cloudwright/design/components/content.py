"""Public content served from the edge: the ``content-cdn`` builder.

Pre-rendered pages and media in a private S3 bucket, served by CloudFront through Origin Access Control.
Sized from the page and asset requests the site serves (``requests_per_second``, ``avg_response_kb``)
and the share of them the edge cache answers. Readers are anonymous: there is no identity service, so
nobody is billed as a monthly active user. Editors publish with the managed policy this builder adds.
"""

from __future__ import annotations

import math

from pydantic import Field

from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, BuilderOptions, component
from cloudwright.design.components.storage import (
    PAGE_ERRORS,
    SiteOrigin,
    add_bucket,
    oac_read_statement,
    price_class_for,
    s3_origin_distribution,
)
from cloudwright.units import MONTH_HOURS

SRC_CF_HIT_RATIO = (
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cache-hit-ratio.html "
    "(cache hit ratio; origin fetches only on misses)"
)
#: Share of edge requests answered from the cache for versioned static pages and media (assumption).
CACHE_HIT_SHARE = 0.9


def edge_usage(ctx: BuildContext) -> dict[str, sizing.Decision]:
    """Edge requests and bytes from the requirements' request rate and response size (this environment)."""
    load = sizing.load_for(ctx.requirements, ctx.load_factor)
    requests = round(load.requests_per_month)
    gb = sizing.data_transfer_out_gb(load)
    misses = math.ceil(requests * (1 - CACHE_HIT_SHARE))
    return {
        "requests": sizing.Decision(
            requests,
            f"edge requests = {load.avg_rps:g} rps × {MONTH_HOURS} h × 3600 s = {requests:,}/month "
            "(pages and assets)",
            "requirements (requests_per_second)",
        ),
        "transfer_gb": sizing.Decision(
            gb,
            f"transfer = requests × {load.response_kb:g} KB = {gb:,.1f} GB/month",
            "requirements (avg_response_kb)",
        ),
        "origin_requests": sizing.Decision(
            misses,
            f"origin GETs = {1 - CACHE_HIT_SHARE:.0%} of edge requests (cache misses; {sizing.ASSUMPTION})",
            SRC_CF_HIT_RATIO,
        ),
    }


def _publisher_policy(ctx: BuildContext, cid: str) -> None:
    ctx.add(
        "ContentPublisherPolicy",
        "AWS::IAM::ManagedPolicy",
        {
            "Description": "Attach to the CI role or editors that publish the site",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["s3:DeleteObject", "s3:PutObject"],
                        "Resource": {"Fn::Sub": "${ContentBucket.Arn}/*"},
                    },
                    {
                        "Effect": "Allow",
                        "Action": "s3:ListBucket",
                        "Resource": {"Fn::GetAtt": ["ContentBucket", "Arn"]},
                    },
                    {
                        "Effect": "Allow",
                        "Action": "cloudfront:CreateInvalidation",
                        "Resource": {
                            "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:"
                            "distribution/${ContentDistribution}"
                        },
                    },
                ],
            },
        },
        label="Publisher policy",
        role="iam",
        component_id=cid,
        rationale="Publishing = upload changed files and invalidate their paths; nothing else.",
    )


class ContentCdnOptions(BuilderOptions):
    """Options of ``content-cdn``."""

    site_size_gb: float | None = Field(None, ge=0)
    """Pages and media the site holds in GB; ``None``: the requirements' ``data_size_gb``."""


@component("content-cdn", options=ContentCdnOptions, uses=["kms_key"], provides=["static_site"], stage="edge")
def content_cdn(ctx: BuildContext, options: ContentCdnOptions) -> None:
    cid = "content-cdn"
    req = ctx.requirements
    usage = edge_usage(ctx)
    site_gb = options.site_size_gb if options.site_size_gb is not None else float(req.data_size_gb)
    stored_gb = round(site_gb * (1.5 if ctx.is_prod else 1), 3)  # current + recent old versions (assumption)
    add_bucket(
        ctx,
        "ContentBucket",
        label="Content bucket (pages and media)",
        role="frontend",
        component_id=cid,
        rationale="Private bucket of pre-rendered pages and media; only CloudFront (OAC, SigV4) can read it.",
        usage={
            "storage_gb": stored_gb,
            "monthly_tier_1_requests": 10_000,  # assumption: publishes upload ~10,000 files a month
            "monthly_tier_2_requests": usage["origin_requests"].value,
            "monthly_data_transfer_out_gb": 0,
        },
        extra_statements=[oac_read_statement("ContentBucket", "ContentDistribution")],
        use_kms=False,
    )
    ctx.design["ContentBucket"].metadata["sizing"] = [usage["origin_requests"].note()]
    price_class, audience = price_class_for(ctx)
    s3_origin_distribution(
        ctx,
        SiteOrigin("Content", "content", PAGE_ERRORS),
        usage={
            "monthly_data_transfer_to_internet_gb": usage["transfer_gb"].value,
            "monthly_https_requests": usage["requests"].value,
            "monthly_http_requests": 0,
        },
        rationale=f"Anonymous readers are served from the edge cache (HTTPS, HTTP/3, compression, security "
        f"headers); {price_class} for an audience in {', '.join(sorted(audience))}. No sign-in service: "
        "readers are not identity users.",
        sizing=[usage["requests"].note(), usage["transfer_gb"].note()],
        component_id=cid,
        note_price_class=True,
    )
    # Every response leaves AWS through CloudFront (priced on the distribution); S3 → CloudFront is free.
    ctx.assume("data_transfer_out_gb", 0.0)
    ctx.assume(
        "data_transfer_out_note", "internet egress is served by CloudFront and priced on ContentDistribution"
    )
    _publisher_policy(ctx, cid)
