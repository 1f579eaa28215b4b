"""SEC-S3-004: buckets whose policy does not deny plain-HTTP requests."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext, iter_statements
from cloudwright.review.registry import check


def _denies_insecure(ctx: ReviewContext, doc: object) -> bool:
    for stmt in iter_statements(doc):
        if ctx.resolve(stmt.get("Effect")) != "Deny":
            continue
        cond = stmt.get("Condition") or {}
        bools = cond.get("Bool") if isinstance(cond, dict) else None
        if isinstance(bools, dict) and ctx.resolve(bools.get("aws:SecureTransport")) is False:
            return True
        nums = cond.get("NumericLessThan") if isinstance(cond, dict) else None
        if isinstance(nums, dict) and "s3:TlsVersion" in nums:
            return True
    return False


@check(
    id="SEC-S3-004",
    title="S3 bucket policy denies requests without TLS",
    severity="medium",
    types=["AWS::S3::Bucket"],
    rationale="S3 accepts plain HTTP unless the bucket policy denies aws:SecureTransport false; PCI-DSS and "
    "HIPAA expect encryption in transit to be enforced, not just available.",
    remediation="Add a bucket policy statement: Effect Deny, Principal *, Action s3:*, Condition "
    "Bool aws:SecureTransport false.",
    references=["SEC09-BP02", "checkov:CKV_AWS_379"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    policies = ctx.resources("AWS::S3::BucketPolicy")
    for bucket in ctx.resources("AWS::S3::Bucket"):
        mine = [p for p in policies if ctx.ref_target(p.properties.get("Bucket")) == bucket.logical_id]
        if any(_denies_insecure(ctx, p.properties.get("PolicyDocument")) for p in mine):
            yield ctx.ok(bucket.logical_id)
        else:
            yield ctx.fail(bucket.logical_id, "no bucket policy denies aws:SecureTransport false")
