"""SEC-EBS-002: instance, launch template and launch configuration volumes that are not declared encrypted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cloudwright.review.context import UNKNOWN, Outcome, ReviewContext
from cloudwright.review.registry import check

#: Type → path of its block device mappings.
MAPPINGS = {
    "AWS::EC2::Instance": "BlockDeviceMappings",
    "AWS::EC2::LaunchTemplate": "LaunchTemplateData.BlockDeviceMappings",
    "AWS::AutoScaling::LaunchConfiguration": "BlockDeviceMappings",
}


@check(
    id="SEC-EBS-002",
    title="Instance volumes (root included) are encrypted",
    severity="medium",
    types=sorted(MAPPINGS),
    rationale="Without BlockDeviceMappings that set Ebs.Encrypted, the root volume is created unencrypted "
    "from the AMI unless the account turned on EBS encryption by default, which the template cannot show; "
    "root volumes hold logs, caches and application files.",
    remediation="Add a BlockDeviceMappings entry for the root device (e.g. /dev/xvda) with Ebs.Encrypted: "
    "true (and a KmsKeyId if a customer managed key is required), or turn on EBS encryption by default.",
    references=["SEC08-BP02", "checkov:CKV_AWS_8"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for rtype, path in MAPPINGS.items():
        for r in ctx.resources(rtype):
            mappings = ctx.value(r, path)
            if mappings is UNKNOWN:
                yield ctx.unknown(r.logical_id, f"{path} cannot be resolved")
                continue
            items = mappings if isinstance(mappings, list) else []
            ebs = [ctx.resolve(m.get("Ebs")) for m in items if isinstance(m, dict) and "Ebs" in m]
            if not ebs:
                yield ctx.fail(r.logical_id, "the root volume is not declared encrypted", path)
                continue
            verdicts = [_encrypted(ctx, e) for e in ebs]
            if all(v is True for v in verdicts):
                yield ctx.ok(r.logical_id)
            elif any(v is False for v in verdicts):
                yield ctx.fail(
                    r.logical_id, "an EBS volume is not encrypted (Ebs.Encrypted is not true)", path
                )
            else:
                yield ctx.unknown(r.logical_id, "Ebs.Encrypted cannot be resolved")


def _encrypted(ctx: ReviewContext, ebs: Any) -> bool | None:
    if not isinstance(ebs, dict):
        return None
    value = ctx.resolve(ebs.get("Encrypted"))
    if value is UNKNOWN:
        return None
    return value is True
