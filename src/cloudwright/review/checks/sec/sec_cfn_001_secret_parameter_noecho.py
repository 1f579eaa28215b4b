"""SEC-CFN-001: template parameters that carry secrets without NoEcho."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check

SECRET_NAME = re.compile(r"(password|passwd|secret|token|apikey|api_key|privatekey)", re.IGNORECASE)


@check(
    id="SEC-CFN-001",
    title="Secret parameters are NoEcho and have no default",
    severity="high",
    rationale="A password parameter without NoEcho is shown in plain text in the console, the API and stack "
    "events; a default value stores the secret in the template itself.",
    remediation="Do not pass secrets as parameters: let RDS manage the password (ManageMasterUserPassword) "
    "or "
    "use a {{resolve:secretsmanager:...}} dynamic reference. If a parameter is unavoidable, set NoEcho: true "
    "and no Default.",
    references=["SEC02-BP03", "cfn-lint:W2501"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for name in sorted(ctx.design.parameters):
        if not SECRET_NAME.search(name):
            continue
        param = ctx.design.parameters[name]
        if not isinstance(param, dict):
            continue
        rid = f"Parameters.{name}"
        no_echo = ctx.resolve(param.get("NoEcho")) is True
        if not no_echo:
            yield _fail(ctx, rid, name, "NoEcho", "secret-like parameter is not NoEcho")
        elif "Default" in param:
            yield _fail(
                ctx, rid, name, "Default", "secret-like parameter has a default value in the template"
            )
        else:
            yield ctx.ok(rid)


def _fail(ctx: ReviewContext, rid: str, name: str, prop: str, message: str) -> Outcome:
    out = ctx.fail(rid, f"{name}: {message}")
    out.path = ["Parameters", name, prop]
    return out
