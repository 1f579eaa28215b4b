"""The deploy-target protocol and what every target reports back.

A target is a transport for CloudFormation: it creates a stack from a template, waits for it, describes
it and deletes it. Three implementations share this shape:

* :class:`~cloudwright.deploy.emulator.EmulatorTarget` — moto, in-process (default) or as a local server;
* :class:`~cloudwright.deploy.emulator.EndpointTarget` — any AWS-compatible endpoint URL (LocalStack …);
* :class:`~cloudwright.deploy.aws.AwsTarget` — real AWS through a change set.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from cloudwright.errors import CloudwrightError, DeployError, HostError

#: Called with one line of progress ("Bucket CREATE_COMPLETE").
ProgressFn = Callable[[str], None]
#: Called with the plan before anything is created; returns True to go ahead.
ConfirmFn = Callable[["DeployPlan"], bool]


@dataclass(frozen=True)
class Template:
    """A template read and parsed once: its ``text`` (what CloudFormation's API takes) and its parsed
    ``document`` (what a plan reads). A deploy passes this down instead of text, so the template is
    parsed once however many plans and attempts the deploy makes. Nothing changes ``document``."""

    text: str
    document: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def parse(cls, text: str, *, source: str = "<template>") -> Template:
        from cloudwright.cfn.reader import parse_template

        return cls(text, parse_template(text, source=source))


def as_template(template: str | Template, *, source: str = "<template>") -> Template:
    """``template`` as a :class:`Template`: parsed here only when given as text."""
    return template if isinstance(template, Template) else Template.parse(template, source=source)


def template_text(template: str | Template) -> str:
    """The text of a template given as text or as a :class:`Template`."""
    return template.text if isinstance(template, Template) else template


@dataclass(frozen=True)
class SkippedResource:
    logical_id: str
    type: str
    reason: str


@dataclass(frozen=True)
class PlannedChange:
    action: str  # Add | Modify | Remove
    logical_id: str
    type: str
    replacement: str = ""


@dataclass
class DeployPlan:
    """What a deploy will do, shown before it runs."""

    stack_name: str
    target: str
    changes: list[PlannedChange] = field(default_factory=list)
    skipped: list[SkippedResource] = field(default_factory=list)
    #: Resource types the target cannot create (emulator only).
    unsupported_types: list[str] = field(default_factory=list)
    template: str = ""
    #: Changes made so the emulator can take the template (said out loud in the report).
    adjustments: list[str] = field(default_factory=list)
    #: ``template`` parsed, when the plan has it (so deploying the plan's template parses nothing again).
    document: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    def source(self) -> str | Template:
        """The plan's template, parsed when the plan has its document."""
        return self.template if self.document is None else Template(self.template, self.document)


@dataclass(frozen=True)
class StackResource:
    logical_id: str
    type: str
    physical_id: str
    status: str
    reason: str = ""


@dataclass
class StackResult:
    """The state of a deployed stack, in plain terms."""

    stack_name: str
    target: str
    status: str
    stack_id: str = ""
    reason: str = ""
    resources: list[StackResource] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    skipped: list[SkippedResource] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    adjustments: list[str] = field(default_factory=list)
    endpoint_url: str | None = None
    region: str = "us-east-1"

    @property
    def ok(self) -> bool:
        return self.status in ("CREATE_COMPLETE", "UPDATE_COMPLETE")

    def to_dict(self) -> dict[str, Any]:
        return {
            "stack_name": self.stack_name,
            "target": self.target,
            "status": self.status,
            "region": self.region,
            "endpoint_url": self.endpoint_url,
            "reason": self.reason,
            "resources": [r.__dict__ for r in self.resources],
            "outputs": dict(sorted(self.outputs.items())),
            "skipped": [s.__dict__ for s in self.skipped],
            "failures": list(self.failures),
            "adjustments": list(self.adjustments),
        }


class Target(Protocol):
    """A place CloudFormation stacks can be deployed to."""

    name: str
    region: str

    def plan(
        self, template: str | Template, stack_name: str, parameters: Mapping[str, str] | None = None
    ) -> DeployPlan: ...

    def deploy(
        self,
        template: str | Template,
        stack_name: str,
        parameters: Mapping[str, str] | None = None,
        *,
        confirm: ConfirmFn | None = None,
        progress: ProgressFn | None = None,
    ) -> StackResult: ...

    def describe(self, stack_name: str) -> StackResult: ...

    def destroy(self, stack_name: str, *, progress: ProgressFn | None = None) -> StackResult: ...


_TERMINAL_FAILED = ("FAILED", "ROLLBACK_COMPLETE")


class BotoTarget:
    """Shared boto3 plumbing: create/wait/describe/delete a stack through one CloudFormation client."""

    name = "boto"
    poll_seconds = 2.0
    timeout_seconds = 3600.0

    def __init__(self, region: str = "us-east-1") -> None:
        self.region = region

    # subclasses provide the session / endpoint
    def client(self, service: str) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def endpoint_url(self) -> str | None:
        return None

    # --- helpers -----------------------------------------------------------------------------------
    def _cfn(self) -> Any:
        return self.client("cloudformation")

    @staticmethod
    def _params(parameters: Mapping[str, str] | None) -> list[dict[str, str]]:
        return [{"ParameterKey": k, "ParameterValue": str(v)} for k, v in sorted((parameters or {}).items())]

    def _call(self, what: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return fn(**kwargs)
        except ClientError as exc:
            err = exc.response.get("Error", {})
            raise DeployError(
                f"{what} failed on {self.name}: {err.get('Code', '')} {err.get('Message', '')}".strip()
            ) from None
        except BotoCoreError as exc:
            raise DeployError(f"{what} failed on {self.name}: {exc}") from None

    def _stack_exists(self, stack_name: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            stacks = self._cfn().describe_stacks(StackName=stack_name)["Stacks"]
        except ClientError:
            return False
        return bool(stacks) and stacks[0].get("StackStatus") not in ("DELETE_COMPLETE", "REVIEW_IN_PROGRESS")

    def wait(self, stack_name: str, progress: ProgressFn | None = None, *, deleting: bool = False) -> str:
        """Poll until the stack leaves its *_IN_PROGRESS state; report each new event. Returns the status."""
        from botocore.exceptions import ClientError

        cfn = self._cfn()
        seen: set[str] = set()
        deadline = time.monotonic() + self.timeout_seconds
        while True:
            try:
                stack = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
            except ClientError:
                if deleting:
                    return "DELETE_COMPLETE"
                raise
            status = str(stack.get("StackStatus", ""))
            if progress is not None:
                try:
                    events = cfn.describe_stack_events(StackName=stack_name).get("StackEvents", [])
                except ClientError:
                    events = []
                for ev in reversed(events):
                    key = str(ev.get("EventId"))
                    if key in seen:
                        continue
                    seen.add(key)
                    line = f"{ev.get('LogicalResourceId')} {ev.get('ResourceStatus')}"
                    if ev.get("ResourceStatusReason") and "FAILED" in str(ev.get("ResourceStatus")):
                        line += f": {ev['ResourceStatusReason']}"
                    progress(line)
            if not status.endswith("_IN_PROGRESS"):
                return status
            if time.monotonic() > deadline:
                raise DeployError(f"stack {stack_name} still {status} after {int(self.timeout_seconds)} s")
            time.sleep(self.poll_seconds)

    def describe(self, stack_name: str) -> StackResult:
        cfn = self._cfn()
        stacks = self._call("describe stack", cfn.describe_stacks, StackName=stack_name)["Stacks"]
        if not stacks:
            raise DeployError(f"no stack named {stack_name} on {self.name}")
        stack = stacks[0]
        resources = []
        paginator_kwargs = {"StackName": stack_name}
        summaries = self._call("list stack resources", cfn.list_stack_resources, **paginator_kwargs)
        for r in summaries.get("StackResourceSummaries", []):
            resources.append(
                StackResource(
                    logical_id=str(r.get("LogicalResourceId")),
                    type=str(r.get("ResourceType")),
                    physical_id=str(r.get("PhysicalResourceId", "")),
                    status=str(r.get("ResourceStatus", "")),
                    reason=str(r.get("ResourceStatusReason", "") or ""),
                )
            )
        resources.sort(key=lambda r: r.logical_id)
        outputs = {str(o["OutputKey"]): str(o.get("OutputValue", "")) for o in stack.get("Outputs", []) or []}
        failures = [
            f"{r.logical_id} ({r.type}) could not be created: {r.reason or r.status}"
            for r in resources
            if "FAILED" in r.status
        ]
        return StackResult(
            stack_name=stack_name,
            target=self.name,
            status=str(stack.get("StackStatus")),
            stack_id=str(stack.get("StackId", "")),
            reason=str(stack.get("StackStatusReason", "") or ""),
            resources=resources,
            outputs=dict(sorted(outputs.items())),
            failures=failures,
            endpoint_url=self.endpoint_url,
            region=self.region,
        )

    def plan(
        self, template: str | Template, stack_name: str, parameters: Mapping[str, str] | None = None
    ) -> DeployPlan:
        parsed = as_template(template, source=stack_name)
        changes = [
            PlannedChange("Add", lid, str(body.get("Type")))
            for lid, body in sorted((parsed.document.get("Resources") or {}).items())
        ]
        return DeployPlan(
            stack_name=stack_name,
            target=self.name,
            changes=changes,
            template=parsed.text,
            document=parsed.document,
        )

    def create(
        self,
        template: str,
        stack_name: str,
        parameters: Mapping[str, str] | None = None,
        *,
        progress: ProgressFn | None = None,
    ) -> StackResult:
        if self._stack_exists(stack_name):
            raise DeployError(f"a stack named {stack_name} already exists on {self.name}; destroy it first")
        self.created_stack = stack_name  # from here on a failure may leave a stack behind
        self._call(
            "create stack",
            self._cfn().create_stack,
            StackName=stack_name,
            TemplateBody=template,
            Parameters=self._params(parameters),
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
        )
        status = self.wait(stack_name, progress)
        result = self.describe(stack_name)
        result.status = status
        return result

    def deploy(
        self,
        template: str | Template,
        stack_name: str,
        parameters: Mapping[str, str] | None = None,
        *,
        confirm: ConfirmFn | None = None,
        progress: ProgressFn | None = None,
    ) -> StackResult:
        plan = self.plan(template, stack_name, parameters)
        if confirm is not None and not confirm(plan):
            raise DeployError("deploy cancelled; nothing was created")
        result = self.create(plan.template, stack_name, parameters, progress=progress)
        result.skipped = list(plan.skipped)
        return result

    def destroy(self, stack_name: str, *, progress: ProgressFn | None = None) -> StackResult:
        if not self._stack_exists(stack_name):
            raise DeployError(f"no stack named {stack_name} on {self.name}")
        self._call("delete stack", self._cfn().delete_stack, StackName=stack_name)
        status = self.wait(stack_name, progress, deleting=True)
        return StackResult(
            stack_name=stack_name,
            target=self.name,
            status=status,
            endpoint_url=self.endpoint_url,
            region=self.region,
        )


def host_error(exc: BaseException, where: str) -> CloudwrightError | None:
    """The one-line error for an environment problem botocore raised (unreachable endpoint, no
    credentials, unknown profile), or None when ``exc`` is something else."""
    from botocore import exceptions as bx

    if isinstance(
        exc,
        bx.NoCredentialsError
        | bx.PartialCredentialsError
        | bx.CredentialRetrievalError
        | bx.ProfileNotFound
        | bx.NoRegionError,
    ):
        return HostError(
            f"no usable AWS credentials for {where} ({exc}); configure them (aws configure, AWS_PROFILE, "
            "--profile) or deploy to the emulator"
        )
    if isinstance(
        exc,
        bx.EndpointConnectionError
        | bx.ConnectTimeoutError
        | bx.ReadTimeoutError
        | bx.ConnectionClosedError
        | bx.HTTPClientError,
    ):
        return HostError(f"cannot reach {where}: {exc}")
    if isinstance(exc, bx.BotoCoreError):
        return DeployError(f"{where} failed: {exc}")
    return None


@contextlib.contextmanager
def environment_errors(where: str, *, leftover: Callable[[], str | None] | None = None) -> Iterator[None]:
    """Turn botocore's environment errors into one line (exit 2); say what a part-way deploy left behind."""
    try:
        yield
    except (HostError, DeployError) as exc:
        hint = leftover() if leftover is not None else None
        if hint and hint not in str(exc):
            raise type(exc)(f"{exc}; {hint}") from None
        raise
    except Exception as exc:
        mapped = host_error(exc, where)
        if mapped is None:
            raise
        hint = leftover() if leftover is not None else None
        if hint:
            mapped = type(mapped)(f"{mapped}; {hint}")
        raise mapped from None


def is_failed(status: str) -> bool:
    return any(status.endswith(s) for s in _TERMINAL_FAILED)


def make_target(
    target: str,
    endpoint_url: str | None,
    region: str,
    profile: str | None,
    template_bucket: str | None = None,
) -> Any:
    """The deploy target: an AWS-compatible endpoint, real AWS or the embedded emulator."""
    from cloudwright.errors import InputError

    if endpoint_url:
        from cloudwright.deploy.emulator import EndpointTarget

        return EndpointTarget(endpoint_url, region)
    if target == "aws":
        from cloudwright.deploy.aws import AwsTarget

        return AwsTarget(region, profile=profile, template_bucket=template_bucket)
    if target == "emulator":
        from cloudwright.deploy.emulator import EmulatorTarget

        return EmulatorTarget(region)
    raise InputError("unknown deploy target", field="--target", value=target, allowed=["emulator", "aws"])
