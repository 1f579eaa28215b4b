"""SEC-S3-004: buckets whose policy does not deny plain-HTTP requests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from cloudwright.design.model import Resource
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
    buckets = ctx.resources("AWS::S3::Bucket")
    by_name = _buckets_by_name(ctx, buckets)
    secured: set[str] = set()
    for policy in ctx.resources("AWS::S3::BucketPolicy"):
        target = _policy_bucket(ctx, policy.properties.get("Bucket"), by_name)
        if target and _denies_insecure(ctx, policy.properties.get("PolicyDocument")):
            secured.add(target)
    for bucket in buckets:
        if bucket.logical_id in secured:
            yield ctx.ok(bucket.logical_id)
        else:
            yield ctx.fail(bucket.logical_id, "no bucket policy denies aws:SecureTransport false")


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _buckets_by_name(ctx: ReviewContext, buckets: list[Resource]) -> dict[str, str]:
    """How a policy may name a bucket → its logical id: the BucketName expression as written (a !Sub
    naming scheme) and its value where the resolver can evaluate it."""
    out: dict[str, str] = {}
    for b in buckets:
        name = b.properties.get("BucketName")
        if name is None:
            continue
        out.setdefault(_key(name), b.logical_id)
        value = ctx.resolver.deep(name)
        if isinstance(value, str):
            out.setdefault(_key(value), b.logical_id)
    return out


def _policy_bucket(ctx: ReviewContext, value: Any, by_name: dict[str, str]) -> str | None:
    """The logical id of the bucket a policy's ``Bucket`` names (Ref, ``!Sub "${Bucket}"``, or the same
    name expression as the bucket's BucketName)."""
    target = ctx.ref_target(value)
    if target and ctx.get(target) is not None:
        return target
    found = by_name.get(_key(value))
    if found:
        return found
    resolved = ctx.resolver.deep(value)
    return by_name.get(_key(resolved)) if isinstance(resolved, str) else None
