"""``eks``: private EKS cluster with KMS-encrypted secrets and all control-plane logs, plus a managed
node group in the private subnets (seed 001).

Nodes use the cluster security group, so this builder also opens the database, cache and ALB paths to
that group (tier-to-tier, as for the other compute builders).
"""

from __future__ import annotations

from typing import Any

from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, SecurityGroups, component
from cloudwright.design.components.compute import InstanceOptions
from cloudwright.design.components.observability import kms_key_arn, retention_days, tags

KUBERNETES_VERSION = "1.33"
NODE_TYPES = {"dev": "t3.medium", "staging": "m5.large", "prod": "m5.large"}
LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
SRC_EKS = "seed 001 EKS configuration (private endpoint, all control-plane logs, KMS secrets encryption)"


def _managed(name: str) -> dict[str, Any]:
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::aws:policy/{name}"}


@component(
    "eks",
    options=InstanceOptions,
    needs=["network"],
    uses=["kms_key", "security_groups", "load_balancer", "database", "cache"],
)
def eks(ctx: BuildContext, options: InstanceOptions) -> None:
    net = ctx.need(ctx.provided.network, "network")
    sgs = ctx.provided.security_groups or SecurityGroups(app="AppSecurityGroup")
    load = sizing.load_for(ctx.requirements, ctx.load_factor)
    counts = sizing.eks_nodes(load, is_prod=ctx.is_prod, az_count=ctx.az_count)
    name = f"{ctx.name_prefix}-eks"
    itype = options.instance_type or NODE_TYPES.get(ctx.environment, "m5.large")
    key = kms_key_arn(ctx)
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
    ctx.add(
        "ClusterRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "eks.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "ManagedPolicyArns": [_managed("AmazonEKSClusterPolicy")],
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
    ctx.add(
        "NodeRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ec2.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "ManagedPolicyArns": [
                _managed("AmazonEKSWorkerNodePolicy"),
                _managed("AmazonEKS_CNI_Policy"),
                _managed("AmazonEC2ContainerRegistryReadOnly"),
                _managed("AmazonSSMManagedInstanceCore"),
            ],
        },
        label="node role",
        role="iam",
        component_id="eks",
    )
    ctx.add(
        "NodeLaunchTemplate",
        "AWS::EC2::LaunchTemplate",
        {
            "LaunchTemplateData": {
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
        },
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
    ctx.connect("EksCluster", "NodeGroup", "reference", "schedules pods")
    alb = ctx.provided.load_balancer
    if alb:
        ctx.connect(alb.target_group, "NodeGroup", "request", "pods (IP targets)")
    for dep, store in (("database", ctx.provided.database), ("cache", ctx.provided.cache)):
        if store:
            ctx.connect("NodeGroup", store.resource, "data", dep)
    cluster_sg = {"Fn::GetAtt": ["EksCluster", "ClusterSecurityGroupId"]}
    port = alb.port if alb else 8080
    paths = []
    if sgs.db:
        paths.append(("DatabaseFromNodesIngress", sgs.db, 5432, "database from cluster nodes"))
    if sgs.cache:
        paths.append(("CacheFromNodesIngress", sgs.cache, 6379, "cache from cluster nodes"))
    for lid, group, p, desc in paths:
        ctx.add(
            lid,
            "AWS::EC2::SecurityGroupIngress",
            {
                "GroupId": {"Fn::GetAtt": [group, "GroupId"]},
                "IpProtocol": "tcp",
                "FromPort": p,
                "ToPort": p,
                "SourceSecurityGroupId": cluster_sg,
                "Description": desc,
            },
            label=desc,
            role="firewall",
            tier="data",
            vpc=net.vpc,
            component_id="eks",
        )
    if sgs.alb:
        ctx.add(
            "NodesFromAlbIngress",
            "AWS::EC2::SecurityGroupIngress",
            {
                "GroupId": cluster_sg,
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "SourceSecurityGroupId": {"Fn::GetAtt": [sgs.alb, "GroupId"]},
                "Description": "pods from the ALB",
            },
            label="pods from the ALB",
            role="firewall",
            tier="private",
            vpc=net.vpc,
            component_id="eks",
        )
        ctx.add(
            "AlbToNodesEgress",
            "AWS::EC2::SecurityGroupEgress",
            {
                "GroupId": {"Fn::GetAtt": [sgs.alb, "GroupId"]},
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "DestinationSecurityGroupId": cluster_sg,
                "Description": "ALB to pods",
            },
            label="ALB to pods",
            role="firewall",
            tier="public",
            vpc=net.vpc,
            component_id="eks",
        )
    warn = sizing.quota_warning("eks.nodes_per_node_group", counts["max"].value)
    if warn:
        ctx.warn(warn)
    ctx.design.network.setdefault("kubernetes", {}).update(
        {"cluster": "EksCluster", "endpoint": "private", "version": KUBERNETES_VERSION, "node_type": itype}
    )
