"""Deploy to real AWS through a CloudFormation change set.

The change set is created first and its changes are shown (what will be added, modified, removed or
replaced); nothing is created until the user confirms (or passes ``--yes``). Then the change set is
executed, the stack is waited for with progress, and the outputs or the failures are reported in plain
words.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from cloudwright.deploy.target import (
    BotoTarget,
    ConfirmFn,
    DeployPlan,
    PlannedChange,
    ProgressFn,
    StackResult,
    Template,
    is_failed,
    template_text,
)
from cloudwright.errors import DeployError

#: CloudFormation's limit for a template passed inline (TemplateBody), in bytes.
TEMPLATE_BODY_LIMIT = 51_200
_CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
_NO_CHANGES = ("didn't contain changes", "No updates are to be performed")


class AwsTarget(BotoTarget):
    """Real AWS (credentials from the profile / environment, as the AWS CLI finds them)."""

    name = "aws"
    poll_seconds = 5.0

    def __init__(
        self,
        region: str = "us-east-1",
        *,
        profile: str | None = None,
        change_set_name: str = "cloudwright",
        session: Any = None,
        template_bucket: str | None = None,
    ) -> None:
        super().__init__(region)
        self.profile = profile
        #: S3 bucket for templates larger than CloudFormation's inline limit.
        self.template_bucket = template_bucket
        self.change_set_name = change_set_name
        self._session = session
        self._plans: dict[str, dict[str, Any]] = {}

    def _boto_session(self) -> Any:
        if self._session is None:
            import boto3
            from botocore.exceptions import ProfileNotFound

            try:
                self._session = boto3.Session(profile_name=self.profile, region_name=self.region)
            except ProfileNotFound:
                raise DeployError(f"no AWS profile named {self.profile!r}") from None
        return self._session

    def client(self, service: str) -> Any:
        return self._boto_session().client(service, region_name=self.region)

    def plan(
        self, template: str | Template, stack_name: str, parameters: Mapping[str, str] | None = None
    ) -> DeployPlan:
        """Create the change set and list its changes (nothing is created yet)."""
        template = template_text(template)
        body = self._template_source(template, stack_name)
        cfn = self._cfn()
        change_type = "UPDATE" if self._stack_exists(stack_name) else "CREATE"
        if change_type == "CREATE":
            self.created_stack = stack_name  # a change set already creates the (empty) stack
        created = self._call(
            "create change set",
            cfn.create_change_set,
            StackName=stack_name,
            ChangeSetName=self.change_set_name,
            ChangeSetType=change_type,
            **body,
            Parameters=self._params(parameters),
            Capabilities=_CAPABILITIES,
        )
        change_set_id = created["Id"]
        deadline = time.monotonic() + 600
        while True:
            desc = self._call("describe change set", cfn.describe_change_set, ChangeSetName=change_set_id)
            status = str(desc.get("Status"))
            if status in ("CREATE_COMPLETE", "FAILED"):
                break
            if time.monotonic() > deadline:
                raise DeployError("the change set was not ready after 10 minutes")
            time.sleep(self.poll_seconds)
        if status == "FAILED":
            reason = str(desc.get("StatusReason", ""))
            if any(s in reason for s in _NO_CHANGES):
                self._call("delete change set", cfn.delete_change_set, ChangeSetName=change_set_id)
                return DeployPlan(stack_name=stack_name, target=self.name, changes=[], template=template)
            raise DeployError(f"CloudFormation rejected the change set: {reason}")
        changes = []
        for change in desc.get("Changes", []):
            rc = change.get("ResourceChange", {})
            changes.append(
                PlannedChange(
                    action=str(rc.get("Action", "")),
                    logical_id=str(rc.get("LogicalResourceId", "")),
                    type=str(rc.get("ResourceType", "")),
                    replacement=str(rc.get("Replacement", "") or ""),
                )
            )
        changes.sort(key=lambda c: c.logical_id)
        self._plans[stack_name] = {"id": change_set_id, "type": change_type}
        return DeployPlan(stack_name=stack_name, target=self.name, changes=changes, template=template)

    def _template_source(self, template: str, stack_name: str) -> dict[str, str]:
        """Inline the template, or upload it to ``template_bucket`` when it is over the inline limit."""
        size = len(template.encode("utf-8"))
        if size <= TEMPLATE_BODY_LIMIT:
            return {"TemplateBody": template}
        if not self.template_bucket:
            raise DeployError(
                f"the template is {size} bytes; CloudFormation takes at most {TEMPLATE_BODY_LIMIT} inline — "
                "pass --template-bucket BUCKET to upload it to S3 first"
            )
        import hashlib

        key = f"cloudwright/{stack_name}/{hashlib.sha256(template.encode()).hexdigest()[:16]}.yaml"
        s3 = self.client("s3")
        self._call(
            "upload the template", s3.put_object, Bucket=self.template_bucket, Key=key, Body=template.encode()
        )
        region_part = "" if self.region == "us-east-1" else f".{self.region}"
        return {"TemplateURL": f"https://{self.template_bucket}.s3{region_part}.amazonaws.com/{key}"}

    def discard(self, stack_name: str) -> None:
        """Delete a pending change set (and the empty stack a CREATE change set leaves behind)."""
        pending = self._plans.pop(stack_name, None)
        if pending is None:
            return
        cfn = self._cfn()
        self._call("delete change set", cfn.delete_change_set, ChangeSetName=pending["id"])
        if pending["type"] == "CREATE":
            self._call("delete stack", cfn.delete_stack, StackName=stack_name)

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
        if not plan.changes:
            result = self.describe(stack_name)
            result.reason = "no changes: the stack already matches the template"
            return result
        if confirm is not None and not confirm(plan):
            self.discard(stack_name)
            raise DeployError("deploy cancelled; the change set was deleted and nothing was created")
        pending = self._plans.pop(stack_name)
        self._call(
            "execute change set",
            self._cfn().execute_change_set,
            ChangeSetName=pending["id"],
            StackName=stack_name,
        )
        status = self.wait(stack_name, progress)
        result = self.describe(stack_name)
        result.status = status
        if is_failed(status) or "ROLLBACK" in status:
            result.failures = result.failures or [f"the stack ended in {status}: {result.reason}"]
            result.failures += self._failure_events(stack_name)
        return result

    def _failure_events(self, stack_name: str) -> list[str]:
        events = self._call("describe stack events", self._cfn().describe_stack_events, StackName=stack_name)
        out = []
        for ev in events.get("StackEvents", []):
            if str(ev.get("ResourceStatus", "")).endswith("_FAILED") and ev.get("ResourceStatusReason"):
                line = (
                    f"{ev.get('LogicalResourceId')} ({ev.get('ResourceType')}): {ev['ResourceStatusReason']}"
                )
                if line not in out:
                    out.append(line)
        return out
