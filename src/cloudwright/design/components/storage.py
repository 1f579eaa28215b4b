"""S3 buckets and the static front end: the ``static-site`` builder and the :func:`add_bucket` helper.

Every bucket: public access blocked, object ownership enforced (no ACLs), encryption at rest, TLS-only
bucket policy, versioning (except on buckets that only hold re-creatable output) and server access logs
to a shared log bucket in prod.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import Field

from cloudwright.design.build import BuildContext, BuilderOptions, StaticSite, component
from cloudwright.design.components.lambdas import kms_arn, policy_document, skip

SRC_OAC = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html"
SRC_CF_MANAGED_POLICIES = (
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html"
)
SRC_CF_PRICE_CLASS = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/PriceClass.html"
#: Managed cache policy "CachingOptimized" and response headers policy "SecurityHeadersPolicy" (AWS ids).
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"


def tls_only_statements(bucket: str) -> list[dict[str, Any]]:
    """Deny every request to ``bucket`` (a logical id) and its objects that does not use TLS."""
    return [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [{"Fn::GetAtt": [bucket, "Arn"]}, {"Fn::Sub": "${" + bucket + ".Arn}/*"}],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]


def ensure_log_bucket(ctx: BuildContext) -> str | None:
    """The shared access-log bucket (prod only: logs of dev buckets are not worth the storage)."""
    if not ctx.is_prod:
        return None
    if ctx.has("AccessLogsBucket"):
        return "AccessLogsBucket"
    ctx.add(
        "AccessLogsBucket",
        "AWS::S3::Bucket",
        {
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]
            },
            "PublicAccessBlockConfiguration": dict(_BLOCK_ALL),
            # CloudFront standard logs are delivered with an ACL, so this bucket keeps ACLs for the owner.
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]},
            "VersioningConfiguration": {"Status": "Enabled"},
            "LifecycleConfiguration": {
                "Rules": [
                    {
                        "Id": "expire-logs",
                        "Status": "Enabled",
                        "ExpirationInDays": 365,
                        "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                        "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
                    }
                ]
            },
        },
        usage={"storage_gb": 1.0, "monthly_tier_1_requests": None, "monthly_tier_2_requests": 0},
        label="Access logs bucket",
        role="logs",
        tier="regional",
        component_id="static-site",
        rationale="Server access logs and CloudFront logs, kept one year (SSE-S3: log delivery cannot "
        "use KMS).",
        attributes={
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Metadata": skip(
                ("CKV_AWS_18", "This is the access-log destination; logging it to itself would loop."),
            ),
        },
    )
    ctx.add(
        "AccessLogsBucketPolicy",
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": "AccessLogsBucket"},
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    *tls_only_statements("AccessLogsBucket"),
                    {
                        "Sid": "AllowS3ServerAccessLogs",
                        "Effect": "Allow",
                        "Principal": {"Service": "logging.s3.amazonaws.com"},
                        "Action": "s3:PutObject",
                        "Resource": {"Fn::Sub": "${AccessLogsBucket.Arn}/s3/*"},
                        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
                    },
                ],
            },
        },
        label="Log bucket policy",
        role="security",
        component_id="static-site",
    )
    return "AccessLogsBucket"


_BLOCK_ALL = {
    "BlockPublicAcls": True,
    "BlockPublicPolicy": True,
    "IgnorePublicAcls": True,
    "RestrictPublicBuckets": True,
}


def _bucket_properties(ctx: BuildContext, *, use_kms: bool, versioned: bool) -> dict[str, Any]:
    """Encrypted (the pattern's key, with a bucket key, when it has one and ``use_kms``; SSE-S3
    otherwise), every public access blocked, ACLs disabled, versioned when ``versioned``."""
    key = kms_arn(ctx) if use_kms else None
    sse: dict[str, Any] = (
        {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key} if key else {"SSEAlgorithm": "AES256"}
    )
    props: dict[str, Any] = {
        "BucketEncryption": {
            "ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": sse, **({"BucketKeyEnabled": True} if key else {})}
            ]
        },
        "PublicAccessBlockConfiguration": dict(_BLOCK_ALL),
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
    }
    if versioned:
        props["VersioningConfiguration"] = {"Status": "Enabled"}
    return props


def _lifecycle_rules(
    ctx: BuildContext, lifecycle: list[dict[str, Any]] | None, *, versioned: bool, noncurrent_days: int | None
) -> list[dict[str, Any]]:
    """The caller's rules, then: abort incomplete uploads after 7 days; expire old versions."""
    rules = list(lifecycle or [])
    rules.append(
        {
            "Id": "abort-incomplete-uploads",
            "Status": "Enabled",
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
        }
    )
    if versioned:
        rules.append(
            {
                "Id": "expire-old-versions",
                "Status": "Enabled",
                "NoncurrentVersionExpiration": {
                    "NoncurrentDays": noncurrent_days or (90 if ctx.is_prod else 7)
                },
            }
        )
    return rules


def _bucket_attributes(ctx: BuildContext, *, logged: bool, versioned: bool) -> dict[str, Any]:
    """Retain in prod; checkov skips for access logging outside prod and for unversioned buckets."""
    checks = []
    if not logged:
        checks.append(
            ("CKV_AWS_18", f"Server access logging is enabled in prod; {ctx.environment} skips it.")
        )
    if not versioned:
        checks.append(
            (
                "CKV_AWS_21",
                "Holds re-creatable output only (query results); versioning would just add storage.",
            )
        )
    return {
        "DeletionPolicy": "Retain" if ctx.is_prod else "Delete",
        "UpdateReplacePolicy": "Retain" if ctx.is_prod else "Delete",
        **({"Metadata": skip(*checks)} if checks else {}),
    }


def add_bucket(
    ctx: BuildContext,
    logical_id: str,
    *,
    label: str,
    role: str,
    rationale: str,
    usage: dict[str, Any],
    extra_statements: list[dict[str, Any]] | None = None,
    lifecycle: list[dict[str, Any]] | None = None,
    use_kms: bool = True,
    versioned: bool = True,
    noncurrent_days: int | None = None,
    component_id: str | None = None,
) -> str:
    """A private, encrypted, TLS-only bucket plus its bucket policy.

    Old object versions expire after ``noncurrent_days`` (default 90 in prod, 7 elsewhere).
    """
    props = _bucket_properties(ctx, use_kms=use_kms, versioned=versioned)
    rules = _lifecycle_rules(ctx, lifecycle, versioned=versioned, noncurrent_days=noncurrent_days)
    props["LifecycleConfiguration"] = {"Rules": rules}
    log_bucket = ensure_log_bucket(ctx)
    if log_bucket:
        props["LoggingConfiguration"] = {
            "DestinationBucketName": {"Ref": log_bucket},
            "LogFilePrefix": f"s3/{logical_id}/",
        }
    ctx.add(
        logical_id,
        "AWS::S3::Bucket",
        props,
        usage=usage,
        label=label,
        role=role,
        tier="regional",
        rationale=rationale,
        component_id=component_id,
        attributes=_bucket_attributes(ctx, logged=bool(log_bucket), versioned=versioned),
    )
    ctx.add(
        f"{logical_id}Policy",
        "AWS::S3::BucketPolicy",
        {
            "Bucket": {"Ref": logical_id},
            "PolicyDocument": policy_document([*tls_only_statements(logical_id), *(extra_statements or [])]),
        },
        label=f"{label} policy",
        role="security",
        component_id=component_id,
    )
    if log_bucket:
        ctx.connect(logical_id, log_bucket, "data", "access logs")
    return logical_id


class StaticSiteOptions(BuilderOptions):
    """Options of ``static-site``."""

    assets_mb_per_user: float = Field(2.0, ge=0)
    """Static assets each user downloads a month, MB (seed 002 assumption)."""
    requests_per_user: float = Field(30.0, ge=0)
    """Requests each user makes to the site a month (seed 002 assumption)."""
    site_size_mb: float = Field(50.0, ge=0)
    """Size of the site's build, MB."""


@component("static-site", options=StaticSiteOptions, uses=["kms_key"], provides=["static_site"], stage="edge")
def static_site(ctx: BuildContext, options: StaticSiteOptions) -> None:
    """Private S3 bucket for the SPA build behind CloudFront with Origin Access Control."""
    cid = "static-site"
    req = ctx.requirements
    users = req.expected_users * ctx.load_factor
    mb_per_user = options.assets_mb_per_user
    requests_per_user = options.requests_per_user
    site_gb = options.site_size_mb / 1024
    transfer_gb = round(users * mb_per_user / 1024, 3)
    edge_requests = round(users * requests_per_user)
    miss_ratio = 0.1  # assumption: 90% of asset requests are served from the edge cache
    add_bucket(
        ctx,
        "SiteBucket",
        label="Site bucket",
        role="frontend",
        component_id=cid,
        rationale="Private bucket for the single-page app build; only CloudFront (OAC, SigV4) can read it.",
        usage={
            "storage_gb": round(site_gb * (3 if ctx.is_prod else 1), 3),  # current + old versions
            "monthly_tier_1_requests": 1000,  # assumption: deploys upload about 1,000 objects a month
            "monthly_tier_2_requests": round(edge_requests * miss_ratio),
            "monthly_data_transfer_out_gb": 0,
        },
        extra_statements=[oac_read_statement("SiteBucket", "SiteDistribution")],
        use_kms=False,
    )
    price_class, audience = price_class_for(ctx)
    s3_origin_distribution(
        ctx,
        SiteOrigin("Site", "site", SPA_ERRORS, [CKV_68_STATIC]),
        usage={
            "monthly_data_transfer_to_internet_gb": transfer_gb,
            "monthly_https_requests": edge_requests,
            "monthly_http_requests": 0,
        },
        rationale=f"Global edge cache with HTTPS redirect, HTTP/3, compression and security headers; "
        f"{price_class} for an audience in {', '.join(sorted(audience))}.",
        sizing=[
            {
                "rule": "transfer = users × assets per user",
                "value": f"{users:,.0f} users × {mb_per_user:g} MB = {transfer_gb:,.1f} GB/month",
                "source": "seed 002 assumption (2 MB of static assets per user per month)",
            },
            {
                "rule": "requests = users × requests per user",
                "value": f"{users:,.0f} × {requests_per_user:g} = {edge_requests:,} HTTPS requests/month",
                "source": "seed 002 assumption (30 requests per user per month)",
            },
        ],
        component_id=cid,
    )


# --- a private S3 bucket behind CloudFront (static-site, content-cdn) ---------------------------------
#: Single-page app: unknown paths return the app shell, which routes on the client.
SPA_ERRORS: list[dict[str, Any]] = [
    {"ErrorCode": code, "ResponseCode": 200, "ResponsePagePath": "/index.html", "ErrorCachingMinTTL": 10}
    for code in (403, 404)
]
#: Pre-rendered pages: unknown paths return the site's 404 page.
PAGE_ERRORS: list[dict[str, Any]] = [
    {"ErrorCode": code, "ResponseCode": 404, "ResponsePagePath": "/404.html", "ErrorCachingMinTTL": 60}
    for code in (403, 404)
]
CKV_68_STATIC = (
    "CKV_AWS_68",
    "Static assets only (GET/HEAD of public build files from a private bucket through OAC, "
    "cached); the dynamic entry point, the API, has its own web ACL in prod.",
)
_DISTRIBUTION_CHECKS = [
    (
        "CKV_AWS_174",
        "Uses the CloudFront default certificate until a custom domain is attached; "
        "then set an ACM certificate with MinimumProtocolVersion TLSv1.2_2021.",
    ),
    (
        "CKV_AWS_310",
        "Single S3 origin (eleven nines durability); origin failover would need a replica bucket.",
    ),
    ("CKV_AWS_374", "No geo restriction: the audience is not limited by country."),
]


@dataclass(frozen=True)
class SiteOrigin:
    """How a site names its resources (``<prefix>Bucket``, ``<prefix>Distribution``, …) and serves errors."""

    prefix: str
    origin_id: str
    errors: list[dict[str, Any]]
    extra_checks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def bucket(self) -> str:
        return f"{self.prefix}Bucket"

    @property
    def distribution(self) -> str:
        return f"{self.prefix}Distribution"

    @property
    def access_control(self) -> str:
        return f"{self.prefix}OriginAccessControl"


def oac_read_statement(bucket: str, distribution: str) -> dict[str, Any]:
    """Bucket policy statement: only this CloudFront distribution (Origin Access Control) reads objects."""
    return {
        "Sid": "AllowCloudFrontOAC",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": {"Fn::Sub": "${" + bucket + ".Arn}/*"},
        "Condition": {
            "StringEquals": {
                "AWS:SourceArn": {
                    "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:"
                    "distribution/${" + distribution + "}"
                }
            }
        },
    }


def price_class_for(ctx: BuildContext) -> tuple[str, set[str]]:
    """PriceClass_100 when the audience is North America and Europe only, else PriceClass_All."""
    audience = {a.value for a in ctx.requirements.audience_regions}
    return ("PriceClass_100" if audience <= {"north-america", "europe"} else "PriceClass_All"), audience


def _distribution_config(ctx: BuildContext, site: SiteOrigin, price_class: str) -> dict[str, Any]:
    return {
        "Enabled": True,
        "Comment": f"{ctx.requirements.name} {ctx.environment} {site.origin_id}",
        "DefaultRootObject": "index.html",
        "HttpVersion": "http2and3",
        "IPV6Enabled": True,
        "PriceClass": price_class,
        "Origins": [
            {
                "Id": site.origin_id,
                "DomainName": {"Fn::GetAtt": [site.bucket, "RegionalDomainName"]},
                "OriginAccessControlId": {"Fn::GetAtt": [site.access_control, "Id"]},
                "S3OriginConfig": {"OriginAccessIdentity": ""},
            }
        ],
        "DefaultCacheBehavior": {
            "TargetOriginId": site.origin_id,
            "ViewerProtocolPolicy": "redirect-to-https",
            "AllowedMethods": ["GET", "HEAD"],
            "Compress": True,
            "CachePolicyId": CACHING_OPTIMIZED,
            "ResponseHeadersPolicyId": SECURITY_HEADERS,
        },
        "CustomErrorResponses": [dict(e) for e in site.errors],
        "ViewerCertificate": {"CloudFrontDefaultCertificate": True},
    }


def s3_origin_distribution(
    ctx: BuildContext,
    site: SiteOrigin,
    *,
    usage: dict[str, Any],
    rationale: str,
    sizing: list[dict[str, Any]],
    component_id: str,
    note_price_class: bool = False,
) -> None:
    """CloudFront in front of the site's private bucket through Origin Access Control (SigV4): HTTPS
    redirect, HTTP/3, compression, managed cache and security-headers policies, standard logs in prod.
    Provides the static site and its ``SiteUrl`` output."""
    ctx.add(
        site.access_control,
        "AWS::CloudFront::OriginAccessControl",
        {
            "OriginAccessControlConfig": {
                "Name": {"Fn::Sub": "${AWS::StackName}-" + site.origin_id},
                "Description": "CloudFront signs S3 requests (SigV4)",
                "OriginAccessControlOriginType": "s3",
                "SigningBehavior": "always",
                "SigningProtocol": "sigv4",
            }
        },
        label="Origin access control",
        role="security",
        tier="global",
        component_id=component_id,
    )
    price_class, _ = price_class_for(ctx)
    dist = _distribution_config(ctx, site, price_class)
    log_bucket = ensure_log_bucket(ctx)
    if log_bucket:
        dist["Logging"] = {
            "Bucket": {"Fn::GetAtt": [log_bucket, "DomainName"]},
            "Prefix": "cloudfront/",
            "IncludeCookies": False,
        }
    checks = [*_DISTRIBUTION_CHECKS, *site.extra_checks]
    if not log_bucket:
        checks.append(("CKV_AWS_86", f"Standard logs are enabled in prod; {ctx.environment} skips them."))
    ctx.add(
        site.distribution,
        "AWS::CloudFront::Distribution",
        {"DistributionConfig": dist},
        usage=usage,
        label="CloudFront CDN",
        role="cdn",
        tier="edge",
        component_id=component_id,
        rationale=rationale,
        sizing=[
            *sizing,
            {
                "rule": "cache policy",
                "value": "CachingOptimized + SecurityHeadersPolicy (managed)",
                "source": SRC_CF_MANAGED_POLICIES,
            },
            *(
                [{"rule": "price class", "value": price_class, "source": SRC_CF_PRICE_CLASS}]
                if note_price_class
                else []
            ),
            {
                "rule": "origin access",
                "value": "Origin Access Control (SigV4), bucket stays private",
                "source": SRC_OAC,
            },
        ],
        attributes={"Metadata": skip(*checks)},
    )
    ctx.connect(site.distribution, site.bucket, "request", "origin (OAC)")
    ctx.provided.static_site = StaticSite(bucket=site.bucket, distribution=site.distribution)
    ctx.design.outputs.setdefault(
        "SiteUrl",
        {"Description": "Site URL", "Value": {"Fn::Sub": "https://${" + site.distribution + ".DomainName}"}},
    )
