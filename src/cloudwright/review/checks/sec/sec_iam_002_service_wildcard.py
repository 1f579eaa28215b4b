"""SEC-IAM-002: IAM policies that allow every action of a service."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.checks.sec.sec_iam_001_admin_wildcard import POLICY_TYPES, allows, policy_documents
from cloudwright.review.context import Outcome, ReviewContext, iter_statements
from cloudwright.review.registry import check


@check(
    id="SEC-IAM-002",
    title="IAM policies name actions instead of service wildcards",
    severity="medium",
    types=list(POLICY_TYPES),
    rationale="'s3:*' or 'dynamodb:*' grants deletes, policy changes and data export the workload never "
    "needs.",
    remediation="List the specific actions the code calls (e.g. s3:GetObject, s3:PutObject).",
    references=["SEC03-BP02", "checkov:CKV_AWS_289", "checkov:CKV_AWS_290"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for r in ctx.resources(*POLICY_TYPES):
        hit = None
        for path, doc in policy_documents(ctx, r.properties):
            for j, stmt in enumerate(iter_statements(doc)):
                if allows(ctx, stmt, lambda a: a.endswith(":*")):
                    hit = f"{path}.Statement.{j}.Action"
                    break
            if hit:
                break
        if hit:
            yield ctx.fail(r.logical_id, "a statement allows every action of a service ('<service>:*')", hit)
        else:
            yield ctx.ok(r.logical_id)
