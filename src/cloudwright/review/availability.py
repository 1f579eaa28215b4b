"""Availability maths from published SLAs, and recovery objectives per component.

Composite availability (``data/slas/aws-slas.yaml``):

* each resource on the request or data path maps to a service SLA, in its multi-AZ or single-AZ form
  (RDS ``MultiAZ``, subnets spanning one or more AZs, …); one factor per distinct (service, form, region);
* stand-alone EC2 instances spread over k AZs are in parallel: ``1 − (1 − A_instance)^k``;
* components in series multiply: ``A = A1 × A2 × …``;
* copies of the regional stack in several Regions are in parallel: ``A = 1 − Π(1 − A_region)``
  (active-active assumed; global services such as CloudFront and Route 53 stay in series);
* a service without a published figure makes the result an *upper bound* and is listed.

Recovery (``data/slas/recovery.yaml``): per stateful or serving component, the RTO/RPO of its failure
mode, compared with the requirements' ``rto_minutes`` / ``rpo_minutes``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from cloudwright.design.model import Resource
from cloudwright.review.context import ReviewContext

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


def _subnets_of(r: Resource) -> Any:
    if r.type == "AWS::ECS::Service":
        return r.prop("NetworkConfiguration.AwsvpcConfiguration.Subnets")
    if r.type == "AWS::AutoScaling::AutoScalingGroup":
        return r.prop("VPCZoneIdentifier")
    if r.type == "AWS::ElasticLoadBalancingV2::LoadBalancer":
        subnets = r.prop("Subnets")
        if subnets is None and isinstance(r.prop("SubnetMappings"), list):
            subnets = [m.get("SubnetId") for m in r.prop("SubnetMappings") if isinstance(m, dict)]
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
        if az is None and isinstance(ctx.resolve(inst.prop("AvailabilityZone")), str):
            az = ctx.resolve(inst.prop("AvailabilityZone"))
        if az:
            out.add(az)
    return out


def is_read_replica(r: Resource) -> bool:
    """RDS read replicas serve reads beside the primary; they are not in series with it."""
    return r.type == "AWS::RDS::DBInstance" and r.prop("SourceDBInstanceIdentifier") is not None


def _form(ctx: ReviewContext, r: Resource, service: str) -> str:
    if r.type == "AWS::DynamoDB::GlobalTable":
        return "multi_region"
    if service in ("compute", "elb", "rds"):
        n = az_count(ctx, r)
        if n is None:
            return "multi_az" if not ctx.is_dev else "single_az"
        return "multi_az" if n >= 2 else "single_az"
    return "multi_az"


def _product(components: dict[tuple[str, str, str], dict[str, Any]], key: str) -> float:
    """Regional stacks in parallel, global services in series, components in series within a Region."""
    regions = sorted({c["region"] for c in components.values() if c["region"] != "global"})
    miss = 1.0
    for reg in regions:
        a = 1.0
        for c in components.values():
            if c["region"] == reg and c[key] is not None:
                a *= c[key] / 100
        miss *= 1 - a
    total = 1 - miss if regions else 1.0
    for c in components.values():
        if c["region"] == "global" and c[key] is not None:
            total *= c[key] / 100
    return total


def composite_availability(ctx: ReviewContext) -> dict[str, Any]:
    table = sla_table()
    services, types = table["services"], table["types"]
    components: dict[tuple[str, str, str], dict[str, Any]] = {}
    unknown: set[str] = set()
    instance_azs = _instance_azs(ctx)
    for r in ctx.resources():
        key = types.get(r.type)
        if key is None or is_read_replica(r):
            continue
        svc = services[key]
        form = _form(ctx, r, key)
        value = svc.get(form, svc.get("multi_az"))
        if r.type == "AWS::EC2::Instance" and len(instance_azs) >= 2:
            # Stand-alone instances in k AZs fail independently: in parallel, 1 − (1 − A)^k.
            form = f"{len(instance_azs)} AZs in parallel"
            value = round((1 - (1 - svc["single_az"] / 100) ** len(instance_azs)) * 100, 6)
        best = svc.get("multi_region", svc.get("multi_az")) if form == "multi_region" else svc.get("multi_az")
        region = "global" if key in GLOBAL_SERVICES else r.placement.region or ctx.design.region
        comp = components.setdefault(
            (key, form, region),
            {
                "service": key,
                "name": svc["name"],
                "form": form,
                "region": region,
                "sla_percent": value,
                "multi_az_percent": best,
                "source": svc["source"],
                "date": svc["date"],
                "resources": [],
            },
        )
        comp["resources"].append(r.logical_id)
        if value is None:
            unknown.add(svc["name"])
    regions = sorted({c["region"] for c in components.values() if c["region"] != "global"})
    target = ctx.requirements.availability_target if ctx.requirements is not None else None
    known = bool(components) and any(c["sla_percent"] is not None for c in components.values())
    percent = round(_product(components, "sla_percent") * 100, 4) if known else None
    best_percent = round(_product(components, "multi_az_percent") * 100, 4) if known else None
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
    return {
        "composite_percent": percent,
        "multi_az_percent": best_percent,
        "is_upper_bound": bool(unknown),
        "unknown_services": sorted(unknown),
        "target_percent": target,
        "verdict": verdict,
        "regions": regions,
        "composition": (
            "regional stacks in parallel (active-active), global services in series"
            if len(regions) > 1
            else "components in series"
        ),
        "components": [components[k] for k in sorted(components)],
        "downtime_minutes_per_month": None if percent is None else round((100 - percent) / 100 * 730 * 60, 1),
    }


# --------------------------------------------------------------------------------------------------
# recovery objectives
# --------------------------------------------------------------------------------------------------
def _row(name: str) -> dict[str, Any]:
    row = dict(recovery_table()["components"][name])
    row["model"] = name
    row.setdefault("source", recovery_table()["source"])
    return row


def component_recovery(ctx: ReviewContext, r: Resource) -> dict[str, Any] | None:
    """The recovery row for one component (AZ or component failure), or None for non-critical types."""
    t = r.type
    if t == "AWS::RDS::DBInstance":
        if r.prop("DBClusterIdentifier") is not None or is_read_replica(r):
            return None
        if ctx.as_number(r.prop("BackupRetentionPeriod")) == 0:
            return _row("rds-no-backup")
        return _row("rds-multi-az") if ctx.resolve(r.prop("MultiAZ")) is True else _row("rds-single-az-pitr")
    if t == "AWS::RDS::DBCluster":
        members = [
            i
            for i in ctx.resources("AWS::RDS::DBInstance")
            if ctx.ref_target(i.prop("DBClusterIdentifier")) == r.logical_id
        ]
        serverless = r.prop("ServerlessV2ScalingConfiguration") is not None
        if len(members) >= 2:
            return _row("rds-multi-az")
        row = _row("rds-single-az-pitr")
        if serverless and not members:
            row["how"] += " (no cluster instances found in the template)"
        return row
    if t in ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"):
        return _row("dynamodb-regional")
    if t == "AWS::ElastiCache::ReplicationGroup":
        if ctx.resolve(r.prop("AutomaticFailoverEnabled")) is True:
            return _row("elasticache-failover")
        return None
    if t in ("AWS::ECS::Service", "AWS::AutoScaling::AutoScalingGroup", "AWS::EC2::Instance"):
        n = az_count(ctx, r)
        if n is not None and n >= 2:
            return _row("az-failover")
        row = _row("ec2-instance")
        row["note"] = "single AZ: an AZ outage stops this tier until the AZ recovers (RTO unknown)"
        row["rto_min"] = None
        return row
    if t in ("AWS::Lambda::Function", "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::S3::Bucket"):
        return _row("serverless-regional")
    return None


def recovery_objectives(ctx: ReviewContext) -> dict[str, Any]:
    comps = []
    for r in ctx.resources():
        row = component_recovery(ctx, r)
        if row is None:
            continue
        comps.append({"resource": r.logical_id, "type": r.type, **row})
    rtos = [c["rto_min"] for c in comps]
    rpos = [c["rpo_min"] for c in comps if c["model"] != "elasticache-failover"]
    rto = None if not rtos or any(v is None for v in rtos) else max(rtos)
    rpo = None if not rpos or any(v is None for v in rpos) else max(rpos)
    req = ctx.requirements
    return {
        "rto_minutes": rto,
        "rpo_minutes": rpo,
        "rto_target_minutes": req.rto_minutes if req else None,
        "rpo_target_minutes": req.rpo_minutes if req else None,
        "components": comps,
    }
