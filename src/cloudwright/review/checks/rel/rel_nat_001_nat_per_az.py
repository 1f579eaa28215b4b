"""REL-NAT-001: one NAT gateway serving private subnets in several AZs."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.design.model import Design, Resource
from cloudwright.review.context import Fix, Outcome, ReviewContext
from cloudwright.review.registry import check


def nat_service_azs(ctx: ReviewContext) -> dict[str, set[str]]:
    """NAT logical id → AZs of the subnets whose default route goes through it."""
    rt_to_nat: dict[str, str] = {}
    for route in ctx.resources("AWS::EC2::Route"):
        nat = ctx.ref_target(route.prop("NatGatewayId"))
        rt = ctx.ref_target(route.prop("RouteTableId"))
        if nat and rt:
            rt_to_nat[rt] = nat
    out: dict[str, set[str]] = {n.logical_id: set() for n in ctx.resources("AWS::EC2::NatGateway")}
    for assoc in ctx.resources("AWS::EC2::SubnetRouteTableAssociation"):
        rt = ctx.ref_target(assoc.prop("RouteTableId"))
        sub = ctx.get(ctx.ref_target(assoc.prop("SubnetId")) or "")
        if rt in rt_to_nat and sub is not None:
            az = ctx.subnet_az(sub)
            if az:
                out.setdefault(rt_to_nat[rt], set()).add(az)
    return out


def _add_nats(nat_id: str, extra: int) -> Fix:
    def fix(design: Design) -> None:
        nat = design[nat_id]
        n = extra + 1
        gb = nat.usage.get("monthly_data_processed_gb")
        share = gb / n if isinstance(gb, int | float) else gb
        if share is not None:
            nat.usage["monthly_data_processed_gb"] = share
        for i in range(extra):
            copy = Resource.model_validate(nat.model_dump())
            copy.logical_id = f"{nat_id}Extra{i + 1}"
            design.add(copy)

    return fix


@check(
    id="REL-NAT-001",
    title="Each AZ has its own NAT gateway in production",
    severity="high",
    types=["AWS::EC2::NatGateway"],
    environments=["prod"],
    rationale="A NAT gateway lives in one AZ. When private subnets in other AZs route through it, an outage "
    "of "
    "that AZ cuts every AZ off from the internet and AWS APIs — a single point of failure — and their "
    "traffic "
    "also pays cross-AZ transfer.",
    remediation="Create one NAT gateway per AZ (in that AZ's public subnet) and give each AZ's private route "
    "table a default route to its own NAT gateway (adds about $32.85 per extra NAT per month).",
    references=[
        "REL10-BP01",
        "REL02-BP02",
        "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
    ],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    served = nat_service_azs(ctx)
    for nat_id in sorted(served):
        azs = served[nat_id]
        if len(azs) > 1:
            yield ctx.fail(
                nat_id,
                f"one NAT gateway serves private subnets in {len(azs)} AZs ({', '.join(sorted(azs))})",
                fix=_add_nats(nat_id, len(azs) - 1),
            )
        else:
            yield ctx.ok(nat_id)
