"""REL-AURORA-001: Aurora cluster with a single instance in production."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.design.model import Design, Resource
from cloudwright.review.context import Fix, Outcome, ReviewContext
from cloudwright.review.registry import check


def members(ctx: ReviewContext, cluster_id: str) -> list[Resource]:
    return [
        i
        for i in ctx.resources("AWS::RDS::DBInstance")
        if ctx.ref_target(i.prop("DBClusterIdentifier")) == cluster_id
    ]


def _add_reader(writer_id: str) -> Fix:
    def fix(design: Design) -> None:
        writer = design[writer_id]
        copy = Resource.model_validate(writer.model_dump())
        copy.logical_id = f"{writer_id}Reader"
        design.add(copy)

    return fix


@check(
    id="REL-AURORA-001",
    title="Production Aurora cluster has a replica in another AZ",
    severity="high",
    types=["AWS::RDS::DBCluster"],
    environments=["prod"],
    rationale="An Aurora cluster with only a writer instance must create a new instance when it fails, which "
    "takes about ten minutes; with a replica in another AZ failover takes about a minute.",
    remediation="Add a second DB instance (reader) to the cluster in another AZ, same class as the writer "
    "(Serverless v2 readers can scale down when idle).",
    references=[
        "REL10-BP01",
        "REL11-BP01",
        "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for cluster in ctx.resources("AWS::RDS::DBCluster"):
        engine = ctx.resolve(cluster.prop("Engine"))
        if not (isinstance(engine, str) and engine.startswith("aurora")):
            continue
        if ctx.resolve(cluster.prop("EngineMode")) == "serverless":
            yield ctx.unknown(cluster.logical_id, "Aurora Serverless v1 has no instances to count")
            continue
        inst = members(ctx, cluster.logical_id)
        if len(inst) >= 2:
            yield ctx.ok(cluster.logical_id)
        elif inst:
            yield ctx.fail(
                cluster.logical_id,
                "the cluster has one instance (no replica to fail over to)",
                fix=_add_reader(inst[0].logical_id),
            )
        else:
            yield ctx.fail(cluster.logical_id, "the cluster has no DB instance in the template")
