"""OPS-S3-001: production buckets without server access logging (log buckets excepted)."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


def log_destinations(ctx: ReviewContext) -> set[str]:
    """Buckets that receive logs (S3, CloudFront, CloudTrail, ALB): they need no access logging themselves."""
    out: set[str] = set()
    for b in ctx.resources("AWS::S3::Bucket"):
        target = ctx.ref_target(b.prop("LoggingConfiguration.DestinationBucketName"))
        if target:
            out.add(target)
    for d in ctx.resources("AWS::CloudFront::Distribution"):
        bucket = d.prop("DistributionConfig.Logging.Bucket")
        target = ctx.ref_target(bucket)
        if target:
            out.add(target)
    for trail in ctx.resources("AWS::CloudTrail::Trail"):
        target = ctx.ref_target(trail.prop("S3BucketName"))
        if target:
            out.add(target)
    for lb in ctx.resources("AWS::ElasticLoadBalancingV2::LoadBalancer"):
        target = ctx.ref_target(lb.prop("LoadBalancerAttributes[Key=access_logs.s3.bucket].Value"))
        if target:
            out.add(target)
    return out


@check(
    id="OPS-S3-001",
    title="Production S3 bucket has server access logging",
    severity="low",
    types=["AWS::S3::Bucket"],
    environments=["prod"],
    rationale="Server access logs record every request to the bucket, needed to investigate data access and "
    "for audit.",
    remediation="Set LoggingConfiguration.DestinationBucketName to a dedicated log bucket (or use CloudTrail "
    "data events).",
    references=["SEC04-BP01", "checkov:CKV_AWS_18"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    sinks = log_destinations(ctx)
    for b in ctx.resources("AWS::S3::Bucket"):
        if b.logical_id in sinks or b.prop("LoggingConfiguration.DestinationBucketName") is not None:
            yield ctx.ok(b.logical_id)
        else:
            yield ctx.fail(b.logical_id, "no server access logging", "LoggingConfiguration")
