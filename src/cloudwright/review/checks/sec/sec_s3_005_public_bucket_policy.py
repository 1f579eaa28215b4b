"""SEC-S3-005: bucket policies that grant anyone access."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cloudwright.review.context import Outcome, ReviewContext, iter_statements
from cloudwright.review.registry import check


def _public_principal(ctx: ReviewContext, principal: Any) -> bool:
    p = ctx.resolve(principal)
    if p == "*":
        return True
    return isinstance(p, dict) and ctx.resolve(p.get("AWS")) == "*"


@check(
    id="SEC-S3-005",
    title="Bucket policy does not allow anonymous access",
    severity="critical",
    types=["AWS::S3::BucketPolicy"],
    rationale="An Allow statement for Principal '*' without a condition makes the bucket readable (or "
    "writable) "
    "by anyone on the internet.",
    remediation="Grant the CloudFront distribution through origin access control (Principal "
    "cloudfront.amazonaws.com with an AWS:SourceArn condition) or named IAM principals only.",
    references=["SEC03-BP07", "checkov:CKV_AWS_70"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for r in ctx.resources("AWS::S3::BucketPolicy"):
        hit = None
        for j, stmt in enumerate(iter_statements(r.properties.get("PolicyDocument"))):
            if ctx.resolve(stmt.get("Effect")) != "Allow" or stmt.get("Condition"):
                continue
            if _public_principal(ctx, stmt.get("Principal")):
                hit = f"PolicyDocument.Statement.{j}.Principal"
                break
        if hit:
            yield ctx.fail(r.logical_id, "an Allow statement grants Principal '*' without a condition", hit)
        else:
            yield ctx.ok(r.logical_id)
