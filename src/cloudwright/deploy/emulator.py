"""Deploy to the embedded AWS emulator (moto) or to any AWS-compatible endpoint URL.

moto's CloudFormation creates only the resource types it has a model for. Before a deploy,
:func:`prepare_for_emulator` reads that list from the *installed* moto (its CloudFormation parsing model
map, :func:`emulated_types`) and takes out of the template:

* every resource whose type the emulator cannot create ("not emulated");
* every resource that needs one of those (a ``Ref``/``Fn::GetAtt``/``Fn::Sub`` in its properties),
  except where the reference is only a value inside an IAM policy, an environment variable, a tag or an
  alarm action: there it is replaced by a placeholder ARN so the referring resource is still created;
* ``DependsOn`` entries and outputs that point at removed resources.

The rest is deployed, and the report says what was skipped and why — never a half-created stack.

Two ways to run the emulator:

* in-process (:class:`EmulatorTarget`, the default): state lives as long as the Python process — the
  CLI deploys, verifies and prints the stack, then exits;
* as a local server (:class:`LocalServer`, ``cloudwright deploy --serve``): moto's threaded server on
  127.0.0.1, reachable with :class:`EndpointTarget` (and the AWS CLI) until stopped.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from cloudwright.cfn.intrinsics import call, ref_name
from cloudwright.deploy.target import (
    BotoTarget,
    ConfirmFn,
    DeployPlan,
    PlannedChange,
    ProgressFn,
    SkippedResource,
    StackResult,
    Template,
    as_template,
)
from cloudwright.errors import DeployError

_TYPE_RE = re.compile(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$")
#: Property keys under which a reference is only a value (placeholder-safe), not a structural link.
_SOFT_KEYS = frozenset(
    {
        "PolicyDocument",
        "Policies",
        "KeyPolicy",
        "AssumeRolePolicyDocument",
        "Variables",
        "Tags",
        "AlarmActions",
        "OKActions",
        "InsufficientDataActions",
        "DefinitionSubstitutions",
        "ManagedPolicyArns",
        "Secrets",
        "Environment",
        "AuthorizerId",
    }
)
#: Types whose ``Ref`` moto's CloudFormation cannot turn into a name: a property that is exactly such a
#: ``Ref`` is left out for the emulator, and the deploy report says so.
_UNRESOLVABLE_REF_TYPES = frozenset({"AWS::RDS::DBParameterGroup", "AWS::RDS::DBClusterParameterGroup"})
#: (type, property) pairs CloudFormation accepts as a JSON object or a string but moto only reads as a
#: string: the emulator gets them serialised (same meaning).
_JSON_STRING_PROPERTIES = frozenset({("AWS::Events::Archive", "EventPattern")})
FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@cache
def emulated_types() -> frozenset[str]:
    """Resource types the installed moto's CloudFormation can create (read at run time)."""
    try:
        from moto.cloudformation import parsing
    except ImportError as exc:  # pragma: no cover - moto is a dependency
        raise DeployError(f"the emulator (moto) is not installed: {exc}") from None
    types: set[str] = set()
    getter = getattr(parsing, "get_model_map", None)
    if getter is not None:
        types.update(getter())
    else:  # pragma: no cover - older moto
        types.update(getattr(parsing, "MODEL_MAP", {}))
    types.update(getattr(parsing, "NULL_MODELS", []))
    return frozenset(t for t in types if _TYPE_RE.match(t) and t != "AWS::SERVICE::RESOURCE")


class _EmulatorFailure(Exception):
    def __init__(self, logical_id: str, message: str) -> None:
        super().__init__(logical_id, message)
        self.logical_id = logical_id
        self.message = message


#: The innermost resource moto's CloudFormation raised on while creating it (set by the hook below).
_LAST_FAILED: list[str] = []


def _install_failure_hook() -> None:
    """Wrap moto's ``parse_and_create_resource`` to remember which resource it was creating when it failed.

    moto turns some errors into HTTP error responses, so the exception the caller sees no longer says
    which resource failed; the hook records it (in-process emulator only).
    """
    from moto.cloudformation import parsing

    original = parsing.parse_and_create_resource
    if getattr(original, "_cloudwright_hook", False):
        return

    def hooked(logical_id: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(logical_id, *args, **kwargs)
        except BaseException:
            if not _LAST_FAILED:
                _LAST_FAILED.append(logical_id)
            raise

    hooked._cloudwright_hook = True  # type: ignore[attr-defined]
    parsing.parse_and_create_resource = hooked


def _failing_resource(exc: BaseException) -> str | None:
    """The logical id moto was creating when it raised."""
    return _LAST_FAILED[0] if _LAST_FAILED else None


def _normalise(node: Any) -> Any:
    """Same-meaning rewrites moto needs: ``Fn::GetAZs: {Ref: AWS::Region}`` → ``Fn::GetAZs: ""``."""
    if isinstance(node, dict):
        if ref_name(call(node, "Fn::GetAZs")) == "AWS::Region":
            return {"Fn::GetAZs": ""}
        return {k: _normalise(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_normalise(v) for v in node]
    return node


def placeholder(logical_id: str) -> str:
    return f"arn:aws:cloudwright:::not-emulated/{logical_id}"


def _soft_replace(node: Any, removed: set[str], soft: bool, hard_hits: set[str]) -> Any:
    """Replace references to removed resources by placeholders where ``soft``; collect hard ones."""
    from cloudwright.cfn.writer import references

    if isinstance(node, dict):
        if call(node, "Ref", "Fn::GetAtt", "Fn::Sub") is not None:
            hits = references(node) & removed
            if hits:
                if soft:
                    return placeholder(sorted(hits)[0])
                hard_hits.update(hits)
                return node
        return {k: _soft_replace(v, removed, soft or k in _SOFT_KEYS, hard_hits) for k, v in node.items()}
    if isinstance(node, list):
        return [_soft_replace(v, removed, soft, hard_hits) for v in node]
    return node


def prepare_for_emulator(
    template: str | Template,
    *,
    supported: frozenset[str] | None = None,
    source: str = "template",
    failed: Mapping[str, str] | None = None,
    adjustments_out: list[str] | None = None,
    soften: Mapping[str, str] | None = None,
) -> tuple[str, list[SkippedResource], list[str]]:
    """Strip what the emulator cannot create. Returns (template, skipped resources, unsupported types)."""
    from cloudwright.cfn.writer import dump_yaml

    data, skipped, unsupported = _prepared(
        as_template(template, source=source).document,
        supported=supported,
        failed=failed,
        adjustments_out=adjustments_out,
        soften=soften,
    )
    return dump_yaml(data), skipped, unsupported


def _prepared(
    document: Mapping[str, Any],
    *,
    supported: frozenset[str] | None = None,
    failed: Mapping[str, str] | None = None,
    adjustments_out: list[str] | None = None,
    soften: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], list[SkippedResource], list[str]]:
    """:func:`prepare_for_emulator` on a parsed template, which it leaves unchanged: returns the
    emulator's template as a new document."""
    from cloudwright.cfn.writer import references

    supported = emulated_types() if supported is None else supported
    adjustments: list[str] = []
    placeholders: dict[str, list[str]] = {}
    data = dict(document)
    resources: dict[str, Any] = dict(data.get("Resources") or {})
    skipped: dict[str, SkippedResource] = {}
    unsupported_types = sorted(
        {str(b.get("Type")) for b in resources.values() if b.get("Type") not in supported}
    )
    for lid, body in resources.items():
        if body.get("Type") not in supported:
            skipped[lid] = SkippedResource(lid, str(body.get("Type")), "the emulator cannot create this type")
        elif failed and lid in failed:
            skipped[lid] = SkippedResource(
                lid, str(body.get("Type")), f"the emulator failed to create it: {failed[lid]}"
            )

    changed = True
    while changed:
        changed = False
        removed = set(skipped)
        for lid, body in resources.items():
            if lid in skipped:
                continue
            hard: set[str] = set()
            new_props = _soft_replace(body.get("Properties") or {}, removed, False, hard)
            if hard:
                first = sorted(hard)[0]
                skipped[lid] = SkippedResource(
                    lid,
                    str(body.get("Type")),
                    f"needs {first} ({skipped[first].type}), which is not emulated",
                )
                changed = True
            elif new_props != (body.get("Properties") or {}):
                gone = sorted(references(body.get("Properties") or {}) & removed)
                body = dict(body)
                body["Properties"] = new_props
                resources[lid] = body
                placeholders[lid] = gone

    for lid, gone in sorted(placeholders.items()):
        if lid not in skipped:
            adjustments.append(f"{lid}: placeholder ARNs stand in for {', '.join(gone)} (not emulated)")
    removed = set(skipped)
    unresolvable = {lid for lid, b in resources.items() if b.get("Type") in _UNRESOLVABLE_REF_TYPES}
    kept: dict[str, Any] = {}
    for lid, body in resources.items():
        if lid in removed:
            continue
        body = copy.deepcopy(body)
        if soften and lid in soften and isinstance(body.get("Properties"), dict):
            body["Properties"] = _soft_replace(body["Properties"], set(resources), False, set())
            adjustments.append(
                f"{lid}: references inside policies/environment replaced by placeholders "
                f"(the emulator failed on them: {soften[lid][:120]})"
            )
        # moto's CloudFormation mis-reads the tag lists of some types (e.g. KMS keys); tags change no
        # behaviour, so the emulator gets none.
        if isinstance(body.get("Properties"), dict):
            body["Properties"].pop("Tags", None)
            for prop, value in list(body["Properties"].items()):
                if ref_name(value) in unresolvable:
                    del body["Properties"][prop]
                    adjustments.append(
                        f"{lid}: {prop} (Ref {ref_name(value)}) left out: the emulator cannot resolve it"
                    )
            for rtype, prop in _JSON_STRING_PROPERTIES:
                value = body["Properties"].get(prop)
                if body.get("Type") == rtype and isinstance(value, dict) and not references(value):
                    body["Properties"][prop] = json.dumps(value, sort_keys=True)
        dep = body.get("DependsOn")
        if dep is not None:
            deps = [dep] if isinstance(dep, str) else list(dep)
            deps = [d for d in deps if d not in removed]
            if deps:
                body["DependsOn"] = deps
            else:
                del body["DependsOn"]
        kept[lid] = _normalise(body)
    if not kept:
        raise DeployError("the emulator cannot create any resource of this template")
    data["Resources"] = kept
    # Parameters without a default (e.g. values from another region's stack) get a placeholder.
    if isinstance(data.get("Parameters"), dict):
        parameters = dict(data["Parameters"])
        for name, spec in parameters.items():
            if isinstance(spec, dict) and "Default" not in spec:
                parameters[name] = {
                    **spec,
                    "Default": "0" if spec.get("Type") == "Number" else placeholder(name),
                }
        data["Parameters"] = parameters
    outputs = {k: v for k, v in (data.get("Outputs") or {}).items() if not (references(v) & removed)}
    if outputs:
        data["Outputs"] = outputs
    else:
        data.pop("Outputs", None)
    ordered = sorted(skipped.values(), key=lambda s: s.logical_id)
    if adjustments_out is not None:
        adjustments_out.extend(sorted(adjustments))
    return data, ordered, unsupported_types


class _EmulatedPlanMixin(BotoTarget):
    """Plans that strip what moto cannot create."""

    strip_unsupported = True
    #: Resources the emulator raised an error on (logical id → error), learned while deploying.
    failed: dict[str, str]
    #: Resources retried with their value-only references replaced by placeholders.
    softened: dict[str, str]

    def plan(
        self, template: str | Template, stack_name: str, parameters: Mapping[str, str] | None = None
    ) -> DeployPlan:
        if not self.strip_unsupported:
            return super().plan(template, stack_name, parameters)
        from cloudwright.cfn.writer import dump_yaml

        adjustments: list[str] = []
        data, skipped, unsupported = _prepared(
            as_template(template, source=stack_name).document,
            failed=self.failed,
            adjustments_out=adjustments,
            soften=self.softened,
        )
        changes = [
            PlannedChange("Add", lid, str(body.get("Type")))
            for lid, body in sorted(data["Resources"].items())
        ]
        return DeployPlan(
            stack_name=stack_name,
            target=self.name,
            changes=changes,
            skipped=skipped,
            unsupported_types=unsupported,
            template=dump_yaml(data),
            adjustments=adjustments,
            document=data,
        )


class EmulatorTarget(_EmulatedPlanMixin):
    """moto in this process (``mock_aws``). Use as a context manager; state ends when it closes."""

    name = "emulator"
    poll_seconds = 0.05

    max_attempts = 25

    def __init__(self, region: str = "us-east-1", *, start: bool = True) -> None:
        super().__init__(region)
        self.failed = {}
        self.softened = {}
        self._mock: Any = None
        self._env: dict[str, str | None] = {}
        if start:
            self.start()

    def start(self) -> None:
        if self._mock is not None:
            return
        from moto import mock_aws

        for key, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")):
            self._env[key] = os.environ.get(key)
            os.environ[key] = value
        _install_failure_hook()
        self._mock = mock_aws()
        self._mock.start()

    def close(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        for key, value in self._env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._env = {}

    def __enter__(self) -> EmulatorTarget:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, what: str, fn: Any, **kwargs: Any) -> Any:
        _LAST_FAILED.clear()
        try:
            return super()._call(what, fn, **kwargs)
        except (
            Exception
        ) as exc:  # moto raises plain Python errors in-process when it cannot emulate something
            culprit = _failing_resource(exc)
            message = str(exc) if isinstance(exc, DeployError) else f"{type(exc).__name__}: {exc}"
            message = message.split("Further retries may succeed")[-1].strip(": \n")
            if culprit is not None and what == "create stack":
                raise _EmulatorFailure(culprit, message[:300]) from None
            if isinstance(exc, DeployError):
                raise
            raise DeployError(f"{what} failed in the emulator: {message}") from None

    def deploy(
        self,
        template: str | Template,
        stack_name: str,
        parameters: Mapping[str, str] | None = None,
        *,
        confirm: ConfirmFn | None = None,
        progress: ProgressFn | None = None,
    ) -> StackResult:
        """Deploy what the emulator can create; a resource it fails on is skipped, reported and retried."""
        plan = self.probe(template, stack_name, parameters, progress=progress, keep=True)
        if confirm is not None and not confirm(plan):
            self.destroy(stack_name)
            raise DeployError("deploy cancelled")
        result = self.describe(stack_name)
        result.skipped = list(plan.skipped)
        result.adjustments = list(plan.adjustments)
        return result

    def probe(
        self,
        template: str | Template,
        stack_name: str,
        parameters: Mapping[str, str] | None = None,
        *,
        progress: ProgressFn | None = None,
        keep: bool = False,
    ) -> DeployPlan:
        """Deploy in this process until it succeeds, learning which resources moto fails on.

        Returns the plan whose ``template`` deploys cleanly. The stack is deleted unless ``keep``.
        The template is parsed once, whatever the number of attempts.
        """
        template = as_template(template, source=stack_name)
        for _ in range(self.max_attempts):
            plan = self.plan(template, stack_name, parameters)
            try:
                self.create(plan.template, stack_name, parameters, progress=progress)
            except _EmulatorFailure as failure:
                if failure.logical_id in self.softened:
                    self.failed[failure.logical_id] = failure.message
                else:  # first try the resource without the references it holds only as values
                    self.softened[failure.logical_id] = failure.message
                if progress is not None:
                    progress(f"{failure.logical_id}: the emulator failed to create it ({failure.message})")
                self._cleanup(stack_name)
                continue
            if not keep:
                self.destroy(stack_name)
            return plan
        raise DeployError(f"the emulator failed on {len(self.failed)} resources; giving up")

    def _cleanup(self, stack_name: str) -> None:
        from moto.cloudformation import cloudformation_backends
        from moto.core import DEFAULT_ACCOUNT_ID

        backend = cloudformation_backends[DEFAULT_ACCOUNT_ID][self.region]
        for sid, stack in list(backend.stacks.items()):
            if stack.name == stack_name:
                with contextlib.suppress(Exception):  # a half-created stack may not delete cleanly in moto
                    stack.delete()
                del backend.stacks[sid]

    def client(self, service: str) -> Any:
        import boto3

        if self._mock is None:
            raise DeployError("the in-process emulator is not running")
        return boto3.client(service, region_name=self.region, **FAKE_CREDENTIALS)


class EndpointTarget(_EmulatedPlanMixin):
    """Any AWS-compatible endpoint (LocalStack, a moto server …).

    ``strip_unsupported`` (default False) applies the emulator's limits; turn it on for a moto server.
    """

    name = "endpoint"
    poll_seconds = 0.5

    def __init__(
        self, endpoint_url: str, region: str = "us-east-1", *, strip_unsupported: bool = False
    ) -> None:
        super().__init__(region)
        if not re.match(r"^https?://[^/\s]+", endpoint_url or ""):
            raise DeployError(f"endpoint URL must look like http://host:port (got {endpoint_url!r})")
        self._endpoint = endpoint_url.rstrip("/")
        self.strip_unsupported = strip_unsupported
        self.failed = {}
        self.softened = {}

    @property
    def endpoint_url(self) -> str | None:
        return self._endpoint

    def client(self, service: str) -> Any:
        import boto3

        creds: dict[str, str] = {}
        if not (os.environ.get("AWS_ACCESS_KEY_ID") and os.environ.get("AWS_SECRET_ACCESS_KEY")):
            creds = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
        return boto3.client(service, region_name=self.region, endpoint_url=self._endpoint, **creds)


class LocalServer:
    """moto's threaded server on 127.0.0.1 (port 0 = any free port)."""

    def __init__(self, port: int = 0, host: str = "127.0.0.1") -> None:
        from moto.server import ThreadedMotoServer

        self._server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
        self._started = False

    def start(self) -> str:
        try:
            self._server.start()
        except OSError as exc:
            raise DeployError(f"could not start the local emulator server: {exc}") from None
        self._started = True
        return self.url

    @property
    def url(self) -> str:
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self._started:
            self._server.stop()
            self._started = False

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
