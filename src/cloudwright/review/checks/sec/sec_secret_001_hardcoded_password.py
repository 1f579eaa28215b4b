"""SEC-SECRET-001: passwords written into resource properties."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.cfn.intrinsics import ref_name
from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check

#: (type, property) pairs that hold a password.
PASSWORD_PROPS = (
    ("AWS::RDS::DBInstance", "MasterUserPassword"),
    ("AWS::RDS::DBCluster", "MasterUserPassword"),
    ("AWS::ElastiCache::ReplicationGroup", "AuthToken"),
    ("AWS::DocDB::DBCluster", "MasterUserPassword"),
    ("AWS::Redshift::Cluster", "MasterUserPassword"),
    ("AWS::IAM::User", "LoginProfile.Password"),
)


@check(
    id="SEC-SECRET-001",
    title="No password is written into the template",
    severity="critical",
    types=sorted({t for t, _ in PASSWORD_PROPS}),
    rationale="A literal password in a template lives in version control, in CloudFormation's stored "
    "template "
    "and in every copy of it.",
    remediation="Use ManageMasterUserPassword: true (RDS/Aurora keep it in Secrets Manager) or a "
    "{{resolve:secretsmanager:name:SecretString:password}} dynamic reference.",
    references=["SEC02-BP03", "cfn-lint:W1011"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for rtype, prop in PASSWORD_PROPS:
        for r in ctx.resources(rtype):
            raw = r.prop(prop)
            if raw is None:
                yield ctx.ok(r.logical_id)
            elif isinstance(raw, str) and not raw.startswith("{{resolve:"):
                yield ctx.fail(r.logical_id, f"{prop} is a literal string", prop)
            elif (name := ref_name(raw)) is not None:
                param = ctx.design.parameters.get(name)
                if isinstance(param, dict) and "Default" in param:
                    yield ctx.fail(r.logical_id, f"{prop} comes from a parameter with a default value", prop)
                else:
                    yield ctx.ok(r.logical_id)
            else:
                yield ctx.ok(r.logical_id)
