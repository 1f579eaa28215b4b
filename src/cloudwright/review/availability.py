"""Availability maths from published SLAs, and recovery objectives per component.

Composite availability (``data/slas/aws-slas.yaml``):

* each resource on the request or data path maps to a service SLA, in its multi-AZ or single-AZ form
  (RDS ``MultiAZ``, subnets spanning one or more AZs, …); one factor per distinct (service, form, region);
* stand-alone EC2 instances spread over k AZs are in parallel: ``1 − (1 − A_instance)^k``;
* components in series multiply: ``A = A1 × A2 × …``;
* copies of the regional stack in several Regions are in parallel: ``A = 1 − Π(1 − A_region)``, but
  only when every Region serves (the ``active-active`` DR strategy); a warm standby, pilot light or
  backup copy shortens a Region outage to its RTO and is not counted as parallel capacity;
* global services (CloudFront, Route 53) and data stores shared by every Region (DynamoDB global tables
  at their own 99.999% SLA, an Aurora global database whose writes go to one cluster) stay in series;
* a dependency that lives in one Region while others serve (a Cognito user pool, any single-Region
  service) is named as a single point of failure with its mitigation;
* a service without a published figure makes the result an *upper bound* and is listed.

Recovery (``data/slas/recovery.yaml``): per stateful or serving component, the RTO/RPO of its failure
mode, compared with the requirements' ``rto_minutes`` / ``rpo_minutes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from cloudwright.design.model import Resource
from cloudwright.review.context import ReviewContext
from cloudwright.review.model import (
    Availability,
    AvailabilityVerdict,
    Recovery,
    RecoveryComponent,
    RegionFailure,
    SinglePointOfFailure,
    SlaComponent,
)
from cloudwright.units import MONTH_MINUTES

GLOBAL_SERVICES = {"cloudfront", "route53"}


@cache
def _data(name: str) -> dict[str, Any]:
    from cloudwright import yamlfast

    text = importlib_resources.files("cloudwright").joinpath(f"data/slas/{name}.yaml").read_text("utf-8")
    data = yamlfast.safe_load(text)
    assert isinstance(data, dict)
    return data


def sla_table() -> dict[str, Any]:
    return _data("aws-slas")


def recovery_table() -> dict[str, Any]:
    return _data("recovery")


def _subnets_of(r: Resource) -> object:
    if r.type == "AWS::ECS::Service":
        return r.prop("NetworkConfiguration.AwsvpcConfiguration.Subnets")
    if r.type == "AWS::AutoScaling::AutoScalingGroup":
        return r.prop("VPCZoneIdentifier")
    if r.type == "AWS::ElasticLoadBalancingV2::LoadBalancer":
        subnets = r.prop("Subnets")
        mappings = r.prop("SubnetMappings")
        if subnets is None and isinstance(mappings, list):
            subnets = [m.get("SubnetId") for m in mappings if isinstance(m, dict)]
        return subnets
    if r.type == "AWS::EC2::Instance":
        return [r.prop("SubnetId")] if r.prop("SubnetId") is not None else None
    return None


def az_count(ctx: ReviewContext, r: Resource) -> int | None:
    """How many AZs a resource spans (None when it cannot be told)."""
    if r.type == "AWS::RDS::DBInstance":
        return 2 if ctx.resolve(r.prop("MultiAZ")) is True else 1
    if r.type == "AWS::EC2::Instance":
        return 1
    subnets = _subnets_of(r)
    if subnets is not None:
        azs = ctx.azs_of_subnets(subnets)
        if azs is not None:
            return len(azs)
    if r.placement.azs:
        return len(set(r.placement.azs))
    return None


def _instance_azs(ctx: ReviewContext) -> set[str]:
    """AZs of the stand-alone EC2 instances (from their subnets)."""
    out: set[str] = set()
    for inst in ctx.resources("AWS::EC2::Instance"):
        sub = ctx.get(ctx.ref_target(inst.prop("SubnetId")) or "")
        az = ctx.subnet_az(sub) if sub is not None else None
        if az is None:
            written = ctx.resolve(inst.prop("AvailabilityZone"))
            az = written if isinstance(written, str) else None
        if az:
            out.add(az)
    return out


def is_read_replica(r: Resource) -> bool:
    """RDS read replicas serve reads beside the primary; they are not in series with it."""
    return r.type == "AWS::RDS::DBInstance" and r.prop("SourceDBInstanceIdentifier") is not None


def _form(ctx: ReviewContext, r: Resource, service: str) -> str:
    if r.type == "AWS::DynamoDB::GlobalTable":
        replicas = r.prop("Replicas") or []
        return "multi_region" if isinstance(replicas, list) and len(replicas) > 1 else "multi_az"
    if r.type == "AWS::RDS::DBCluster":
        members = [
            i
            for i in ctx.resources("AWS::RDS::DBInstance")
            if ctx.ref_target(i.prop("DBClusterIdentifier")) == r.logical_id
        ]
        if r.prop("ServerlessV2ScalingConfiguration") is not None and not members:
            return "multi_az"
        return "multi_az" if len(members) >= 2 else "single_az"
    if service in ("compute", "elb", "rds"):
        n = az_count(ctx, r)
        if n is None:
            return "multi_az" if not ctx.is_dev else "single_az"
        return "multi_az" if n >= 2 else "single_az"
    return "multi_az"


def _product(components: Iterable[SlaComponent], best: bool) -> float:
    """Regional stacks in parallel, global services in series, components in series within a Region
    (``best``: every component in its multi-AZ form)."""
    comps = list(components)
    regions = sorted({c.region for c in comps if c.region != "global"})
    miss = 1.0
    for reg in regions:
        a = 1.0
        for c in comps:
            value = c.multi_az_percent if best else c.sla_percent
            if c.region == reg and value is not None:
                a *= value / 100
        miss *= 1 - a
    total = 1 - miss if regions else 1.0
    for c in comps:
        value = c.multi_az_percent if best else c.sla_percent
        if c.region == "global" and value is not None:
            total *= value / 100
    return total


def dr_strategy(ctx: ReviewContext) -> str | None:
    """The DR strategy built into the design (``Design.metadata["dr"]``), if any."""
    dr = ctx.design.metadata.get("dr")
    return str(dr["strategy"]) if isinstance(dr, dict) and dr.get("strategy") else None


def _serving(ctx: ReviewContext, r: Resource) -> bool:
    """Whether a resource is on the request path now: standby copies of a non-active strategy are not."""
    strategy = dr_strategy(ctx)
    if strategy in (None, "active-active"):
        return True
    region = r.placement.region
    return region == ctx.design.region or region in GLOBAL_PLACEMENTS


GLOBAL_PLACEMENTS = {"global", "edge", ""}


def _is_shared_data(r: Resource) -> bool:
    """Data stores shared by every Region: a global table, an Aurora global database member."""
    if r.type == "AWS::DynamoDB::GlobalTable":
        return True
    return r.type == "AWS::RDS::DBCluster" and r.prop("GlobalClusterIdentifier") is not None


def composite_availability(ctx: ReviewContext) -> Availability:
    table = sla_table()
    services, types = table["services"], table["types"]
    components: dict[tuple[str, str, str], SlaComponent] = {}
    unknown: set[str] = set()
    instance_azs = _instance_azs(ctx)
    for r in ctx.resources():
        key = types.get(r.type)
        if key is None or is_read_replica(r) or not _serving(ctx, r):
            continue
        if r.type == "AWS::RDS::DBCluster" and r.prop("GlobalClusterIdentifier") is not None:
            continue  # the secondary cluster of an Aurora global database: counted with its primary
        svc = services[key]
        form = _form(ctx, r, key)
        value = svc.get(form, svc.get("multi_az"))
        if r.type == "AWS::EC2::Instance" and len(instance_azs) >= 2:
            # Stand-alone instances in k AZs fail independently: in parallel, 1 − (1 − A)^k.
            form = f"{len(instance_azs)} AZs in parallel"
            value = round((1 - (1 - svc["single_az"] / 100) ** len(instance_azs)) * 100, 6)
        best = svc.get("multi_region", svc.get("multi_az")) if form == "multi_region" else svc.get("multi_az")
        shared = _is_shared_data(r) or any(
            g.type == "AWS::RDS::GlobalCluster"
            and ctx.ref_target(g.prop("SourceDBClusterIdentifier")) == r.logical_id
            for g in ctx.resources("AWS::RDS::GlobalCluster")
        )
        if key in GLOBAL_SERVICES or shared or r.placement.region in GLOBAL_PLACEMENTS:
            region = "global"
        else:
            region = r.placement.region or ctx.design.region
        comp = components.get((key, form, region))
        if comp is None:
            comp = components[(key, form, region)] = SlaComponent(
                service=key,
                name=svc["name"],
                form=form,
                region=region,
                sla_percent=value,
                multi_az_percent=best,
                source=svc["source"],
                date=svc["date"],
            )
        comp.resources.append(r.logical_id)
        if value is None:
            unknown.add(svc["name"])
    comps = [components[k] for k in sorted(components)]
    regions = sorted({c.region for c in comps if c.region != "global"})
    target = ctx.requirements.availability_target if ctx.requirements is not None else None
    known = any(c.sla_percent is not None for c in comps)
    # multiplied in the order the components were met (floating-point products depend on the order)
    percent = round(_product(components.values(), best=False) * 100, 4) if known else None
    best_percent = round(_product(components.values(), best=True) * 100, 4) if known else None
    verdict: AvailabilityVerdict
    if percent is None or best_percent is None:
        verdict = "unknown"
    elif target is None:
        verdict = "no target"
    elif percent >= target:
        verdict = "unknown" if unknown else "meets target"
    elif best_percent >= target:
        verdict = "below target: single-AZ components"
    else:
        verdict = "below target: SLA product"
    strategy = dr_strategy(ctx)
    limiting: list[str] = []
    if target is not None and percent is not None and percent < target:
        # the dependencies that hold the product below the target: in series, each one's own SLA caps it
        limiting = sorted(
            {
                f"{c.name} ({c.sla_percent}%)"
                for c in comps
                if c.sla_percent is not None and c.sla_percent < target and c.region == "global"
            }
            | (
                {
                    f"{c.name} ({c.sla_percent}%, {c.region})"
                    for c in comps
                    if c.sla_percent is not None and c.sla_percent < target and c.region != "global"
                }
                if len(regions) <= 1
                else set()
            )
        )
    if len(regions) > 1:
        composition = "regional stacks in parallel (active-active), global services and shared data in series"
    elif strategy and strategy != "active-active":
        composition = (
            f"components in series in the serving Region; the {strategy} copy is not counted as parallel "
            "capacity (it shortens a Region outage to the strategy's RTO)"
        )
    else:
        composition = "components in series"
    return Availability(
        composite_percent=percent,
        multi_az_percent=best_percent,
        is_upper_bound=bool(unknown),
        unknown_services=sorted(unknown),
        target_percent=target,
        verdict=verdict,
        regions=regions,
        dr_strategy=strategy,
        composition=composition,
        limiting_dependencies=limiting,
        single_points_of_failure=single_points_of_failure(ctx),
        components=comps,
        downtime_minutes_per_month=None
        if percent is None
        else round((100 - percent) / 100 * MONTH_MINUTES, 1),
    )


#: Regional services whose data does not follow the design into another Region, with the mitigation.
_SPOF_MITIGATION = {
    "AWS::Cognito::UserPool": (
        "users, passwords and MFA live in one Region's user pool; a copy in another Region starts empty",
        "replicate users to a pool in each Region (export/import or a user-migration Lambda trigger) or "
        "use an identity provider that is multi-Region",
    ),
    "AWS::AppSync::GraphQLApi": (
        "the API exists in one Region only",
        "deploy the API in each Region behind a Route 53 latency or failover record",
    ),
}


def single_points_of_failure(ctx: ReviewContext) -> list[SinglePointOfFailure]:
    """Dependencies that stay in one Region while the design claims more than one, with mitigations."""
    design = ctx.design
    used = {
        r.placement.region
        for r in design.resources
        if r.placement.region not in GLOBAL_PLACEMENTS and r.placement.region != design.region
    }
    out: list[SinglePointOfFailure] = []
    if not used:
        if ctx.requirements is not None and design.environment == "prod":
            out.append(
                SinglePointOfFailure(
                    resource="design",
                    type="AWS Region",
                    region=design.region,
                    why=f"every regional resource runs in {design.region} only",
                    mitigation="a disaster-recovery strategy with a second Region",
                )
            )
        return out
    copied = {
        str(r.metadata.get("dr", "")).rsplit(" ", 1)[-1]
        for r in design.resources
        if str(r.metadata.get("dr", "")).startswith(("active-active copy of", "warm-standby copy of"))
    }
    strategy = dr_strategy(ctx)
    from cloudwright.dr.stacks import is_global

    for r in design.sorted_resources():
        if r.placement.region != design.region or is_global(r):
            continue
        if r.type in _SPOF_MITIGATION:
            why, mitigation = _SPOF_MITIGATION[r.type]
            if r.logical_id not in copied:
                why = f"{why.split(';')[0]}; the other Region has no copy"
            out.append(
                SinglePointOfFailure(
                    resource=r.logical_id, type=r.type, region=design.region, why=why, mitigation=mitigation
                )
            )
        elif (
            strategy in ("active-active", "warm-standby")
            and r.logical_id not in copied
            and types_on_path().get(r.type) is not None
            and not _is_shared_data(r)
            and r.type not in ("AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::S3::Bucket")
        ):
            out.append(
                SinglePointOfFailure(
                    resource=r.logical_id,
                    type=r.type,
                    region=design.region,
                    why="a single-Region service the other Region's stack does not have",
                    mitigation="deploy it in the secondary Region too, or make the secondary stack "
                    "not need it",
                )
            )
    return out


def types_on_path() -> dict[str, str]:
    return dict(sla_table()["types"])


# --------------------------------------------------------------------------------------------------
# recovery objectives
# --------------------------------------------------------------------------------------------------
def _row(r: Resource, name: str) -> RecoveryComponent:
    table = recovery_table()
    row = table["components"][name]
    return RecoveryComponent(
        resource=r.logical_id,
        type=r.type,
        failure=row["failure"],
        rto_min=row["rto_min"],
        rpo_min=row["rpo_min"],
        how=row["how"],
        source=row.get("source", table["source"]),
        model=name,
        own_source="source" in row,
    )


def component_recovery(ctx: ReviewContext, r: Resource) -> RecoveryComponent | None:
    """The recovery row for one component (AZ or component failure), or None for non-critical types."""
    t = r.type
    if t == "AWS::RDS::DBInstance":
        if r.prop("DBClusterIdentifier") is not None or is_read_replica(r):
            return None
        if ctx.as_number(r.prop("BackupRetentionPeriod")) == 0:
            return _row(r, "rds-no-backup")
        return _row(r, "rds-multi-az" if ctx.resolve(r.prop("MultiAZ")) is True else "rds-single-az-pitr")
    if t == "AWS::RDS::DBCluster":
        members = [
            i
            for i in ctx.resources("AWS::RDS::DBInstance")
            if ctx.ref_target(i.prop("DBClusterIdentifier")) == r.logical_id
        ]
        serverless = r.prop("ServerlessV2ScalingConfiguration") is not None
        if len(members) >= 2:
            return _row(r, "rds-multi-az")
        row = _row(r, "rds-single-az-pitr")
        if serverless and not members:
            row.how += " (no cluster instances found in the template)"
        return row
    if t in ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"):
        return _row(r, "dynamodb-regional")
    if t == "AWS::ElastiCache::ReplicationGroup":
        if ctx.resolve(r.prop("AutomaticFailoverEnabled")) is True:
            return _row(r, "elasticache-failover")
        return None
    if t in ("AWS::ECS::Service", "AWS::AutoScaling::AutoScalingGroup", "AWS::EC2::Instance"):
        n = az_count(ctx, r)
        if n is not None and n >= 2:
            return _row(r, "az-failover")
        row = _row(r, "ec2-instance")
        row.note = "single AZ: an AZ outage stops this tier until the AZ recovers (RTO unknown)"
        row.rto_min = None
        return row
    if t in ("AWS::Lambda::Function", "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::S3::Bucket"):
        return _row(r, "serverless-regional")
    return None


def recovery_summary(ctx: ReviewContext) -> Recovery:
    """The worst RTO and RPO over the design's components, and of a Region outage when the design has a
    disaster-recovery strategy (its failover steps, ``cloudwright.dr.strategies``)."""
    comps = [row for r in ctx.resources() if (row := component_recovery(ctx, r)) is not None]
    rto, rpo = component_objectives(comps)
    req = ctx.requirements
    # a Region-wide outage: the DR strategy's failover steps (never a flat zero); no strategy: unknown
    region_failure: RegionFailure | None = None
    strategy = dr_strategy(ctx)
    if strategy is not None:
        from cloudwright.dr.strategies import recovery

        region_failure = RegionFailure.model_validate(recovery(ctx.design, strategy))
        rto = None if rto is None else max(rto, region_failure.rto_minutes)
        rpo = None if rpo is None else max(rpo, region_failure.rpo_minutes)
    return Recovery(
        rto_minutes=rto,
        rpo_minutes=rpo,
        region_failure=region_failure,
        scope=(
            "component, AZ and Region failures"
            if region_failure is not None
            else "component and AZ failures only: a Region-wide outage has no recovery path in this design"
        ),
        rto_target_minutes=req.rto_minutes if req else None,
        rpo_target_minutes=req.rpo_minutes if req else None,
        components=comps,
    )


def component_objectives(comps: list[RecoveryComponent]) -> tuple[int | float | None, int | float | None]:
    """The worst RTO and RPO over component and AZ failures (None when there is none or one is unknown);
    an ElastiCache failover's RPO is not counted."""
    return (
        _worst([c.rto_min for c in comps]),
        _worst([c.rpo_min for c in comps if c.model != "elasticache-failover"]),
    )


def _worst(values: list[int | float | None]) -> int | float | None:
    """The largest value, or None when there is none or one is unknown."""
    known = [v for v in values if v is not None]
    return max(known) if known and len(known) == len(values) else None
