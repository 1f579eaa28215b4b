"""OPS-RDS-002: database engine major versions past the end of RDS standard support."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.facts import services
from cloudwright.review.registry import check


def major_version(engine: str, version: str) -> str:
    """``12.19`` → ``12``; ``5.7.44`` → ``5.7``; ``5.7.mysql_aurora.2.11.2`` → ``5.7``."""
    parts = version.split(".")
    if engine in ("mysql", "aurora-mysql", "mariadb") or (
        parts and parts[0] in ("5", "8") and len(parts) > 1
    ):
        return ".".join(parts[:2])
    return parts[0]


@check(
    id="OPS-RDS-002",
    title="Database engine version is in standard support",
    severity="medium",
    types=["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"],
    rationale="After the RDS end of standard support date a major version is enrolled in RDS Extended "
    "Support: it is billed extra and receives only critical and high CVE fixes, and after up to three "
    "years it is upgraded automatically anyway.",
    remediation="Create the database on a supported major version (e.g. PostgreSQL 16/17, MySQL 8.0/8.4, "
    "Aurora MySQL 3) and plan major upgrades with blue/green deployments.",
    references=[
        "OPS05-BP05",
        "SEC06-BP01",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    rules = services()["engine_end_of_standard_support"]
    for r in ctx.resources("AWS::RDS::DBInstance", "AWS::RDS::DBCluster"):
        if r.type == "AWS::RDS::DBInstance" and r.prop("DBClusterIdentifier") is not None:
            continue  # the cluster carries the engine version
        engine, version = ctx.resolve(r.prop("Engine")), ctx.resolve(r.prop("EngineVersion"))
        if not isinstance(engine, str):
            continue
        if version is None:
            yield ctx.ok(r.logical_id)  # RDS picks the default (current) version
            continue
        if not isinstance(version, str | int | float):
            yield ctx.unknown(r.logical_id, "EngineVersion cannot be resolved")
            continue
        major = major_version(engine, str(version))
        hit = next((x for x in rules if engine in x["engines"] and str(x["major"]) == major), None)
        when = date.fromisoformat(str(hit["date"])) if hit else None
        if hit and when is not None and when <= ctx.today:
            yield ctx.fail(
                r.logical_id,
                f"{engine} {major} left RDS standard support on {when.isoformat()}; "
                "Extended Support charges apply",
                "EngineVersion",
            )
        else:
            yield ctx.ok(r.logical_id)
