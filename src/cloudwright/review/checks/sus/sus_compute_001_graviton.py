"""SUS-COMPUTE-001: x86 chosen where a Graviton (Arm) equivalent exists."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.design.model import Design
from cloudwright.review.context import Fix, Outcome, ReviewContext
from cloudwright.review.declarative import set_path
from cloudwright.review.facts import services
from cloudwright.review.registry import check


def arm_class(kind: str, value: str) -> str | None:
    """``m5.large`` → ``m6g.large`` (None when no Graviton equivalent is listed)."""
    table: dict[str, str] = services()["graviton"][kind]
    family, _, size = value.rpartition(".")
    if not family:
        return None
    target = table.get(family)
    return f"{target}.{size}" if target else None


def _setter(rid: str, path: str, value: object) -> Fix:
    def fix(design: Design) -> None:
        props = design[rid].properties
        set_path(props, path, value)
        if design[rid].type == "AWS::EKS::Nodegroup" and "x86_64" in str(props.get("AmiType", "")):
            props["AmiType"] = str(props["AmiType"]).replace("x86_64", "ARM_64")

    return fix


def edge_functions(ctx: ReviewContext) -> set[str]:
    """Functions used as Lambda@Edge by a CloudFront distribution (x86_64 only)."""
    out: set[str] = set()
    for dist in ctx.resources("AWS::CloudFront::Distribution"):
        for rid in ctx.references(dist):
            r = ctx.get(rid)
            if r is not None and r.type in ("AWS::Lambda::Function", "AWS::Lambda::Version"):
                out.add(rid)
                out |= {x for x in ctx.references(r) if (ctx.get(x) or r).type == "AWS::Lambda::Function"}
    return out


def _candidates(ctx: ReviewContext) -> Iterator[tuple[str, str, str, object]]:
    """(logical id, property path, current, proposed) for every x86 choice with an Arm equivalent."""
    edge = edge_functions(ctx)
    for fn in ctx.resources("AWS::Lambda::Function"):
        if fn.logical_id in edge:
            continue  # Lambda@Edge runs on x86_64 only
        arch = ctx.resolve(fn.prop("Architectures", ["x86_64"]))
        if isinstance(arch, list) and "arm64" not in arch:
            yield fn.logical_id, "Architectures", "x86_64", ["arm64"]
    for td in ctx.resources("AWS::ECS::TaskDefinition"):
        if "FARGATE" in td.prop_list("RequiresCompatibilities"):
            cpu = ctx.resolve(td.prop("RuntimePlatform.CpuArchitecture", "X86_64"))
            if cpu == "X86_64":
                yield td.logical_id, "RuntimePlatform.CpuArchitecture", "X86_64", "ARM64"
    for ng in ctx.resources("AWS::EKS::Nodegroup"):
        types = ctx.resolve(ng.prop("InstanceTypes"))
        if not isinstance(types, list):
            continue
        names = [t for t in types if isinstance(t, str)]
        if names and len(names) == len(types):
            arm = [arm_class("ec2", t) for t in names]
            if all(arm):
                yield ng.logical_id, "InstanceTypes", ", ".join(names), arm
    for kind, rtype, path in (
        ("ec2", "AWS::EC2::Instance", "InstanceType"),
        ("ec2", "AWS::EC2::LaunchTemplate", "LaunchTemplateData.InstanceType"),
        ("rds", "AWS::RDS::DBInstance", "DBInstanceClass"),
        ("cache", "AWS::ElastiCache::ReplicationGroup", "CacheNodeType"),
    ):
        for r in ctx.resources(rtype):
            current = ctx.resolve(r.prop(path))
            if isinstance(current, str):
                proposed = arm_class(kind, current)
                if proposed:
                    yield r.logical_id, path, current, proposed


@check(
    id="SUS-COMPUTE-001",
    title="Graviton (Arm) is used where it is available",
    severity="low",
    types=[
        "AWS::Lambda::Function",
        "AWS::ECS::TaskDefinition",
        "AWS::EC2::Instance",
        "AWS::EC2::LaunchTemplate",
        "AWS::RDS::DBInstance",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::EKS::Nodegroup",
    ],
    rationale="Graviton instances and Arm Lambda/Fargate cost less per unit and use less energy for the same "
    "work; interpreted runtimes (Python, Node.js, Java) and managed engines usually run unchanged.",
    remediation="Switch to the Arm equivalent shown (build multi-arch container images for Fargate; test "
    "native "
    "dependencies) — see the cost delta.",
    references=["SUS05-BP02", "COST06-BP01", "PERF02-BP01"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    seen: set[str] = set()
    for rid, path, current, proposed in _candidates(ctx):
        seen.add(rid)
        shown = ", ".join(map(str, proposed)) if isinstance(proposed, list) else proposed
        yield ctx.fail(
            rid,
            f"{path} is {current}; Arm equivalent: {shown}",
            path,
            fix=_setter(rid, path, proposed),
        )
    for r in ctx.resources(
        "AWS::Lambda::Function",
        "AWS::ECS::TaskDefinition",
        "AWS::EC2::Instance",
        "AWS::EC2::LaunchTemplate",
        "AWS::RDS::DBInstance",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::EKS::Nodegroup",
    ):
        if r.logical_id not in seen:
            yield ctx.ok(r.logical_id)
