"""``aurora`` (Aurora PostgreSQL cluster) and ``rds`` (RDS PostgreSQL, Multi-AZ + read replicas in prod).

Both live in the data subnets, behind the database security group, encrypted with the customer managed
key when present, TLS forced by a parameter group, the master password generated and kept in Secrets
Manager (``ManageMasterUserPassword``), backups 30 days in prod (seed 001/003), deletion protection and
snapshot-on-delete in prod. Sizing: class from hot data set and writer load, readers from read load.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Field

from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, BuilderOptions, DataStore, Network, NoOptions, component
from cloudwright.design.components.iam import managed_policy, trust_policy
from cloudwright.design.components.network import az_ref
from cloudwright.design.components.observability import checkov_skip, kms_key_arn, tags

#: Versions cfn-lint 1.58 lists as current (not deprecated) for new clusters/instances.
AURORA_ENGINE_VERSION = "16.9"
AURORA_FAMILY = "aurora-postgresql16"
RDS_ENGINE_VERSION = "17.6"
RDS_FAMILY = "postgres17"
SRC_BACKUP = "seed 001/003: BackupRetentionPeriod 30 in production"
SRC_MULTI_AZ = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html"
_NO_PI = ("db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small")


def _retention(ctx: BuildContext) -> int:
    return {"prod": 30, "staging": 7}.get(ctx.environment, 1)


def _subnet_group(ctx: BuildContext, lid: str) -> None:
    net = ctx.need(ctx.provided.network, "network")
    ctx.add(
        lid,
        "AWS::RDS::DBSubnetGroup",
        {
            "DBSubnetGroupDescription": "data subnets (no internet route)",
            "SubnetIds": [{"Ref": s} for s in net.data_subnets],
            "Tags": tags(ctx, f"{ctx.name_prefix}-db"),
        },
        label="DB subnet group (data tier)",
        role="database",
        tier="data",
        vpc=net.vpc,
        azs=net.azs,
        component_id="database",
    )


def _monitoring_role(ctx: BuildContext) -> str:
    if not ctx.has("DatabaseMonitoringRole"):
        ctx.add(
            "DatabaseMonitoringRole",
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": trust_policy("monitoring.rds.amazonaws.com"),
                "ManagedPolicyArns": [managed_policy("service-role/AmazonRDSEnhancedMonitoringRole")],
            },
            label="RDS enhanced monitoring role",
            role="iam",
            rationale="AWS managed policy scoped to enhanced monitoring",
            component_id="database",
        )
    return "DatabaseMonitoringRole"


def _tls_parameters(ctx: BuildContext, lid: str, type_: str, family: str, label: str, cid: str) -> None:
    """A (cluster) parameter group that forces TLS."""
    ctx.add(
        lid,
        type_,
        {"Description": "force TLS", "Family": family, "Parameters": {"rds.force_ssl": "1"}},
        label=label,
        role="database",
        tier="data",
        component_id=cid,
    )


def _backup_note(ctx: BuildContext) -> dict[str, Any]:
    days = _retention(ctx)
    return {"rule": f"backup retention {days} days", "value": days, "source": SRC_BACKUP}


def _deletion_policy(ctx: BuildContext) -> dict[str, Any]:
    """Snapshot on delete and on replacement in prod; delete elsewhere."""
    if ctx.is_prod:
        return {"DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot"}
    return {"DeletionPolicy": "Delete"}


def _storage_usage(ctx: BuildContext, load: sizing.Load) -> dict[str, float]:
    gb = round(
        load.data_gb + ctx.requirements.data_growth_gb_per_month * (1 if ctx.is_prod else ctx.load_factor), 3
    )
    io = round(
        load.requests_per_month * ((100 - load.read_percent) / 100 * 2 + load.read_percent / 100 * 0.2)
    )
    return {"storage_gb": gb, "monthly_standard_io_requests": io, "backup_storage_gb": round(gb * 0.2, 3)}


def _publish(ctx: BuildContext, engine: str, main: str, endpoint: Any, secret: Any, readers: int) -> None:
    ctx.provided.database = DataStore(
        resource=main, port=5432, endpoint=endpoint, engine=engine, secret=secret
    )
    ctx.network_section("encryption")["database"] = {
        "at_rest": "customer managed KMS key" if kms_key_arn(ctx) else "AWS managed key",
        "in_transit": "TLS required (rds.force_ssl=1)",
        "master_password": "generated, stored in Secrets Manager",
    }
    ctx.network_section("data_tier")["database"] = {"engine": engine, "readers": readers}


@component(
    "aurora",
    options=NoOptions,
    needs=["network"],
    uses=["kms_key", "security_groups"],
    provides=["database"],
    stage="data",
)
def aurora(ctx: BuildContext, options: NoOptions) -> None:
    net = ctx.need(ctx.provided.network, "network")
    load = sizing.load_for(ctx.requirements, ctx.load_factor)
    readers = sizing.read_replicas(load, engine="aurora", is_prod=ctx.is_prod, minimum=1)
    cls = sizing.db_class(load, engine="aurora", environment=ctx.environment, replicas=readers.value)
    _subnet_group(ctx, "DatabaseSubnetGroup")
    _tls_parameters(
        ctx,
        "DatabaseClusterParameters",
        "AWS::RDS::DBClusterParameterGroup",
        AURORA_FAMILY,
        "cluster parameters (TLS only)",
        "aurora",
    )
    _aurora_cluster(ctx, net, load, cls, readers)
    _aurora_instances(ctx, net, cls, readers.value)
    _publish(
        ctx,
        "aurora-postgresql",
        "DatabaseCluster",
        {"Fn::GetAtt": ["DatabaseCluster", "Endpoint.Address"]},
        {"Fn::GetAtt": ["DatabaseCluster", "MasterUserSecret.SecretArn"]},
        readers.value,
    )
    if readers.needed:
        ctx.warn(sizing.quota_warning("aurora.replicas_per_cluster", readers.needed) or "")


def _aurora_cluster(
    ctx: BuildContext, net: Network, load: sizing.Load, cls: sizing.Decision, readers: sizing.Decision
) -> None:
    key = kms_key_arn(ctx)
    props: dict[str, Any] = {
        "Engine": "aurora-postgresql",
        "EngineVersion": AURORA_ENGINE_VERSION,
        "DatabaseName": "app",
        "MasterUsername": "app_admin",
        "ManageMasterUserPassword": True,
        "Port": 5432,
        "DBSubnetGroupName": {"Ref": "DatabaseSubnetGroup"},
        "VpcSecurityGroupIds": [{"Ref": ctx.security_group("db", "DatabaseSecurityGroup")}],
        "DBClusterParameterGroupName": {"Ref": "DatabaseClusterParameters"},
        "StorageEncrypted": True,
        "BackupRetentionPeriod": _retention(ctx),
        "PreferredBackupWindow": "03:00-04:00",
        "DeletionProtection": ctx.is_prod,
        "CopyTagsToSnapshot": True,
        "EnableIAMDatabaseAuthentication": True,
        "EnableCloudwatchLogsExports": ["postgresql"],
        "Tags": tags(ctx, f"{ctx.name_prefix}-aurora"),
    }
    if key:
        props["KmsKeyId"] = key
        props["MasterUserSecret"] = {"KmsKeyId": key}
    ctx.add(
        "DatabaseCluster",
        "AWS::RDS::DBCluster",
        props,
        usage=_storage_usage(ctx, load),
        label="Aurora PostgreSQL cluster",
        role="database",
        rationale=f"managed relational store; {1 + readers.value} instance(s) across AZs; backups {_retention(ctx)} days",  # noqa: E501
        sizing=[cls.note(), readers.note(), _backup_note(ctx)],
        tier="data",
        vpc=net.vpc,
        azs=ctx.azs,
        component_id="aurora",
        attributes=_deletion_policy(ctx),
    )


def _aurora_instances(ctx: BuildContext, net: Network, cls: sizing.Decision, readers: int) -> None:
    """The writer and ``readers`` reader instances, spread over the AZs."""
    key = kms_key_arn(ctx)
    role = _monitoring_role(ctx)
    for i in range(1 + readers):
        lid = "DatabaseWriter" if i == 0 else f"DatabaseReader{i}"
        inst: dict[str, Any] = {
            "DBClusterIdentifier": {"Ref": "DatabaseCluster"},
            "DBInstanceClass": cls.value,
            "Engine": "aurora-postgresql",
            "PubliclyAccessible": False,
            "AutoMinorVersionUpgrade": True,
            "MonitoringInterval": 60,
            "MonitoringRoleArn": {"Fn::GetAtt": [role, "Arn"]},
            "Tags": tags(ctx, f"{ctx.name_prefix}-{lid.lower()}"),
        }
        if cls.value not in _NO_PI:
            inst["EnablePerformanceInsights"] = True
            if key:
                inst["PerformanceInsightsKMSKeyId"] = key
        az = net.azs[i % len(net.azs)]
        inst["AvailabilityZone"] = az_ref(i % len(net.azs))
        ctx.add(
            lid,
            "AWS::RDS::DBInstance",
            inst,
            label=f"Aurora {'writer' if i == 0 else 'reader'} {cls.value}",
            role="database",
            sizing=[cls.note()],
            tier="data",
            vpc=net.vpc,
            azs=[az],
            component_id="aurora",
        )
        ctx.connect(lid, "DatabaseCluster", "data", "member")


class RdsOptions(BuilderOptions):
    """Options of ``rds``."""

    engine: Literal["postgres"] = "postgres"
    """The database engine (PostgreSQL is the one built)."""
    read_replicas: Literal["auto"] | Annotated[int, Field(ge=0)] = "auto"
    """The least number of read replicas in prod: a number, or ``auto`` (at least one, more as the
    read load needs)."""


@component(
    "rds",
    options=RdsOptions,
    needs=["network"],
    uses=["kms_key", "security_groups"],
    provides=["database"],
    stage="data",
)
def rds(ctx: BuildContext, options: RdsOptions) -> None:
    net = ctx.need(ctx.provided.network, "network")
    load = sizing.load_for(ctx.requirements, ctx.load_factor)
    minimum = 1 if options.read_replicas == "auto" else options.read_replicas
    replicas = sizing.read_replicas(load, engine="postgres", is_prod=ctx.is_prod, minimum=minimum)
    cls = sizing.db_class(load, engine="postgres", environment=ctx.environment, replicas=replicas.value)
    _subnet_group(ctx, "DatabaseSubnetGroup")
    _tls_parameters(
        ctx, "DatabaseParameters", "AWS::RDS::DBParameterGroup", RDS_FAMILY, "parameters (TLS only)", "rds"
    )
    storage_gb = _rds_primary(ctx, net, load, cls)
    _rds_replicas(ctx, net, cls, replicas, storage_gb)
    if replicas.needed:
        ctx.warn(sizing.quota_warning("rds.read_replicas_per_source", replicas.needed) or "")
    _publish(
        ctx,
        "postgres",
        "Database",
        {"Fn::GetAtt": ["Database", "Endpoint.Address"]},
        {"Fn::GetAtt": ["Database", "MasterUserSecret.SecretArn"]},
        replicas.value,
    )


def _rds_properties(ctx: BuildContext, cls: sizing.Decision, storage: int) -> dict[str, Any]:
    key = kms_key_arn(ctx)
    props: dict[str, Any] = {
        "Engine": "postgres",
        "EngineVersion": RDS_ENGINE_VERSION,
        "DBInstanceClass": cls.value,
        "DBName": "app",
        "MasterUsername": "app_admin",
        "ManageMasterUserPassword": True,
        "Port": "5432",
        "AllocatedStorage": str(storage),
        "MaxAllocatedStorage": storage * 4,
        "StorageType": "gp3",
        "StorageEncrypted": True,
        "MultiAZ": ctx.is_prod,
        "DBSubnetGroupName": {"Ref": "DatabaseSubnetGroup"},
        "VPCSecurityGroups": [{"Ref": ctx.security_group("db", "DatabaseSecurityGroup")}],
        "DBParameterGroupName": {"Ref": "DatabaseParameters"},
        "PubliclyAccessible": False,
        "BackupRetentionPeriod": _retention(ctx),
        "PreferredBackupWindow": "03:00-04:00",
        "PreferredMaintenanceWindow": "sun:04:30-sun:05:30",
        "DeletionProtection": ctx.is_prod,
        "CopyTagsToSnapshot": True,
        "AutoMinorVersionUpgrade": True,
        "EnableIAMDatabaseAuthentication": True,
        "EnableCloudwatchLogsExports": ["postgresql", "upgrade"],
        "MonitoringInterval": 60,
        "MonitoringRoleArn": {"Fn::GetAtt": [_monitoring_role(ctx), "Arn"]},
        "Tags": tags(ctx, f"{ctx.name_prefix}-postgres"),
    }
    if cls.value not in _NO_PI:
        props["EnablePerformanceInsights"] = True
        if key:
            props["PerformanceInsightsKMSKeyId"] = key
    if key:
        props["KmsKeyId"] = key
        props["MasterUserSecret"] = {"KmsKeyId": key}
    return props


def _rds_primary(ctx: BuildContext, net: Network, load: sizing.Load, cls: sizing.Decision) -> float:
    """The primary instance (Multi-AZ in prod); returns its storage in GB for the replicas' usage."""
    storage = max(20, math.ceil(load.data_gb * 1.5))
    usage = _storage_usage(ctx, load)
    usage.pop("monthly_standard_io_requests")
    ctx.add(
        "Database",
        "AWS::RDS::DBInstance",
        _rds_properties(ctx, cls, storage),
        usage=usage,
        label=f"RDS PostgreSQL {cls.value}{' Multi-AZ' if ctx.is_prod else ''}",
        role="database",
        rationale="synchronous standby in another AZ in prod (RPO 0 within the Region); automated backups",
        sizing=[
            cls.note(),
            {
                "rule": f"storage = max(20, ⌈{load.data_gb:g} GB × 1.5⌉) GB gp3, autoscaling to ×4",
                "value": storage,
                "source": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.StorageTypes.html",
            },
            {"rule": "Multi-AZ in prod", "value": ctx.is_prod, "source": SRC_MULTI_AZ},
            _backup_note(ctx),
        ],
        tier="data",
        vpc=net.vpc,
        azs=net.azs[:2] if ctx.is_prod else net.azs[:1],
        component_id="rds",
        attributes=_deletion_policy(ctx),
    )
    return usage["storage_gb"]


def _rds_replicas(
    ctx: BuildContext, net: Network, cls: sizing.Decision, replicas: sizing.Decision, storage_gb: float
) -> None:
    """Read replicas in the other AZs, replicating from the primary."""
    for i in range(replicas.value):
        lid = f"DatabaseReplica{i + 1}"
        az = net.azs[(i + 1) % len(net.azs)]
        rep: dict[str, Any] = {
            "SourceDBInstanceIdentifier": {"Ref": "Database"},
            "DBInstanceClass": cls.value,
            "PubliclyAccessible": False,
            "AutoMinorVersionUpgrade": True,
            "AvailabilityZone": az_ref((i + 1) % len(net.azs)),
            "MonitoringInterval": 60,
            "MonitoringRoleArn": {"Fn::GetAtt": ["DatabaseMonitoringRole", "Arn"]},
            "Tags": tags(ctx, f"{ctx.name_prefix}-replica-{i + 1}"),
        }
        if cls.value not in _NO_PI:
            rep["EnablePerformanceInsights"] = True
        ctx.add(
            lid,
            "AWS::RDS::DBInstance",
            rep,
            usage={"storage_gb": storage_gb},
            label=f"read replica {i + 1} ({az})",
            role="database",
            sizing=[replicas.note()],
            tier="data",
            vpc=net.vpc,
            azs=[az],
            component_id="rds",
            attributes=checkov_skip(
                ("CKV_AWS_16", "A read replica inherits encryption (and key) from its encrypted source."),
                ("CKV_AWS_157", "Replicas are spread over other AZs; the primary is the Multi-AZ instance."),
            ),
        )
        ctx.connect("Database", lid, "data", "replication")
