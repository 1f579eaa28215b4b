"""Multi-Region data: the ``global-tables`` builder (DynamoDB global table with a replica per audience).

The stack's own Region hosts the primary replica; one replica is added per audience region of the
requirements (mapped to an AWS Region below). The API and function layer is deployed again in each
secondary Region from the same template (minus the global table, which the primary stack manages);
Route 53 latency records send each user to the nearest Region.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from cloudwright.design.build import BuildContext, BuilderOptions, GlobalTable, component
from cloudwright.design.components.lambdas import kms_key, skip
from cloudwright.design.components.nosql import TABLES, TableSpec, capacity

SRC_GLOBAL_TABLES = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GlobalTables.html "
    "(multi-active replicas, asynchronous replication, last writer wins)"
)
SRC_REGIONS = "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html"

#: Audience region → the AWS Region that serves it when it is not the primary's own continent.
AUDIENCE_REGION = {
    "north-america": "us-east-1",
    "south-america": "sa-east-1",
    "europe": "eu-west-1",
    "asia-pacific": "ap-southeast-1",
    "middle-east": "me-central-1",
    "africa": "af-south-1",
}
#: Region code prefix → continent (audience region) it serves.
_PREFIX_AUDIENCE = {
    "us": "north-america",
    "ca": "north-america",
    "mx": "north-america",
    "sa": "south-america",
    "eu": "europe",
    "ap": "asia-pacific",
    "me": "middle-east",
    "il": "middle-east",
    "af": "africa",
}
#: Regions that must be enabled (opted in) in the account before use.
OPT_IN_REGIONS = {"af-south-1", "me-central-1", "me-south-1", "ap-east-1", "eu-south-1", "il-central-1"}


def audience_of(region: str) -> str | None:
    return _PREFIX_AUDIENCE.get(region.split("-")[0])


def replica_regions(primary: str, audiences: list[str]) -> list[str]:
    """Primary first, then one Region per audience not already served by the primary's continent."""
    out = [primary]
    home = audience_of(primary)
    for audience in audiences:
        if audience == home:
            continue
        region = AUDIENCE_REGION.get(audience)
        if region and region not in out:
            out.append(region)
    return out


class GlobalTablesOptions(BuilderOptions):
    """Options of ``global-tables``."""

    table: str = "users"
    """The table to replicate (a table name from :data:`~cloudwright.design.components.nosql.TABLES`)."""
    regions: list[str] = Field(default_factory=list)
    """Explicit replica Regions, overriding the ones mapped from the audience; empty: mapped."""

    @field_validator("table")
    @classmethod
    def _known_table(cls, v: str) -> str:
        if v not in TABLES:
            raise ValueError(f"unknown table, not one of {', '.join(sorted(TABLES))}")
        return v


@component(
    "global-tables",
    options=GlobalTablesOptions,
    uses=["kms_key", "tables"],
    provides=["global_table"],
    # replaces a regional table of the same name that an API builder added
    after=["rest-api", "http-api"],
    stage="data",
)
def global_tables(ctx: BuildContext, options: GlobalTablesOptions) -> None:
    cid = "global-tables"
    spec = TABLES[options.table]
    regions = _regions(ctx, options)
    _replace_regional_table(ctx, spec)
    props = _table_properties(ctx, spec, regions)
    _add_table(ctx, cid, spec, regions, props)
    ctx.provided.tables[options.table] = spec.logical_id
    opt_in = sorted(set(regions[1:]) & OPT_IN_REGIONS)
    if opt_in:
        ctx.warn(f"Replica Region(s) {', '.join(opt_in)} must be enabled (opted in) in the account first.")
    if regions[1:]:
        _secondary_regions(ctx, regions)
    ctx.provided.global_table = GlobalTable(table=spec.logical_id, regions=list(regions))


def _regions(ctx: BuildContext, options: GlobalTablesOptions) -> list[str]:
    """The primary Region, then the replica Regions: the options', or one per audience region; only
    allowed Regions (residency); prod only (elsewhere one Region)."""
    req = ctx.requirements
    if options.regions:
        regions = [req.region, *[r for r in options.regions if r != req.region]]
    else:
        regions = replica_regions(req.region, [a.value for a in req.audience_regions])
    if req.allowed_regions:
        # residency: a replica holds the data, so it may only live in an allowed Region; that audience is
        # served from the allowed Regions (and the edge, where the pattern has one)
        from cloudwright import regions as region_registry

        outside = [r for r in regions if not region_registry.allows(req.allowed_regions, r)]
        regions = [r for r in regions if r not in outside]
        if outside:
            ctx.warn(
                f"No replica in {', '.join(outside)}: outside allowed_regions "
                f"({', '.join(req.allowed_regions)}); users there are served from the allowed Regions, "
                "and no data is stored outside them."
            )
    if not ctx.is_prod:
        regions = regions[:1]  # dev/staging: one Region; replicas cost a full copy each
    return regions


def _replace_regional_table(ctx: BuildContext, spec: TableSpec) -> None:
    """A regional table of the same name added earlier gives way to the global table (same id, so
    Ref/GetAtt of functions and roles stay valid); its auto scaling goes too: global tables are on-demand."""
    if ctx.design.get(spec.logical_id) is None:
        return
    ctx.design.resources = [
        r
        for r in ctx.design.resources
        if r.logical_id != spec.logical_id
        and not r.logical_id.startswith(f"{spec.logical_id}Read")
        and not r.logical_id.startswith(f"{spec.logical_id}Write")
    ]


def _table_properties(ctx: BuildContext, spec: TableSpec, regions: list[str]) -> dict[str, Any]:
    """On-demand global table with streams and a replica per Region; the customer key only when there is
    a single Region (a key must exist in every replica Region)."""
    key = kms_key(ctx)
    replicas = []
    for region in regions:
        rep: dict[str, Any] = {
            "Region": region,
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": ctx.is_prod},
            "DeletionProtectionEnabled": ctx.is_prod,
            "TableClass": "STANDARD",
        }
        if key and len(regions) == 1:
            rep["SSESpecification"] = {"KMSMasterKeyId": {"Fn::GetAtt": [key, "Arn"]}}
        replicas.append(rep)
    props: dict[str, Any] = {
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": t} for a, t, _ in spec.keys],
        "KeySchema": [{"AttributeName": a, "KeyType": k} for a, _, k in spec.keys],
        "BillingMode": "PAY_PER_REQUEST",
        "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
        "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS"},
        "Replicas": replicas,
    }
    if spec.ttl_attribute:
        props["TimeToLiveSpecification"] = {"AttributeName": spec.ttl_attribute, "Enabled": True}
    if key and len(regions) > 1:
        ctx.warn(
            "The global table uses the AWS managed key (aws/dynamodb): a customer managed key must exist in "
            "every replica Region and keys cannot be mixed; create per-Region keys to switch."
        )
    return props


def _add_table(
    ctx: BuildContext, cid: str, spec: TableSpec, regions: list[str], props: dict[str, Any]
) -> None:
    req = ctx.requirements
    cap = capacity(ctx, 1.0)
    n = len(regions)
    storage = round(req.data_size_gb + req.data_growth_gb_per_month, 3)
    if not ctx.is_prod:
        storage = round(storage * ctx.load_factor, 3)
    checks = []
    if not ctx.is_prod:
        checks.append(
            (
                "CKV_AWS_165",
                f"Point-in-time recovery is on in prod only; {ctx.environment} data is re-creatable.",
            )
        )
    ctx.add(
        spec.logical_id,
        "AWS::DynamoDB::GlobalTable",
        props,
        usage={
            "monthly_write_request_units": cap["wru_month"],
            "monthly_read_request_units": round(cap["rru_month"] / n),
            "storage_gb": storage,
            "pitr_backup_storage_gb": storage if ctx.is_prod else 0,
            "monthly_replicated_write_request_units": cap["wru_month"] if n > 1 else 0,
            # the stream feeds replication only; replication's own stream reads are not billed
            "monthly_streams_read_request_units": 0,
        },
        label=f"{spec.label} (global)",
        role="database",
        tier="data",
        rationale=(
            f"DynamoDB global table with replicas in {', '.join(regions)}: each Region reads and writes "
            "locally (single-digit ms), replication is asynchronous (typically under a second), "
            "conflicts resolve last-writer-wins."
        ),
        sizing=[
            {
                "rule": "replicas = primary + one Region per audience region",
                "value": ", ".join(f"{a.value}→{AUDIENCE_REGION.get(a.value)}" for a in req.audience_regions)
                + f" ⇒ {', '.join(regions)}",
                "source": SRC_REGIONS,
            },
            {
                "rule": "writes replicate to every replica; reads split evenly across Regions",
                "value": f"{cap['wru_month']:,} WRU/month replicated ×{n}; "
                f"{round(cap['rru_month'] / n):,} RRU per replica",
                "source": SRC_GLOBAL_TABLES,
            },
        ],
        attributes={
            "DeletionPolicy": "Retain" if ctx.is_prod else "Delete",
            "UpdateReplacePolicy": "Retain" if ctx.is_prod else "Delete",
            **({"Metadata": skip(*checks)} if checks else {}),
        },
        component_id=cid,
    )


def _secondary_regions(ctx: BuildContext, regions: list[str]) -> None:
    """How to deploy the other Regions' stacks (design metadata and assumptions)."""
    secondary = regions[1:]
    ctx.design.metadata["secondary_regions"] = [
        {
            "region": r,
            "stack": "deploy the same template with the regional resources (API, functions, queues, "
            "user pool "
            "or a shared one) and without the global table, whose replicas the primary stack manages",
            "routing": "Route 53 latency-based record per Region with a health check",
        }
        for r in secondary
    ]
    ctx.assume("replica_regions", regions)
    ctx.assume(
        "secondary_region_stacks",
        f"{', '.join(secondary)}: deploy this template again there without the global table "
        "(its replicas are managed from the primary stack); Route 53 latency records send users to "
        "the nearest Region",
    )
