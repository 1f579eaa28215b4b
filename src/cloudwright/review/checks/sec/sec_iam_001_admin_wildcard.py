"""SEC-IAM-001: IAM policies that allow every action on every resource."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cloudwright.review.context import Outcome, ReviewContext, as_list, iter_statements
from cloudwright.review.registry import check

POLICY_TYPES = (
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::User",
    "AWS::IAM::Group",
)


def policy_documents(ctx: ReviewContext, props: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(path, document) of every inline policy document of an IAM resource."""
    if "PolicyDocument" in props:
        yield "PolicyDocument", props["PolicyDocument"]
    for i, pol in enumerate(props.get("Policies") or []):
        if isinstance(pol, dict):
            yield f"Policies.{i}.PolicyDocument", pol.get("PolicyDocument")


def allows(ctx: ReviewContext, stmt: dict[str, Any], action_pred: Any) -> bool:
    if ctx.resolve(stmt.get("Effect")) != "Allow" or "NotAction" in stmt:
        return False
    actions = [ctx.resolve(a) for a in as_list(stmt.get("Action"))]
    return any(isinstance(a, str) and action_pred(a) for a in actions)


@check(
    id="SEC-IAM-001",
    title="No IAM policy allows every action on every resource",
    severity="critical",
    types=list(POLICY_TYPES),
    rationale="Action '*' on Resource '*' is full administrator access; a compromised workload with it owns "
    "the "
    "account.",
    remediation="Grant only the actions and resources the workload uses (e.g. dynamodb:GetItem on the table "
    "ARN); "
    "use IAM Access Analyzer policy generation to derive them.",
    references=["SEC03-BP02", "checkov:CKV_AWS_1", "checkov:CKV_AWS_62", "checkov:CKV_AWS_63"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for r in ctx.resources(*POLICY_TYPES):
        hit = None
        for path, doc in policy_documents(ctx, r.properties):
            for j, stmt in enumerate(iter_statements(doc)):
                resources = [ctx.resolve(x) for x in as_list(stmt.get("Resource"))]
                if "*" in resources and allows(ctx, stmt, lambda a: a == "*"):
                    hit = f"{path}.Statement.{j}"
                    break
            if hit:
                break
        if hit:
            yield ctx.fail(r.logical_id, "a statement allows Action '*' on Resource '*'", hit)
        else:
            yield ctx.ok(r.logical_id)
