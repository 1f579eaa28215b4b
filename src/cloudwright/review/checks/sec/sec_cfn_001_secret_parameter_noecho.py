"""SEC-CFN-001: template parameters that carry secrets without NoEcho."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check

SECRET_NAME = re.compile(r"(password|passwd|secret|token|apikey|api_key|privatekey)", re.IGNORECASE)
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
#: Last words of parameter names that hold a reference to a secret, not the secret itself
#: (``DbSecretName``, ``ApiTokenSecretArn``, ``SecretId``, ``TokenParameterPath``).
REFERENCE_WORDS = frozenset({"name", "names", "arn", "arns", "id", "ids", "path", "prefix", "uri", "url"})
#: Parameter types that can only hold a name (an SSM parameter name, a key pair name …).
REFERENCE_TYPES = ("AWS::SSM::Parameter::Name", "AWS::EC2::KeyPair::KeyName")


def holds_only_a_reference(name: str, spec: Mapping[str, object]) -> bool:
    """True for parameters that name a secret or a KMS key (its name, ARN, id or path) rather than hold
    a secret value."""
    words = [w.lower() for w in _WORDS.findall(name)]
    if words and words[-1] in REFERENCE_WORDS:
        return True
    if "kms" in words:
        return True
    return str(spec.get("Type", "")) in REFERENCE_TYPES


@check(
    id="SEC-CFN-001",
    title="Secret parameters are NoEcho and have no default",
    severity="high",
    rationale="A password parameter without NoEcho is shown in plain text in the console, the API and stack "
    "events; a default value stores the secret in the template itself. Parameters that only name a "
    "secret or a KMS key (…SecretName, …SecretArn, …KmsKeyId, SSM parameter names) are not secrets.",
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
        if not isinstance(param, dict) or holds_only_a_reference(name, param):
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
