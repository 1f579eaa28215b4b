"""``eks``: private EKS cluster with KMS-encrypted secrets and all control-plane logs, plus a managed
node group in the private subnets (seed 001).

Nodes use the cluster security group, so this builder also opens the database, cache and ALB paths to
that group (tier-to-tier, as for the other compute builders).
"""

from __future__ import annotations

from typing import Any

from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, Network, SecurityGroups, component
from cloudwright.design.components.compute import InstanceOptions
from cloudwright.design.components.iam import EC2_SERVICE, managed_policy, trust_policy
from cloudwright.design.components.observability import kms_key_arn, retention_days, tags
from cloudwright.design.model import Tier

KUBERNETES_VERSION = "1.33"
NODE_TYPES = {"dev": "t3.medium", "staging": "m5.large", "prod": "m5.large"}
LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
SRC_EKS = "seed 001 EKS configuration (private endpoint, all control-plane logs, KMS secrets encryption)"


#: AWS managed policies of the node role.
NODE_POLICIES = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonSSMManagedInstanceCore",
]


@component(
    "eks",
    options=InstanceOptions,
    needs=["network"],
    uses=["kms_key", "security_groups", "load_balancer", "database", "cache"],
)
def eks(ctx: BuildContext, options: InstanceOptions) -> None:
    net = ctx.need(ctx.provided.network, "network")
    load = sizing.load_for(ctx.requirements, ctx.load_factor)
    counts = sizing.eks_nodes(load, is_prod=ctx.is_prod, az_count=ctx.az_count)
    name = f"{ctx.name_prefix}-eks"
    itype = options.instance_type or NODE_TYPES.get(ctx.environment, "m5.large")
    key = kms_key_arn(ctx)
    _control_plane_logs(ctx, name, key)
    _cluster(ctx, name, key, net)
    _node_group(ctx, name, itype, counts, net)
    ctx.connect("EksCluster", "NodeGroup", "reference", "schedules pods")
    alb = ctx.provided.load_balancer
    if alb:
        ctx.connect(alb.target_group, "NodeGroup", "request", "pods (IP targets)")
    for dep, store in (("database", ctx.provided.database), ("cache", ctx.provided.cache)):
        if store:
            ctx.connect("NodeGroup", store.resource, "data", dep)
    _firewall_paths(ctx, net)
    warn = sizing.quota_warning("eks.nodes_per_node_group", counts["max"].value)
    if warn:
        ctx.warn(warn)
    ctx.network_section("kubernetes").update(
        {"cluster": "EksCluster", "endpoint": "private", "version": KUBERNETES_VERSION, "node_type": itype}
    )


def _control_plane_logs(ctx: BuildContext, name: str, key: Any) -> None:
    ctx.add(
        "ClusterLogGroup",
        "AWS::Logs::LogGroup",
        {
            "LogGroupName": f"/aws/eks/{name}/cluster",
            "RetentionInDays": retention_days(ctx),
            **({"KmsKeyId": key} if key else {}),
        },
        usage={
            "monthly_data_ingested_gb": 10.0 if ctx.is_prod else 1.0,
            "storage_gb": 10.0 if ctx.is_prod else 1.0,
        },
        label="EKS control-plane logs",
        role="logs",
        component_id="eks",
        sizing=[
            {
                "rule": f"~10 GB/month of audit and API logs in prod ({sizing.ASSUMPTION})",
                "value": 10,
                "source": SRC_EKS,
            }
        ],
    )


def _cluster(ctx: BuildContext, name: str, key: Any, net: Network) -> None:
    """The cluster role and the cluster: private endpoint, every control-plane log, KMS-encrypted secrets."""
    ctx.add(
        "ClusterRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy("eks.amazonaws.com"),
            "ManagedPolicyArns": [managed_policy("AmazonEKSClusterPolicy")],
        },
        label="EKS cluster role",
        role="iam",
        component_id="eks",
    )
    cluster: dict[str, Any] = {
        "Name": name,
        "Version": KUBERNETES_VERSION,
        "RoleArn": {"Fn::GetAtt": ["ClusterRole", "Arn"]},
        "ResourcesVpcConfig": {
            "SubnetIds": [{"Ref": s} for s in net.private_subnets],
            "EndpointPrivateAccess": True,
            "EndpointPublicAccess": False,
        },
        "Logging": {"ClusterLogging": {"EnabledTypes": [{"Type": t} for t in LOG_TYPES]}},
        "AccessConfig": {"AuthenticationMode": "API"},
        "Tags": tags(ctx, name),
    }
    if key:
        cluster["EncryptionConfig"] = [{"Provider": {"KeyArn": key}, "Resources": ["secrets"]}]
    ctx.add(
        "EksCluster",
        "AWS::EKS::Cluster",
        cluster,
        depends_on=["ClusterLogGroup"],
        label=f"EKS {KUBERNETES_VERSION} (private endpoint)",
        role="compute",
        rationale="managed multi-AZ control plane; private API endpoint; secrets encrypted with KMS; all logs",  # noqa: E501
        sizing=[
            {
                "rule": "private endpoint, 5 log types, KMS secrets",
                "value": KUBERNETES_VERSION,
                "source": SRC_EKS,
            }
        ],
        tier="private",
        vpc=net.vpc,
        azs=ctx.azs,
        component_id="eks",
    )


def _node_launch_template_data(ctx: BuildContext, name: str) -> dict[str, Any]:
    """IMDSv2 (two hops, for pods), an encrypted 50 GB gp3 root volume, instances tagged ``<name>-node``."""
    return {
        "MetadataOptions": {
            "HttpTokens": "required",
            "HttpEndpoint": "enabled",
            "HttpPutResponseHopLimit": 2,
        },
        "BlockDeviceMappings": [
            {
                "DeviceName": "/dev/xvda",
                "Ebs": {
                    "VolumeSize": 50,
                    "VolumeType": "gp3",
                    "Encrypted": True,
                    "DeleteOnTermination": True,
                },
            }
        ],
        "TagSpecifications": [{"ResourceType": "instance", "Tags": tags(ctx, f"{name}-node")}],
    }


def _node_group(
    ctx: BuildContext, name: str, itype: str, counts: dict[str, sizing.Decision], net: Network
) -> None:
    """The node role, the nodes' launch template and the managed node group in the private subnets."""
    ctx.add(
        "NodeRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy(EC2_SERVICE),
            "ManagedPolicyArns": [managed_policy(p) for p in NODE_POLICIES],
        },
        label="node role",
        role="iam",
        component_id="eks",
    )
    ctx.add(
        "NodeLaunchTemplate",
        "AWS::EC2::LaunchTemplate",
        {"LaunchTemplateData": _node_launch_template_data(ctx, name)},
        label="node launch template (IMDSv2, encrypted gp3)",
        role="compute",
        component_id="eks",
    )
    ctx.add(
        "NodeGroup",
        "AWS::EKS::Nodegroup",
        {
            "ClusterName": {"Ref": "EksCluster"},
            "NodeRole": {"Fn::GetAtt": ["NodeRole", "Arn"]},
            "Subnets": [{"Ref": s} for s in net.private_subnets],
            "InstanceTypes": [itype],
            "CapacityType": "ON_DEMAND",
            "AmiType": "AL2023_x86_64_STANDARD",
            "ScalingConfig": {
                "MinSize": counts["min"].value,
                "DesiredSize": counts["desired"].value,
                "MaxSize": counts["max"].value,
            },
            "UpdateConfig": {"MaxUnavailable": 1},
            "LaunchTemplate": {
                "Id": {"Ref": "NodeLaunchTemplate"},
                "Version": {"Fn::GetAtt": ["NodeLaunchTemplate", "LatestVersionNumber"]},
            },
            "Labels": {"workload": "general"},
        },
        usage={"desired_count": counts["desired"].value},
        label=f"managed node group {itype} ({counts['min'].value}-{counts['max'].value})",
        role="compute",
        sizing=[d.note() for d in counts.values()],
        tier="private",
        vpc=net.vpc,
        azs=ctx.azs,
        component_id="eks",
    )


def _sg_rule(
    ctx: BuildContext,
    lid: str,
    type_: str,
    group: Any,
    port: int,
    peer: tuple[str, Any],
    desc: str,
    *,
    tier: Tier,
    vpc: str,
) -> None:
    """A one-port TCP ingress or egress rule between two security groups (``peer``: the peer key and id)."""
    ctx.add(
        lid,
        type_,
        {
            "GroupId": group,
            "IpProtocol": "tcp",
            "FromPort": port,
            "ToPort": port,
            peer[0]: peer[1],
            "Description": desc,
        },
        label=desc,
        role="firewall",
        tier=tier,
        vpc=vpc,
        component_id="eks",
    )


def _firewall_paths(ctx: BuildContext, net: Network) -> None:
    """Nodes use the cluster security group: open the database, cache and load balancer paths to it."""
    sgs = ctx.provided.security_groups or SecurityGroups(app="AppSecurityGroup")
    alb = ctx.provided.load_balancer
    cluster_sg = {"Fn::GetAtt": ["EksCluster", "ClusterSecurityGroupId"]}
    from_nodes = ("SourceSecurityGroupId", cluster_sg)
    ingress, egress = "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"
    paths = []
    if sgs.db:
        paths.append(("DatabaseFromNodesIngress", sgs.db, 5432, "database from cluster nodes"))
    if sgs.cache:
        paths.append(("CacheFromNodesIngress", sgs.cache, 6379, "cache from cluster nodes"))
    for lid, group, port, desc in paths:
        group_id = {"Fn::GetAtt": [group, "GroupId"]}
        _sg_rule(ctx, lid, ingress, group_id, port, from_nodes, desc, tier="data", vpc=net.vpc)
    if sgs.alb:
        port = alb.port if alb else 8080
        alb_group = {"Fn::GetAtt": [sgs.alb, "GroupId"]}
        _sg_rule(
            ctx, "NodesFromAlbIngress", ingress, cluster_sg, port, ("SourceSecurityGroupId", alb_group),
            "pods from the ALB", tier="private", vpc=net.vpc,
        )  # fmt: skip
        _sg_rule(
            ctx, "AlbToNodesEgress", egress, alb_group, port, ("DestinationSecurityGroupId", cluster_sg),
            "ALB to pods", tier="public", vpc=net.vpc,
        )  # fmt: skip
