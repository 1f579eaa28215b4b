"""SEC-EC2-002: EC2 instances that accept IMDSv1 (no MetadataOptions, no launch template requiring tokens)."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.design.model import Design, Resource
from cloudwright.review.context import MISSING, UNKNOWN, Fix, Outcome, ReviewContext
from cloudwright.review.registry import check


def _required(value: object) -> bool:
    return isinstance(value, str) and value.lower() == "required"


@check(
    id="SEC-EC2-002",
    title="EC2 instance requires IMDSv2 tokens",
    severity="high",
    types=["AWS::EC2::Instance"],
    rationale="An instance that still answers IMDSv1 lets a server-side request forgery bug in any of its "
    "applications read the instance role's credentials; most sample templates launch instances this way.",
    remediation="Set MetadataOptions.HttpTokens to required on the instance, or launch it from a launch "
    "template whose LaunchTemplateData.MetadataOptions.HttpTokens is required.",
    references=["SEC06-BP02", "checkov:CKV_AWS_79"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for inst in ctx.resources("AWS::EC2::Instance"):
        outcome = _judge(ctx, inst)
        if outcome is not None:
            yield outcome
            continue
        yield ctx.fail(
            inst.logical_id,
            "the instance accepts IMDSv1 (MetadataOptions.HttpTokens is not required)",
            "MetadataOptions.HttpTokens",
            fix=_require_tokens(inst.logical_id),
        )


def _judge(ctx: ReviewContext, inst: Resource) -> Outcome | None:
    """ok / unknown, or None when the instance accepts IMDSv1."""
    tokens = ctx.value(inst, "MetadataOptions.HttpTokens")
    if _required(tokens):
        return ctx.ok(inst.logical_id)
    if tokens is UNKNOWN:
        return ctx.unknown(inst.logical_id, "MetadataOptions.HttpTokens cannot be resolved")
    if tokens is not MISSING:
        return None  # set on the instance to optional: that wins over the launch template
    ref = ctx.value(inst, "LaunchTemplate.LaunchTemplateId", resolve_leaf=False)
    if ref is MISSING:
        ref = ctx.value(inst, "LaunchTemplate.LaunchTemplateName", resolve_leaf=False)
    if ref is MISSING:
        return None
    target = ctx.get(ctx.ref_target(ref) or "")
    if target is None or target.type != "AWS::EC2::LaunchTemplate":
        return ctx.unknown(inst.logical_id, "its launch template is not in this template")
    lt_tokens = ctx.value(target, "LaunchTemplateData.MetadataOptions.HttpTokens")
    if _required(lt_tokens):
        return ctx.ok(inst.logical_id)
    if lt_tokens is UNKNOWN:
        return ctx.unknown(inst.logical_id, "its launch template's HttpTokens cannot be resolved")
    return None


def _require_tokens(logical_id: str) -> Fix:
    def fix(design: Design) -> None:
        props = design[logical_id].properties
        options = props.get("MetadataOptions")
        props["MetadataOptions"] = {
            **(options if isinstance(options, dict) else {}),
            "HttpTokens": "required",
        }

    return fix
