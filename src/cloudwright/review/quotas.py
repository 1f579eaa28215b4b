"""Default service quotas (``cloudwright.quotas``) checked against the sized design.

Each evaluated quota gives what the design needs, the default, and — on a breach — how to raise it:
the Service Quotas console or ``aws service-quotas request-service-quota-increase`` with the service
and quota code where we know it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from cloudwright.design.model import Resource
from cloudwright.review.context import ReviewContext
from cloudwright.review.model import QuotaCheck
from cloudwright.units import MONTH_SECONDS

SECONDS_PER_MONTH = MONTH_SECONDS

#: cloudwright quota key → (Service Quotas service code, quota code). Codes confirmed in public
#: Service Quotas usage (lambda L-B99A9384, vpc L-F678F1CE / L-FE5A380F, ec2 L-0263D0A3).
QUOTA_CODES: dict[str, tuple[str, str]] = {
    "lambda.concurrent_executions": ("lambda", "L-B99A9384"),
    "vpc.vpcs_per_region": ("vpc", "L-F678F1CE"),
    "vpc.nat_gateways_per_az": ("vpc", "L-FE5A380F"),
    "ec2.elastic_ips": ("ec2", "L-0263D0A3"),
}


def how_to_raise(key: str, adjustable: bool, service: str) -> str:
    if not adjustable:
        return "This quota cannot be raised: change the design (split the workload or the resource)."
    code = QUOTA_CODES.get(key)
    if code:
        return (
            f"Request an increase in the Service Quotas console ({service}) or with `aws service-quotas "
            f"request-service-quota-increase --service-code {code[0]} --quota-code {code[1]} "
            f"--desired-value N`."
        )
    return f"Request an increase in the Service Quotas console under {service} (or open a support case)."


def _peak_ratio(ctx: ReviewContext) -> float:
    return ctx.requirements.peak_to_average_ratio if ctx.requirements is not None else 1.0


def _usage(r: Resource, key: str) -> float | None:
    v = r.usage.get(key)
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None


def _needs(ctx: ReviewContext) -> Iterator[tuple[str, float, list[str], str]]:
    """(quota key, needed, resources, scope detail) for every quota the design touches."""
    ratio = _peak_ratio(ctx)
    # Lambda concurrency (Little's law on peak invocations, plus reserved concurrency) and the API
    # Gateway throttle are per account and Region: add up the functions / APIs of each Region.
    lambdas = ctx.resources("AWS::Lambda::Function")
    for region in sorted({fn.placement.region for fn in lambdas}):
        mine = [fn for fn in lambdas if fn.placement.region == region]
        total = 0.0
        for fn in mine:
            reqs, dur = _usage(fn, "monthly_requests"), _usage(fn, "request_duration_ms")
            reserved = ctx.as_number(fn.prop("ReservedConcurrentExecutions"))
            if reserved is not None:
                total += reserved
            elif reqs is not None and dur is not None:
                total += reqs / SECONDS_PER_MONTH * ratio * dur / 1000
        yield (
            "lambda.concurrent_executions",
            total,
            [r.logical_id for r in mine],
            f"peak concurrency, all functions in {region}",
        )
    apis = ctx.resources("AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api")
    for region in sorted({a.placement.region for a in apis}):
        mine = [a for a in apis if a.placement.region == region]
        rps = sum((_usage(a, "monthly_requests") or 0.0) for a in mine) / SECONDS_PER_MONTH * ratio
        yield (
            "apigateway.account_rps",
            rps,
            [a.logical_id for a in mine],
            f"peak requests per second, all APIs in {region}",
        )
    for t in ctx.resources("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"):
        if ctx.resolve(t.prop("BillingMode")) != "PAY_PER_REQUEST":
            continue
        for usage_key, quota in (
            ("monthly_write_request_units", "dynamodb.table_on_demand_wru"),
            ("monthly_read_request_units", "dynamodb.table_on_demand_rru"),
        ):
            units = _usage(t, usage_key)
            if units is not None:
                yield (
                    quota,
                    units / SECONDS_PER_MONTH * ratio,
                    [t.logical_id],
                    f"peak units per second, {t.logical_id}",
                )
    streams = ctx.resources("AWS::Kinesis::Stream")
    shards = sum(ctx.as_number(s.prop("ShardCount")) or 0 for s in streams)
    if streams:
        yield "kinesis.shards_per_account", shards, [s.logical_id for s in streams], "provisioned shards"
    for rtype, key in (
        ("AWS::EC2::VPC", "vpc.vpcs_per_region"),
        ("AWS::EC2::EIP", "ec2.elastic_ips"),
    ):
        by_region = Counter(r.placement.region for r in ctx.resources(rtype))
        for region, n in sorted(by_region.items()):
            yield key, n, [r.logical_id for r in ctx.resources(rtype) if r.placement.region == region], region
    albs = [
        lb
        for lb in ctx.resources("AWS::ElasticLoadBalancingV2::LoadBalancer")
        if ctx.resolve(lb.prop("Type")) in (None, "application")
    ]
    if albs:
        yield "elb.alb_per_region", len(albs), [lb.logical_id for lb in albs], "application load balancers"
    nat_by_az: Counter[str] = Counter()
    for nat in ctx.resources("AWS::EC2::NatGateway"):
        sub = ctx.get(ctx.ref_target(nat.prop("SubnetId")) or "")
        nat_by_az[(ctx.subnet_az(sub) if sub else None) or "unknown-az"] += 1
    for az, n in sorted(nat_by_az.items()):
        yield "vpc.nat_gateways_per_az", n, [], az
    for svc in ctx.resources("AWS::ECS::Service"):
        targets = [
            t
            for t in ctx.resources("AWS::ApplicationAutoScaling::ScalableTarget")
            if svc.logical_id in ctx.design.references(t)
        ]
        most = max(
            [ctx.as_number(svc.prop("DesiredCount")) or 0]
            + [ctx.as_number(t.prop("MaxCapacity")) or 0 for t in targets]
        )
        yield "ecs.tasks_per_service", most, [svc.logical_id], svc.logical_id


def check_quotas(ctx: ReviewContext) -> list[QuotaCheck]:
    try:
        from cloudwright.quotas import load_quotas

        quotas = load_quotas()
    except Exception:  # the quota table is another module's data; degrade to "not checked"
        return []
    out: list[QuotaCheck] = []
    for key, needed, resources, detail in _needs(ctx):
        q = quotas.get(key)
        if q is None:
            continue
        breach = needed > q.value
        out.append(
            QuotaCheck(
                quota=key,
                service=q.service,
                name=q.name,
                needed=round(needed, 2),
                default=q.value,
                unit=q.unit,
                scope=q.scope,
                detail=detail,
                adjustable=q.adjustable,
                breach=breach,
                how_to_raise=how_to_raise(key, q.adjustable, q.service) if breach else "",
                resources=resources,
                source=q.source,
                date=q.date,
            )
        )
    out.sort(key=lambda q: (not q.breach, q.quota, q.detail))
    return out
