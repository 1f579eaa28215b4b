"""``network``: the VPC of seed 003 — public, private and data subnets per AZ, NAT, endpoints, flow logs.

CIDR plan (seed 003): VPC 10.0.0.0/16; public 10.0.1.0/24, 10.0.2.0/24, …; private (application)
10.0.10.0/24, …; data (isolated: no route to the internet) 10.0.20.0/24, ….

Options: ``nat`` (``per-az`` — default in prod —, ``single`` — default in dev/staging — or ``none``),
``interface_endpoints`` (service names such as ``ecr.api``, ``logs``), ``flow_logs`` (default true),
``kubernetes_tags`` (tag subnets for Kubernetes load balancers).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from cloudwright import quotas
from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, BuilderOptions, Network, component
from cloudwright.design.components.observability import log_group, tags
from cloudwright.design.model import Tier

VPC_CIDR = "10.0.0.0/16"
TIER_OCTET = {"public": 1, "private": 10, "data": 20}
SRC_SEED_003_VPC = (
    "seed 003 network architecture (10.0.0.0/16; public .1-.2, private .10-.11, data .20-.21 /24s)"
)
SRC_NAT = (
    "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html (a NAT gateway lives in one AZ)"
)
SRC_ENDPOINTS = "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html (S3 and DynamoDB gateway endpoints have no hourly charge)"  # noqa: E501


def subnet_cidr(tier: str, index: int) -> str:
    return f"10.0.{TIER_OCTET[tier] + index}.0/24"


def az_ref(index: int) -> dict[str, Any]:
    """The index-th AZ of the stack's Region (keeps templates portable across Regions)."""
    return {"Fn::Select": [index, {"Fn::GetAZs": {"Ref": "AWS::Region"}}]}


def _suffix(az: str) -> str:
    return az[-1].upper()


def _net(
    ctx: BuildContext,
    lid: str,
    type_: str,
    props: dict[str, Any],
    *,
    label: str,
    tier: Tier,
    azs: list[str] | None = None,
    depends_on: list[str] | None = None,
) -> None:
    """Add a plain network resource (role network, in the VPC)."""
    ctx.add(
        lid,
        type_,
        props,
        label=label,
        role="network",
        tier=tier,
        vpc="Vpc",
        azs=azs,
        depends_on=depends_on,
        component_id="network",
    )


class NetworkOptions(BuilderOptions):
    """Options of ``network``."""

    nat: Literal["per-az", "single", "none"] | None = None
    """NAT gateways: one ``per-az``, a ``single`` shared one, or ``none``; ``None``: per AZ in prod,
    single elsewhere."""
    kubernetes_tags: bool = False
    """Tag the subnets for Kubernetes load balancers."""
    interface_endpoints: list[str] = Field(default_factory=list)
    """Interface endpoints to add to the private subnets (service names such as ``ecr.api``, ``logs``)."""
    flow_logs: bool = True
    """Log the VPC's traffic (flow logs)."""


@component("network", options=NetworkOptions, uses=["kms_key"], provides=["network"], stage="network")
def network(ctx: BuildContext, options: NetworkOptions) -> None:
    # ALBs, RDS/Aurora subnet groups and EKS need subnets in at least two AZs, so a single-AZ (dev)
    # environment still gets a second AZ's subnets; its workloads run in the first AZ only.
    azs = ctx.azs if len(ctx.azs) >= 2 else [f"{ctx.region}a", f"{ctx.region}b"]
    nat_mode = options.nat or ("per-az" if ctx.is_prod else "single")
    k8s = options.kubernetes_tags
    _vpc(ctx, azs)
    subnets, plan = _subnets(ctx, azs, k8s)
    nat_azs, nat_gb = _nat(ctx, azs, nat_mode)
    _private_routes(ctx, azs, nat_azs)
    private_rts = [f"PrivateRouteTable{_suffix(az)}" for az in azs]
    gateway_eps = _gateway_endpoints(ctx, private_rts)
    interface = sorted(options.interface_endpoints)
    if interface:
        _interface_endpoints(ctx, interface, subnets["private"], azs)
    flow = options.flow_logs
    if flow:
        _flow_logs(ctx, nat_gb)
    ctx.provided.network = Network(
        vpc="Vpc",
        cidr=VPC_CIDR,
        azs=list(azs),
        public_subnets=subnets["public"],
        private_subnets=subnets["private"],
        data_subnets=subnets["data"],
        private_route_tables=private_rts,
        data_route_table="DataRouteTable",
        nat_gateways=[f"NatGateway{_suffix(az)}" for az in nat_azs],
    )
    ctx.design.network.update(
        {
            "vpc": "Vpc",
            "cidr": VPC_CIDR,
            "azs": list(azs),
            "workload_azs": list(ctx.azs),
            "subnets": list(plan),
            "nat": {
                "strategy": nat_mode,
                "count": len(nat_azs),
                "why": "per AZ in prod for AZ independence; one shared gateway in dev/staging to save cost",
            },
            "endpoints": {"gateway": list(gateway_eps), "interface": list(interface)},
            "flow_logs": {
                "enabled": bool(flow),
                "destination": "CloudWatch Logs" if flow else None,
                "traffic": "ALL",
            },
            "kms_key": ctx.provided.kms_key.key if ctx.provided.kms_key else None,
        }
    )


def _vpc(ctx: BuildContext, azs: list[str]) -> None:
    """The VPC, its internet gateway, the public route table and the data route table (no internet)."""
    prefix = ctx.name_prefix
    ctx.add(
        "Vpc",
        "AWS::EC2::VPC",
        {
            "CidrBlock": VPC_CIDR,
            "EnableDnsHostnames": True,
            "EnableDnsSupport": True,
            "Tags": tags(ctx, f"{prefix}-vpc"),
        },
        label="VPC 10.0.0.0/16",
        role="network",
        rationale="Isolated network with public, private and data tiers (seed 003).",
        sizing=[
            {
                "rule": f"{len(azs)} AZ(s) × 3 tiers of /24 subnets in {VPC_CIDR}",
                "value": len(azs) * 3,
                "source": SRC_SEED_003_VPC,
            }
        ],
        tier="regional",
        vpc="Vpc",
        azs=azs,
        component_id="network",
    )
    _net(
        ctx,
        "InternetGateway",
        "AWS::EC2::InternetGateway",
        {"Tags": tags(ctx, f"{prefix}-igw")},
        label="Internet gateway",
        tier="public",
    )
    _net(
        ctx,
        "VpcGatewayAttachment",
        "AWS::EC2::VPCGatewayAttachment",
        {"VpcId": {"Ref": "Vpc"}, "InternetGatewayId": {"Ref": "InternetGateway"}},
        label="IGW attachment",
        tier="public",
    )
    _net(
        ctx,
        "PublicRouteTable",
        "AWS::EC2::RouteTable",
        {"VpcId": {"Ref": "Vpc"}, "Tags": tags(ctx, f"{prefix}-public")},
        label="Public route table",
        tier="public",
    )
    _net(
        ctx,
        "PublicDefaultRoute",
        "AWS::EC2::Route",
        {
            "RouteTableId": {"Ref": "PublicRouteTable"},
            "DestinationCidrBlock": "0.0.0.0/0",
            "GatewayId": {"Ref": "InternetGateway"},
        },
        depends_on=["VpcGatewayAttachment"],
        label="0.0.0.0/0 → IGW",
        tier="public",
    )
    _net(
        ctx,
        "DataRouteTable",
        "AWS::EC2::RouteTable",
        {"VpcId": {"Ref": "Vpc"}, "Tags": tags(ctx, f"{prefix}-data")},
        label="Data route table (no internet route)",
        tier="data",
    )


def _subnets(
    ctx: BuildContext, azs: list[str], k8s: bool
) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    """A public, private and data subnet per AZ; returns the subnet ids per tier and the subnet plan."""
    prefix = ctx.name_prefix
    plan: list[dict[str, Any]] = []
    subnets: dict[str, list[str]] = {"public": [], "private": [], "data": []}
    for i, az in enumerate(azs):
        s = _suffix(az)
        for tier in ("public", "private", "data"):
            lid = f"{tier.title()}Subnet{s}"
            props: dict[str, Any] = {
                "VpcId": {"Ref": "Vpc"},
                "CidrBlock": subnet_cidr(tier, i),
                "AvailabilityZone": az_ref(i),
                "MapPublicIpOnLaunch": False,
                "Tags": tags(ctx, f"{prefix}-{tier}-{az[-1]}"),
            }
            if k8s and tier == "public":
                props["Tags"].append({"Key": "kubernetes.io/role/elb", "Value": "1"})
            if k8s and tier == "private":
                props["Tags"].append({"Key": "kubernetes.io/role/internal-elb", "Value": "1"})
            _net(ctx, lid, "AWS::EC2::Subnet", props, label=f"{tier} subnet {az}", tier=tier, azs=[az])
            subnets[tier].append(lid)
            plan.append({"name": lid, "tier": tier, "az": az, "cidr": subnet_cidr(tier, i)})
        _net(
            ctx,
            f"PublicSubnet{s}RouteTableAssociation",
            "AWS::EC2::SubnetRouteTableAssociation",
            {"SubnetId": {"Ref": f"PublicSubnet{s}"}, "RouteTableId": {"Ref": "PublicRouteTable"}},
            label="route table association",
            tier="public",
            azs=[az],
        )
        _net(
            ctx,
            f"DataSubnet{s}RouteTableAssociation",
            "AWS::EC2::SubnetRouteTableAssociation",
            {"SubnetId": {"Ref": f"DataSubnet{s}"}, "RouteTableId": {"Ref": "DataRouteTable"}},
            label="route table association",
            tier="data",
            azs=[az],
        )
    return subnets, plan


def _nat(ctx: BuildContext, azs: list[str], nat_mode: str) -> tuple[list[str], sizing.Decision]:
    """NAT gateways (per AZ, single or none); returns their AZs and the NAT data estimate."""
    prefix = ctx.name_prefix
    # NAT: one per AZ in prod (an AZ outage does not cut the others' egress), one shared otherwise.
    nat_azs = [] if nat_mode == "none" else (azs if nat_mode == "per-az" else azs[:1])
    load = sizing.load_for(ctx.requirements, ctx.load_factor)
    nat_gb = sizing.nat_data_gb(load, len(azs))
    for az in nat_azs:
        s = _suffix(az)
        _net(
            ctx,
            f"NatEip{s}",
            "AWS::EC2::EIP",
            {"Domain": "vpc", "Tags": tags(ctx, f"{prefix}-nat-{az[-1]}")},
            label=f"NAT public IPv4 {az}",
            tier="public",
            azs=[az],
        )
        ctx.add(
            f"NatGateway{s}",
            "AWS::EC2::NatGateway",
            {
                "AllocationId": {"Fn::GetAtt": [f"NatEip{s}", "AllocationId"]},
                "SubnetId": {"Ref": f"PublicSubnet{s}"},
                "Tags": tags(ctx, f"{prefix}-nat-{az[-1]}"),
            },
            usage={"monthly_data_processed_gb": round(nat_gb.value / len(nat_azs), 2)},
            label=f"NAT gateway {az}",
            role="egress",
            rationale=(
                "one NAT gateway per AZ so an AZ outage does not cut egress elsewhere"
                if nat_mode == "per-az"
                else "one shared NAT gateway to save cost outside prod"
            ),
            sizing=[
                {
                    "rule": f"NAT strategy {nat_mode}: {len(nat_azs)} gateway(s)",
                    "value": len(nat_azs),
                    "source": SRC_NAT,
                },
                nat_gb.note(),
            ],
            tier="public",
            vpc="Vpc",
            azs=[az],
            component_id="network",
        )
    for key, needed in (("ec2.elastic_ips", len(nat_azs)), ("vpc.nat_gateways_per_az", 1 if nat_azs else 0)):
        warning = quotas.check(key, needed)
        if warning:
            ctx.warn(warning)
    return nat_azs, nat_gb


def _private_routes(ctx: BuildContext, azs: list[str], nat_azs: list[str]) -> None:
    """A private route table per AZ, its default route to a NAT gateway (when any) and associations."""
    prefix = ctx.name_prefix
    for az in azs:
        s = _suffix(az)
        rt = f"PrivateRouteTable{s}"
        _net(
            ctx,
            rt,
            "AWS::EC2::RouteTable",
            {"VpcId": {"Ref": "Vpc"}, "Tags": tags(ctx, f"{prefix}-private-{az[-1]}")},
            label=f"private route table {az}",
            tier="private",
            azs=[az],
        )
        if nat_azs:
            nat = f"NatGateway{_suffix(az) if az in nat_azs else _suffix(nat_azs[0])}"
            _net(
                ctx,
                f"PrivateDefaultRoute{s}",
                "AWS::EC2::Route",
                {
                    "RouteTableId": {"Ref": rt},
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "NatGatewayId": {"Ref": nat},
                },
                label="0.0.0.0/0 → NAT",
                tier="private",
                azs=[az],
            )
            ctx.connect(f"PrivateSubnet{s}", nat, "network", "egress")
        _net(
            ctx,
            f"PrivateSubnet{s}RouteTableAssociation",
            "AWS::EC2::SubnetRouteTableAssociation",
            {"SubnetId": {"Ref": f"PrivateSubnet{s}"}, "RouteTableId": {"Ref": rt}},
            label="route table association",
            tier="private",
            azs=[az],
        )


def _gateway_endpoints(ctx: BuildContext, private_rts: list[str]) -> list[str]:
    """S3 and DynamoDB gateway endpoints on the private and data route tables."""
    gateway_eps = []
    for svc, lid in (("s3", "S3GatewayEndpoint"), ("dynamodb", "DynamoDbGatewayEndpoint")):
        ctx.add(
            lid,
            "AWS::EC2::VPCEndpoint",
            {
                "VpcId": {"Ref": "Vpc"},
                "VpcEndpointType": "Gateway",
                "ServiceName": {"Fn::Sub": f"com.amazonaws.${{AWS::Region}}.{svc}"},
                "RouteTableIds": [{"Ref": r} for r in [*private_rts, "DataRouteTable"]],
            },
            label=f"{svc} gateway endpoint",
            role="endpoint",
            rationale="private, free path to the service; keeps traffic off the NAT",
            sizing=[
                {
                    "rule": "gateway endpoints for S3 and DynamoDB",
                    "value": "no hourly charge",
                    "source": SRC_ENDPOINTS,
                }
            ],
            tier="private",
            vpc="Vpc",
            component_id="network",
        )
        gateway_eps.append(svc)
    return gateway_eps


def _interface_endpoints(
    ctx: BuildContext, interface: list[str], private_subnets: list[str], azs: list[str]
) -> None:
    """Interface endpoints (PrivateLink) in the private subnets behind one HTTPS-only security group."""
    prefix = ctx.name_prefix
    ctx.add(
        "EndpointSecurityGroup",
        "AWS::EC2::SecurityGroup",
        {
            "GroupDescription": "HTTPS from inside the VPC to interface endpoints",
            "VpcId": {"Ref": "Vpc"},
            "SecurityGroupIngress": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 443,
                    "ToPort": 443,
                    "CidrIp": VPC_CIDR,
                    "Description": "HTTPS from the VPC",
                }
            ],
            "SecurityGroupEgress": [
                {"IpProtocol": "-1", "CidrIp": "127.0.0.1/32", "Description": "no egress"}
            ],
            "Tags": tags(ctx, f"{prefix}-endpoints"),
        },
        label="endpoint security group",
        role="firewall",
        tier="private",
        vpc="Vpc",
        component_id="network",
    )
    for svc in interface:
        lid = "".join(p.title() for p in svc.replace("-", ".").split(".")) + "InterfaceEndpoint"
        ctx.add(
            lid,
            "AWS::EC2::VPCEndpoint",
            {
                "VpcId": {"Ref": "Vpc"},
                "VpcEndpointType": "Interface",
                "PrivateDnsEnabled": True,
                "ServiceName": {"Fn::Sub": f"com.amazonaws.${{AWS::Region}}.{svc}"},
                "SubnetIds": [{"Ref": s} for s in private_subnets],
                "SecurityGroupIds": [{"Ref": "EndpointSecurityGroup"}],
            },
            usage={"monthly_data_processed_gb": 5.0},
            label=f"{svc} interface endpoint",
            role="endpoint",
            rationale="private access to the AWS API without the NAT gateway",
            sizing=[
                {
                    "rule": f"one ENI per AZ ({len(azs)}), ~5 GB/month processed ({sizing.ASSUMPTION})",
                    "value": len(azs),
                    "source": "https://aws.amazon.com/privatelink/pricing/",
                }
            ],
            tier="private",
            vpc="Vpc",
            azs=azs,
            component_id="network",
        )


def _flow_logs(ctx: BuildContext, nat_gb: sizing.Decision) -> None:
    """VPC flow logs (all traffic) to a CloudWatch log group through a least-privilege role."""
    log_group(
        ctx,
        "VpcFlowLogGroup",
        label="VPC flow logs",
        gb_per_month=max(1.0, round(nat_gb.value * 0.02, 2)),
        tier="regional",
    )
    ctx.add(
        "VpcFlowLogRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "Policies": [
                {
                    "PolicyName": "flow-logs-to-cloudwatch",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": [
                                    "logs:CreateLogStream",
                                    "logs:PutLogEvents",
                                    "logs:DescribeLogStreams",
                                ],
                                "Resource": {"Fn::GetAtt": ["VpcFlowLogGroup", "Arn"]},
                            }
                        ],
                    },
                }
            ],
        },
        label="flow logs role",
        role="iam",
        rationale="least privilege: write to the one flow-log group",
        component_id="network",
    )
    ctx.add(
        "VpcFlowLog",
        "AWS::EC2::FlowLog",
        {
            "ResourceId": {"Ref": "Vpc"},
            "ResourceType": "VPC",
            "TrafficType": "ALL",
            "LogDestinationType": "cloud-watch-logs",
            "LogGroupName": {"Ref": "VpcFlowLogGroup"},
            "DeliverLogsPermissionArn": {"Fn::GetAtt": ["VpcFlowLogRole", "Arn"]},
        },
        label="VPC flow log",
        role="audit",
        tier="regional",
        vpc="Vpc",
        component_id="network",
    )
    ctx.connect("VpcFlowLog", "VpcFlowLogGroup", "data", "flow logs")
