"""Build a DR strategy into a design: the secondary Region's own stack plus the cross-Region pieces.

:func:`apply_strategy` returns a copy of a single-Region design with

* a **secondary stack** — copies of the primary's resources placed in the secondary Region
  (``placement.region``), renamed ``<LogicalId><Region>`` and filtered by the strategy:

  - ``active-active``: every regional resource, serving half of the traffic (the primary serves the
    other half);
  - ``warm-standby``: every regional resource at minimum capacity (one instance/task, no traffic);
  - ``pilot-light``: the replicated data stores, keys, launch templates and task definitions only;
  - ``backup-restore``: an AWS Backup vault that receives a copy of every backup;

* the **cross-Region pieces** in the primary stack: DynamoDB global tables (a replica in the
  secondary Region), an Aurora global database (a secondary cluster), a cross-Region read replica for
  RDS, S3 replication (inter-Region transfer priced on the source bucket), an AWS Backup plan with a
  copy action, and Route 53 health checks with failover (or latency, for active-active) records.

Global services (CloudFront, Route 53, WAF for CloudFront) stay in the primary stack. A copied
resource that would need something the secondary Region cannot have (a stream of the primary table,
a resource of the primary stack) is left out of the secondary stack rather than half-built.
"""

from __future__ import annotations

import marshal
import re
from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any

from cloudwright.cfn import intrinsics
from cloudwright.cfn.writer import references
from cloudwright.design.build import json_array, json_copy, json_object
from cloudwright.design.model import Design, Placement, Resource, Tier, dict_or_empty, list_or_empty
from cloudwright.requirements import Requirements
from cloudwright.units import JsonValue

#: Types managed from the primary stack only (global services).
GLOBAL_PREFIXES = ("AWS::CloudFront::", "AWS::Route53::", "AWS::CloudTrail::", "AWS::Budgets::")
#: Types the pilot light keeps besides the data stores (definitions that cost nothing idle).
PILOT_LIGHT_TYPES = frozenset(
    {
        "AWS::EC2::LaunchTemplate",
        "AWS::ECS::TaskDefinition",
        "AWS::ECS::Cluster",
        "AWS::KMS::Key",
        "AWS::KMS::Alias",
        "AWS::S3::Bucket",
    }
)
#: Tables made global (a replica in the secondary Region) rather than copied.
_TABLE_TYPES = frozenset({"AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"})
#: Sort keys: resources by logical id, edges by (source, target, kind, label).
_BY_ID = attrgetter("logical_id")
_EDGE_ORDER = attrgetter("source", "target", "kind", "label")
#: Data-store types the pilot light keeps running in the secondary Region.
PILOT_LIGHT_DATA = frozenset({"AWS::RDS::DBInstance", "AWS::RDS::DBCluster"})
#: Usage keys that describe what is stored (copied whole to every Region), not traffic.
_STATE_WORDS = (
    "storage",
    "size",
    "retention",
    "count",
    "instances",
    "nodes",
    "hours",
    "capacity",
    "memory",
    "class",
    "duration",
    "runtime",
    "architecture",
    "_mb",
    "percent",
    "shards",
)

SRC_S3_REPLICATION = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html"
SRC_BACKUP_COPY = "https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html"
SRC_AURORA_GLOBAL = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html"
SRC_RDS_XREGION = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html"
SRC_R53_FAILOVER = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-configuring.html"


#: Key of a ``replace`` entry that stands for the resource's ``Ref`` value.
_REF = "ref"


class _GlobalParams(dict[str, str]):
    """``replace`` entry for a global resource: each attribute asked for becomes a stack parameter. The
    parameter is recorded in ``asked`` (parameter name, logical id, attribute), which the entries of one
    stack share, and added to the design by :func:`_add_global_params`."""

    def __init__(self, logical_id: str, asked: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.logical_id = logical_id
        self.asked = asked

    def get(self, attr: str, default: str | None = None) -> str:  # type: ignore[override]
        name = re.sub(r"[^A-Za-z0-9]", "", f"{self.logical_id}{attr}")
        self.asked.append((name, self.logical_id, attr))
        return "${" + name + "}"


def _add_global_params(design: Design, asked: list[tuple[str, str, str]]) -> None:
    """The stack parameters asked for through :class:`_GlobalParams` (in that order) that the design does
    not have yet, added."""
    for name, logical_id, attr in asked:
        if name not in design.parameters:
            what = "Ref" if attr == _REF else f"Fn::GetAtt {logical_id}.{attr}"
            design.parameters[name] = {
                "Type": "String",
                "Default": "",
                "Description": f"From the {design.region} stack: {what} (global resource)",
            }
            json_array(design.metadata, "regional_parameters").append(name)


class _Unresolvable(Exception):
    """A copied resource refers to something the secondary Region cannot have."""


def _place(region: str, tier: Tier = "regional") -> Placement:
    """``Placement(region=region, tier=tier)`` (no VPC, no AZs), without validation."""
    return Placement.trusted(region=region, vpc=None, azs=[], tier=tier)


def _same_place(p: Placement) -> Placement:
    """A copy of ``p`` that shares nothing mutable with it."""
    return Placement.trusted(region=p.region, vpc=p.vpc, azs=list(p.azs), tier=p.tier)


def suffix(region: str) -> str:
    """``eu-west-2`` → ``EuWest2`` (logical-id suffix of a secondary Region's resources)."""
    return "".join(p.title() for p in region.split("-"))


def is_global(r: Resource) -> bool:
    if r.type.startswith(GLOBAL_PREFIXES):
        return True
    if r.type in ("AWS::WAFv2::WebACL", "AWS::WAFv2::IPSet", "AWS::WAFv2::RuleGroup"):
        return str(r.prop("Scope", "")).upper() == "CLOUDFRONT"
    return r.placement.region in ("global", "edge", "")


@cache
def _is_state_key(key: str) -> bool:
    return any(w in key for w in _STATE_WORDS)


#: The numbers of a usage (``isinstance`` with a tuple: ``int | float`` would make a union at each test).
_NUMBERS = (int, float)


def _scale_traffic(usage: dict[str, Any], factor: float) -> dict[str, Any]:
    out = dict(usage)
    for k, v in usage.items():
        if isinstance(v, bool) or not isinstance(v, _NUMBERS) or _is_state_key(k):
            continue
        scaled = v * factor
        out[k] = round(scaled) if isinstance(v, int) else round(scaled, 6)
    return out


#: The JSON-like containers the reference rewriting rebuilds.
_CONTAINERS = (dict, list)


def _name(design: Design, *parts: str, limit: int = 63) -> str:
    base = "-".join([design.name, design.environment, *parts]).lower()
    return re.sub(r"[^a-z0-9-]", "-", base)[:limit].strip("-")


def clone_resource(r: Resource, **update: Any) -> Resource:
    """A copy of ``r`` that shares nothing mutable with it (``update`` replaces fields as given)."""
    # the fields of a valid resource, copied: nothing to validate again
    clone = Resource.trusted(
        logical_id=r.logical_id,
        type=r.type,
        properties=json_copy(r.properties),
        usage=json_copy(r.usage) if r.usage else {},
        placement=_same_place(r.placement),
        metadata=json_copy(r.metadata),
        depends_on=list(r.depends_on),
        condition=r.condition,
        attributes=json_copy(r.attributes) if r.attributes else {},
    )
    return clone.model_copy(update=update) if update else clone


def clone_design(design: Design) -> Design:
    """A copy of ``design`` to build a strategy into: resources and the template sections copied, edges
    (never changed in place) shared."""
    return design.model_copy(
        update={
            "resources": [clone_resource(r) for r in design.resources],
            "edges": list(design.edges),
            "parameters": json_copy(design.parameters),
            "conditions": json_copy(design.conditions),
            "outputs": json_copy(design.outputs),
            "mappings": json_copy(design.mappings),
            "assumptions": json_copy(design.assumptions),
            "network": json_copy(design.network),
            "warnings": list(design.warnings),
            "metadata": json_copy(design.metadata),
        }
    )


# --------------------------------------------------------------------------------------------------
# reference rewriting
# --------------------------------------------------------------------------------------------------
_INTRINSIC_KEYS = frozenset({"Ref", "Fn::GetAtt", "Fn::Sub"})


def _rewrite(node: Any, rename: dict[str, str], replace: dict[str, dict[str, str]]) -> Any:
    """Rename references to copied resources; substitute references to resources that the secondary
    stack reaches by name (``replace[id][attr]`` is Fn::Sub text; ``replace[id]["ref"]`` for Ref)."""
    if isinstance(node, list):
        return [_rewrite(v, rename, replace) for v in node]
    if not isinstance(node, dict):
        return node
    if len(node) != 1 or next(iter(node)) not in _INTRINSIC_KEYS:
        return {k: _rewrite(v, rename, replace) for k, v in node.items()}

    name = intrinsics.ref_name(node)
    if name is not None:
        if name in rename:
            return {"Ref": rename[name]}
        if name in replace:
            return _sub_value(replace[name].get(_REF))
        return node
    ga = intrinsics.getatt(node)
    if ga is not None:
        target, attr = ga
        if target in rename:
            return {"Fn::GetAtt": [rename[target], attr]}
        if target in replace:
            return _sub_value(replace[target].get(attr))
        return node
    parts = intrinsics.sub_parts(intrinsics.call(node, "Fn::Sub"))
    if parts is not None:
        text, local = parts
        new_text = intrinsics.substitute(text, _sub_replacer(rename, replace, local))
        if local:
            return {"Fn::Sub": [new_text, _rewrite(local, rename, replace)]}
        return {"Fn::Sub": new_text}
    if isinstance(node, dict):
        return {k: _rewrite(v, rename, replace) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite(v, rename, replace) for v in node]
    return node


def _sub_replacer(
    rename: dict[str, str], replace: dict[str, dict[str, str]], local: dict[str, Any]
) -> Callable[[str, str], str | None]:
    """The ``replace`` function of :func:`cloudwright.cfn.intrinsics.substitute` for the variables of an
    ``Fn::Sub`` text with the local variables ``local``: copied resources renamed, the resources
    ``replace`` names substituted (:class:`_Unresolvable` when it has no value for the attribute)."""

    def repl(target: str, attr: str) -> str | None:
        if target in local:
            return None
        if target in rename:
            return "${" + rename[target] + (f".{attr}" if attr else "") + "}"
        if target in replace:
            value = replace[target].get(attr or _REF)
            if value is None:
                raise _Unresolvable(target)
            return value
        return None

    return repl


def _rewrite_swapped(
    node: Any,
    rename: dict[str, str],
    replace: dict[str, dict[str, str]],
    primary: str,
    secondary: str,
    found: set[str] | None = None,
) -> Any:
    """``_swap_region(_rewrite(node, rename, replace), primary, secondary)`` in one pass (the same calls to
    ``replace`` in the same order): every dict and list rebuilt, strings naming the primary Region name
    the secondary.

    ``found`` collects what the result refers to, as :func:`cloudwright.cfn.writer.references` of the
    result would (names in ``Ref``/``Fn::GetAtt``/``Fn::Sub`` and ``{"Condition": name}``): the walk
    already visits every intrinsic function, so the copy is not walked again to find them."""
    return _RewriteSwap(rename, replace, primary, secondary, found).walk(node)


class _RewriteSwap:
    """The walk of :func:`_rewrite_swapped` and what it needs. An object rather than a nested function: a
    recursive closure is a reference cycle (the function holds the cell that holds it) that keeps
    ``replace``, and through it the design, alive until the cyclic garbage collector runs."""

    __slots__ = ("found", "primary", "rename", "replace", "secondary")

    def __init__(
        self,
        rename: dict[str, str],
        replace: dict[str, dict[str, str]],
        primary: str,
        secondary: str,
        found: set[str] | None,
    ) -> None:
        self.rename, self.replace, self.primary, self.secondary = rename, replace, primary, secondary
        self.found = found

    def walk(self, node: Any) -> Any:
        """``node`` rewritten: intrinsic functions by :func:`_rewrite_intrinsic`, the children of a dict or
        list by :func:`_swap_children` (which calls this for the containers among them)."""
        if isinstance(node, dict):
            if len(node) == 1:
                ((key, value),) = node.items()
                if key in _INTRINSIC_KEYS:
                    return _rewrite_intrinsic(node, self)
                if key == "Condition" and self.found is not None:
                    value = (
                        value.replace(self.primary, self.secondary)
                        if isinstance(value, str)
                        else self.walk(value)
                    )
                    if isinstance(value, str):
                        self.found.add(value)
                    return {key: value}
        elif isinstance(node, str):
            return node.replace(self.primary, self.secondary)
        return _swap_children(node, self.primary, self.secondary, self.walk)


def _rewrite_intrinsic(node: dict[str, Any], w: _RewriteSwap) -> Any:
    """``_swap_region(_rewrite(node, ...))`` of a ``Ref``, ``Fn::GetAtt`` or ``Fn::Sub``, with what it
    refers to added to ``w.found``. ``Ref X`` and ``Fn::GetAtt [X, attr]`` to a resource that is copied
    or kept as it is (the most common), and an ``Fn::Sub`` of a text alone are rewritten here, without
    the general path."""
    rename, replace, primary, secondary = w.rename, w.replace, w.primary, w.secondary
    name = intrinsics.ref_name(node)
    if type(name) is str and (name in rename or name not in replace):
        name = rename.get(name, name).replace(primary, secondary)
        if w.found is not None:
            w.found.add(name)
        return {next(iter(node)): name}
    ga = intrinsics.call(node, "Fn::GetAtt")
    if type(ga) is list and len(ga) == 2:
        target, attr = ga
        if type(target) is str and type(attr) is str and (target in rename or target not in replace):
            target = rename.get(target, target).replace(primary, secondary)
            if w.found is not None:
                w.found.add(target)
            return {next(iter(node)): [target, attr.replace(primary, secondary)]}
    sub = intrinsics.call(node, "Fn::Sub")
    if type(sub) is str:
        # no local variables: the text's variables are what it refers to. Most name no resource that is
        # copied or replaced (pseudo parameters, parameters), and the text is only region-swapped (a Region
        # name has a hyphen, which no variable has: swapping makes and breaks none)
        variables = intrinsics.sub_variables(sub)
        if any(name in rename or name in replace for name, _ in variables):
            text = intrinsics.substitute(sub, _sub_replacer(rename, replace, {}))
            text = text.replace(primary, secondary)
            variables = intrinsics.sub_variables(text)
        else:
            text = sub.replace(primary, secondary)
        if w.found is not None:
            w.found.update([name for name, _ in variables])
        return {next(iter(node)): text}
    out = _swap_region(_rewrite(node, rename, replace), primary, secondary)
    if w.found is not None:
        w.found.update(_references(out))
    return out


def _references(node: Any) -> set[str] | tuple[str]:
    """:func:`cloudwright.cfn.writer.references` of a rewritten intrinsic function, without the walk for
    the most common ones (``Ref X``, ``Fn::GetAtt [X, attr]``)."""
    ref = intrinsics.ref_name(node)
    if type(ref) is str:
        return (ref,)
    ga = intrinsics.call(node, "Fn::GetAtt")
    if type(ga) is list and len(ga) == 2 and type(ga[0]) is str and type(ga[1]) is str:
        return (ga[0],)
    return references(node)


def _sub_value(text: str | None) -> Any:
    if text is None:
        raise _Unresolvable("attribute")
    if "${" not in text:
        return text
    whole = intrinsics.ref_target({"Fn::Sub": text})
    if whole is not None and text == "${" + whole + "}":
        return {"Ref": whole}
    return {"Fn::Sub": text}


def _swap_secret(node: Any, param: str) -> Any:
    """``Fn::GetAtt [Db, MasterUserSecret.SecretArn]`` (any database) → ``Ref param``."""
    if isinstance(node, dict):
        ga = intrinsics.getatt(node)
        if ga is not None and ga[1].startswith("MasterUserSecret"):
            return {"Ref": param}
        return {k: _swap_secret(v, param) if isinstance(v, _CONTAINERS) else v for k, v in node.items()}
    if isinstance(node, list):
        return [_swap_secret(v, param) if isinstance(v, _CONTAINERS) else v for v in node]
    return node


def _swap_region(node: Any, primary: str, secondary: str) -> Any:
    """Literal strings naming the primary Region (AZ names, ARNs) name the secondary instead."""
    if isinstance(node, str):
        return node.replace(primary, secondary)
    return _swap_children(node, primary, secondary, lambda v: _swap_region(v, primary, secondary))


def _swap_children(node: Any, primary: str, secondary: str, inner: Callable[[Any], Any]) -> Any:
    """A dict or list rebuilt one level deep: strings naming the primary Region name the secondary,
    containers go through ``inner``, other values are kept (leaves are not visited by a call). Anything
    else is returned as it is."""
    if isinstance(node, dict):
        # copied whole, and only what changes set again (most strings do not name the Region); a str
        # subclass is replaced by a plain str, as ``replace`` gives
        out = dict(node)
        for k, v in node.items():
            if isinstance(v, str):
                if primary in v or type(v) is not str:
                    out[k] = v.replace(primary, secondary)
            elif isinstance(v, _CONTAINERS):
                out[k] = inner(v)
        return out
    if isinstance(node, list):
        return [
            v.replace(primary, secondary)
            if isinstance(v, str)
            else inner(v)
            if isinstance(v, _CONTAINERS)
            else v
            for v in node
        ]
    return node


def _refs(r: Resource, in_properties: set[str] | None = None) -> set[str]:
    """What ``r`` refers to: the names in its properties (``in_properties`` when they are known already:
    that set is extended and returned), its dependencies and its condition."""
    found = references(r.properties) if in_properties is None else in_properties
    found.update(r.depends_on)
    if r.condition:
        found.add(r.condition)
    return found


# --------------------------------------------------------------------------------------------------
# cross-Region data pieces (primary side) and their secondary counterparts
# --------------------------------------------------------------------------------------------------
def _to_global_table(design: Design, r: Resource, secondary: str) -> dict[str, str]:
    """Turn a regional table into a global table (or add a replica to one); return how the secondary
    stack names it."""
    name = _name(design, r.logical_id, limit=255)
    if r.type == "AWS::DynamoDB::Table":
        p = r.properties
        replica: dict[str, Any] = {"Region": design.region}
        for key in ("PointInTimeRecoverySpecification", "DeletionProtectionEnabled", "TableClass", "Tags"):
            if key in p:
                replica[key] = p.pop(key)
        if "ContributorInsightsSpecification" in p:
            replica["ContributorInsightsSpecification"] = p.pop("ContributorInsightsSpecification")
        sse = p.pop("SSESpecification", None)
        if isinstance(sse, dict) and sse.get("KMSMasterKeyId") is not None:
            replica["SSESpecification"] = {"KMSMasterKeyId": sse["KMSMasterKeyId"]}
        p.pop("ProvisionedThroughput", None)
        for gsi in list_or_empty(p.get("GlobalSecondaryIndexes")):
            if isinstance(gsi, dict):
                gsi.pop("ProvisionedThroughput", None)
        p.pop("KinesisStreamSpecification", None)
        p["BillingMode"] = "PAY_PER_REQUEST"
        p["StreamSpecification"] = {"StreamViewType": "NEW_AND_OLD_IMAGES"}
        p["SSESpecification"] = {"SSEEnabled": True, "SSEType": "KMS"}
        p["Replicas"] = [replica]
        r.type = "AWS::DynamoDB::GlobalTable"
        r.metadata["label"] = f"{r.label} (global)"
        r.usage.setdefault(
            "monthly_replicated_write_request_units", r.usage.get("monthly_write_request_units")
        )
        # provisioned-capacity auto scaling does not apply to an on-demand global table
        design.resources = [
            x
            for x in design.resources
            if not (x.type.startswith("AWS::ApplicationAutoScaling::") and r.logical_id in _refs(x))
        ]
    replicas = json_array(r.properties, "Replicas")
    if not any(isinstance(x, dict) and x.get("Region") == secondary for x in replicas):
        first = dict(replicas[0]) if replicas and isinstance(replicas[0], dict) else {}
        first["Region"] = secondary
        first.pop("SSESpecification", None)  # a key of the primary Region cannot encrypt another Region
        replicas.append(first)
    if any(isinstance(x, dict) and "SSESpecification" in x for x in replicas):
        for x in replicas:
            if isinstance(x, dict):
                x.pop("SSESpecification", None)
    r.properties["TableName"] = name
    r.metadata["dr"] = f"global table replica in {secondary}"
    return {
        _REF: name,
        "Arn": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/" + name,
    }


def _aurora_secondary(design: Design, cluster: Resource, copy_: Resource, secondary: str) -> None:
    """Primary: an Aurora global database from the cluster. Secondary copy: a member cluster."""
    gid = _name(design, "global")
    gc_id = f"{cluster.logical_id}Global"
    if design.get(gc_id) is None:
        design.add(
            _new_resource(
                logical_id=gc_id,
                type="AWS::RDS::GlobalCluster",
                properties={
                    "GlobalClusterIdentifier": gid,
                    "SourceDBClusterIdentifier": {"Ref": cluster.logical_id},
                    "DeletionProtection": design.environment == "prod",
                },
                placement=_same_place(cluster.placement),
                metadata={
                    "label": "Aurora global database",
                    "role": "database",
                    "rationale": f"storage-level replication to {secondary}, typically under a second",
                    "sizing": [
                        {"rule": "Aurora global database", "value": secondary, "source": SRC_AURORA_GLOBAL}
                    ],
                },
            )
        )
    p = copy_.properties
    for key in (
        "MasterUsername",
        "MasterUserPassword",
        "ManageMasterUserPassword",
        "MasterUserSecret",
        "DatabaseName",
        "SnapshotIdentifier",
    ):
        p.pop(key, None)
    p["GlobalClusterIdentifier"] = gid
    copy_.depends_on = []
    copy_.metadata["label"] = f"{cluster.label} (global secondary)"
    copy_.metadata["dr"] = f"secondary cluster of the Aurora global database {gid}"


def _rds_replica(design: Design, db: Resource, copy_: Resource) -> None:
    """Primary: a fixed identifier. Secondary copy: a cross-Region read replica of it."""
    ident = db.properties.setdefault("DBInstanceIdentifier", _name(design, db.logical_id))
    p = copy_.properties
    keep = {
        "DBInstanceClass",
        "DBSubnetGroupName",
        "VPCSecurityGroups",
        "MultiAZ",
        "KmsKeyId",
        "StorageEncrypted",
        "PubliclyAccessible",
        "StorageType",
        "DBParameterGroupName",
        "EnableIAMDatabaseAuthentication",
        "MonitoringInterval",
        "MonitoringRoleArn",
        "EnablePerformanceInsights",
        "PerformanceInsightsKMSKeyId",
        "CopyTagsToSnapshot",
        "AutoMinorVersionUpgrade",
        "DeletionProtection",
        "EnableCloudwatchLogsExports",
        "Tags",
    }
    for key in list(p):
        if key not in keep:
            p.pop(key)
    p.pop("StorageEncrypted", None)  # a replica inherits encryption from its source
    p["SourceDBInstanceIdentifier"] = {
        "Fn::Sub": f"arn:${{AWS::Partition}}:rds:{design.region}:${{AWS::AccountId}}:db:{ident}"
    }
    p["SourceRegion"] = design.region
    copy_.metadata["label"] = f"{db.label} (cross-Region replica)"
    copy_.metadata["dr"] = f"cross-Region read replica of {ident}"
    copy_.metadata["sizing"] = [
        {"rule": "cross-Region read replica", "value": ident, "source": SRC_RDS_XREGION}
    ]


def _replica_bucket_name(design: Design, bucket: Resource, secondary: str) -> str:
    return _name(design, bucket.logical_id.lower(), secondary, limit=50) + "-${AWS::AccountId}"


def _prepare_replica_bucket(design: Design, bucket: Resource, copy_: Resource, secondary: str) -> None:
    """The secondary copy of a bucket: a fixed name the primary's replication rule can point at."""
    copy_.properties["BucketName"] = {"Fn::Sub": _replica_bucket_name(design, bucket, secondary)}
    copy_.properties["VersioningConfiguration"] = {"Status": "Enabled"}
    copy_.properties.pop("ReplicationConfiguration", None)
    copy_.properties.pop("NotificationConfiguration", None)
    copy_.metadata["dr"] = f"replica of {bucket.logical_id}"


def _replicate_bucket(
    design: Design, bucket: Resource, copy_: Resource, secondary: str, growth_gb: float, key_alias: str | None
) -> None:
    """Primary bucket replicates to the secondary copy (fixed name); inter-Region transfer is priced."""
    dest = _replica_bucket_name(design, bucket, secondary)
    role_id = "S3ReplicationRole"
    if design.get(role_id) is None:
        design.add(
            _new_resource(
                logical_id=role_id,
                type="AWS::IAM::Role",
                properties={
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "s3.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                            }
                        ],
                    },
                },
                placement=_place(bucket.placement.region, bucket.placement.tier),
                metadata={"label": "S3 replication role", "role": "security"},
            )
        )
    statements: list[JsonValue] = [
        {
            "Effect": "Allow",
            "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            "Resource": {"Fn::GetAtt": [bucket.logical_id, "Arn"]},
        },
        {
            "Effect": "Allow",
            "Action": [
                "s3:GetObjectVersionForReplication",
                "s3:GetObjectVersionAcl",
                "s3:GetObjectVersionTagging",
            ],
            "Resource": {"Fn::Sub": "${" + bucket.logical_id + ".Arn}/*"},
        },
        {
            "Effect": "Allow",
            "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
            "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::" + dest + "/*"},
        },
    ]
    if key_alias:
        statements.append(
            {
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                "Resource": {"Fn::Sub": "arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*"},
            }
        )
    # a separate policy (not inline on the role) so that bucket → role → bucket is no cycle
    design.add(
        _new_resource(
            logical_id=f"{bucket.logical_id}Replication{suffix(secondary)}",
            type="AWS::IAM::Policy",
            properties={
                "PolicyName": f"replicate-{bucket.logical_id}-{secondary}",
                "Roles": [{"Ref": role_id}],
                "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
            },
            placement=_place(bucket.placement.region, bucket.placement.tier),
            metadata={"label": f"replication policy for {bucket.logical_id}", "role": "security"},
        )
    )

    rule: dict[str, JsonValue] = {
        "Id": f"to-{secondary}",
        "Status": "Enabled",
        "Priority": 1,
        "Filter": {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "Destination": {"Bucket": {"Fn::Sub": "arn:${AWS::Partition}:s3:::" + dest}},
    }
    enc = bucket.prop("BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault")
    if isinstance(enc, dict) and str(enc.get("SSEAlgorithm", "")).startswith("aws:kms") and key_alias:
        rule["SourceSelectionCriteria"] = {"SseKmsEncryptedObjects": {"Status": "Enabled"}}
        json_object(rule, "Destination")["EncryptionConfiguration"] = {
            "ReplicaKmsKeyID": {
                "Fn::Sub": f"arn:${{AWS::Partition}}:kms:{secondary}:${{AWS::AccountId}}:{key_alias}"
            }
        }
    bucket.properties["VersioningConfiguration"] = {"Status": "Enabled"}
    bucket.properties.setdefault(
        "ReplicationConfiguration", {"Role": {"Fn::GetAtt": [role_id, "Arn"]}, "Rules": []}
    )
    rules = json_array(json_object(bucket.properties, "ReplicationConfiguration"), "Rules")
    rule["Priority"] = len(rules) + 1
    rules.append(rule)
    bucket.usage["monthly_replicated_gb"] = round(growth_gb * len(rules), 6)
    bucket.metadata["dr"] = "replicates to " + ", ".join(
        str(dict_or_empty(r).get("Id")).removeprefix("to-") for r in rules
    )
    sizing = list(list_or_empty(bucket.metadata.get("sizing")))
    sizing.append(
        {
            "rule": "new objects replicate once to the secondary Region (inter-Region transfer)",
            "value": f"{growth_gb} GB/month (data growth)",
            "source": SRC_S3_REPLICATION,
        }
    )
    bucket.metadata["sizing"] = sizing
    design.connect(bucket.logical_id, copy_.logical_id, "data", "S3 replication")


def _is_log_bucket(r: Resource) -> bool:
    return r.type == "AWS::S3::Bucket" and (
        str(r.metadata.get("role", "")) in ("logs", "security")
        or "Log" in r.logical_id
        or "Trail" in r.logical_id
    )


# --------------------------------------------------------------------------------------------------
# AWS Backup (backup & restore)
# --------------------------------------------------------------------------------------------------
_ARN = "arn:${AWS::Partition}:SVC:${AWS::Region}:${AWS::AccountId}:KIND${ID}"
_BACKUP_TYPES = {
    "AWS::DynamoDB::Table": _ARN.replace("SVC", "dynamodb").replace("KIND", "table/"),
    "AWS::RDS::DBInstance": _ARN.replace("SVC", "rds").replace("KIND", "db:"),
    "AWS::RDS::DBCluster": _ARN.replace("SVC", "rds").replace("KIND", "cluster:"),
    "AWS::EFS::FileSystem": _ARN.replace("SVC", "elasticfilesystem").replace("KIND", "file-system/"),
    "AWS::S3::Bucket": "arn:${AWS::Partition}:s3:::${ID}",
}


def _kms_key(design: Design, region: str) -> str | None:
    for r in design.sorted_resources():
        if r.type == "AWS::KMS::Key" and r.placement.region == region:
            return r.logical_id
    return None


def _vault_key(design: Design, logical_id: str, region: str) -> Resource:
    return _new_resource(
        logical_id=logical_id,
        type="AWS::KMS::Key",
        properties={
            "Description": f"{design.name} backups in {region}",
            "EnableKeyRotation": True,
            "KeyPolicy": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AccountAdmin",
                        "Effect": "Allow",
                        "Principal": {
                            "AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
                        },
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            },
        },
        placement=_place(region),
        metadata={"label": f"backup vault key ({region})", "role": "encryption"},
        usage={"monthly_requests": 0},
    )


def _add_backup(design: Design, req: Requirements, secondary: str) -> None:
    sfx = suffix(secondary)
    vault_name = _name(design, "vault")
    key = _kms_key(design, design.region)
    if key is None:
        key = "BackupVaultKey"
        design.add(_vault_key(design, key, design.region))
    data_gb = round(req.data_size_gb + req.data_growth_gb_per_month, 3)
    vault_props: dict[str, Any] = {"BackupVaultName": vault_name}
    if key:
        vault_props["EncryptionKeyArn"] = {"Fn::GetAtt": [key, "Arn"]}
    design.add(
        _new_resource(
            logical_id="BackupVault",
            type="AWS::Backup::BackupVault",
            properties=vault_props,
            placement=_place(design.region),
            metadata={"label": "AWS Backup vault", "role": "backup"},
            usage={"storage_gb": data_gb},
        )
    )
    sec_key = f"BackupVaultKey{sfx}"
    design.add(_vault_key(design, sec_key, secondary))
    design.add(
        _new_resource(
            logical_id=f"BackupVault{sfx}",
            type="AWS::Backup::BackupVault",
            properties={"BackupVaultName": vault_name, "EncryptionKeyArn": {"Fn::GetAtt": [sec_key, "Arn"]}},
            placement=_place(secondary),
            metadata={
                "label": f"AWS Backup vault copy ({secondary})",
                "role": "backup",
                "dr": f"receives a copy of every recovery point from {design.region}",
                "sizing": [
                    {"rule": "copy of every backup", "value": f"{data_gb} GB", "source": SRC_BACKUP_COPY}
                ],
            },
            usage={"storage_gb": data_gb},
        )
    )
    design.add(
        _new_resource(
            logical_id="BackupRole",
            type="AWS::IAM::Role",
            properties={
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "backup.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "ManagedPolicyArns": [
                    {
                        "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/"
                        "AWSBackupServiceRolePolicyForBackup"
                    },
                    {
                        "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/"
                        "AWSBackupServiceRolePolicyForRestores"
                    },
                ],
            },
            placement=_place(design.region),
            metadata={"label": "AWS Backup role", "role": "security"},
        )
    )
    design.add(
        _new_resource(
            logical_id="BackupPlan",
            type="AWS::Backup::BackupPlan",
            properties={
                "BackupPlan": {
                    "BackupPlanName": _name(design, "hourly"),
                    "BackupPlanRule": [
                        {
                            "RuleName": "hourly-with-cross-region-copy",
                            "TargetBackupVault": {"Ref": "BackupVault"},
                            "ScheduleExpression": "cron(0 * ? * * *)",
                            "Lifecycle": {"DeleteAfterDays": 35},
                            "CopyActions": [
                                {
                                    "DestinationBackupVaultArn": {
                                        "Fn::Sub": f"arn:${{AWS::Partition}}:backup:{secondary}:"
                                        f"${{AWS::AccountId}}:backup-vault:{vault_name}"
                                    },
                                    "Lifecycle": {"DeleteAfterDays": 35},
                                }
                            ],
                        }
                    ],
                }
            },
            placement=_place(design.region),
            metadata={
                "label": "AWS Backup plan (hourly, copy to the secondary Region)",
                "role": "backup",
                "sizing": [
                    {
                        "rule": "each month's new data is copied across Regions once (incremental copies)",
                        "value": f"{req.data_growth_gb_per_month} GB/month",
                        "source": SRC_BACKUP_COPY,
                    }
                ],
            },
            usage={"monthly_copied_gb": req.data_growth_gb_per_month},
        )
    )
    arns: list[JsonValue] = [
        {"Fn::Sub": tmpl.replace("${ID}", "${" + r.logical_id + "}")}
        for r in design.sorted_resources()
        if r.placement.region == design.region
        and (tmpl := _BACKUP_TYPES.get(r.type)) is not None
        and not _is_log_bucket(r)
        and not (r.type == "AWS::RDS::DBInstance" and r.prop("DBClusterIdentifier") is not None)
        and not (r.type == "AWS::RDS::DBInstance" and r.prop("SourceDBInstanceIdentifier") is not None)
        and not (r.type == "AWS::S3::Bucket" and str(r.metadata.get("role", "")) == "frontend")
    ]
    for gt in design.by_type("AWS::DynamoDB::GlobalTable"):
        arns.append({"Fn::GetAtt": [gt.logical_id, "Arn"]})
    if arns:
        design.add(
            _new_resource(
                logical_id="BackupSelection",
                type="AWS::Backup::BackupSelection",
                properties={
                    "BackupPlanId": {"Ref": "BackupPlan"},
                    "BackupSelection": {
                        "SelectionName": "data-stores",
                        "IamRoleArn": {"Fn::GetAtt": ["BackupRole", "Arn"]},
                        "Resources": arns,
                    },
                },
                placement=_place(design.region),
                metadata={"label": "AWS Backup selection (the data stores)", "role": "backup"},
            )
        )
    design.connect("BackupPlan", "BackupVault", "data", "hourly backups")
    design.connect("BackupVault", f"BackupVault{sfx}", "data", "copy")


# --------------------------------------------------------------------------------------------------
# DNS failover / latency records
# --------------------------------------------------------------------------------------------------
_ZONE = "AWS::Route53::HostedZone"
_LB = "AWS::ElasticLoadBalancingV2::LoadBalancer"
#: The APIs a health check can point at when there is no load balancer, in the order they are preferred.
_API_TYPES = ("AWS::ApiGatewayV2::Api", "AWS::ApiGateway::RestApi")
_DNS_TYPES = frozenset({_ZONE, _LB, *_API_TYPES})
#: Health checks and records of the primary Region that :func:`_add_dns` reuses when the design has them.
_DNS_IDS = ("AppHealthCheck", "DrHealthCheck", "DrPrimaryRecord", "PrimaryRecord")


def _dns_firsts(design: Design) -> dict[str, Resource]:
    """Per type of :data:`_DNS_TYPES`: the resource of that type with the smallest logical id (the first
    in logical-id order; regional APIs only), in one pass over the resources."""
    out: dict[str, Resource] = {}
    for r in design.resources:
        t = r.type
        if t in _DNS_TYPES and (t in (_ZONE, _LB) or not is_global(r)):
            first = out.get(t)
            if first is None or r.logical_id < first.logical_id:
                out[t] = r
    return out


def _primary_endpoint(firsts: dict[str, Resource]) -> Any:
    lb = firsts.get(_LB)
    if lb is not None:
        return {"Fn::GetAtt": [lb.logical_id, "DNSName"]}
    for t in _API_TYPES:
        api = firsts.get(t)
        if api is not None:
            return {"Fn::Sub": "${" + api.logical_id + "}.execute-api.${AWS::Region}.amazonaws.com"}
    return None


def _global_place() -> Placement:
    return _place("global", "global")


def _new_resource(
    *,
    logical_id: str,
    type: str,
    properties: dict[str, Any],
    placement: Placement,
    metadata: dict[str, JsonValue],
    condition: str | None = None,
    usage: dict[str, JsonValue] | None = None,
) -> Resource:
    """A resource this module adds, from values of the right types (what ``Resource(...)`` makes of them,
    without validating them again: see :meth:`Resource.trusted`)."""
    return Resource.trusted(
        logical_id=logical_id,
        type=type,
        properties=properties,
        usage={} if usage is None else usage,
        placement=placement,
        metadata=metadata,
        depends_on=[],
        condition=condition,
        attributes={},
    )


def _add_dns(design: Design, strategy: str, secondary: str) -> None:
    sfx = suffix(secondary)
    firsts = _dns_firsts(design)
    zone = firsts.get(_ZONE)
    endpoint = _primary_endpoint(firsts)
    if endpoint is None:
        design.warnings.append(
            f"No regional endpoint to health-check: point clients at the {secondary} stack by hand "
            "on failover."
        )
        return
    # the logical ids of the design as it was given
    existing = {lid for lid in (*_DNS_IDS, f"ApiLatencyRecord{sfx}") if design.get(lid) is not None}
    param, cond = f"DrHost{sfx}", f"HasDrHost{sfx}"
    if strategy == "active-active" and f"ApiLatencyRecord{sfx}" in existing:
        return  # the latency records of the multi-Region pattern already route to this Region
    design.parameters[param] = {
        "Type": "String",
        "Default": "",
        "Description": f"Endpoint host name of the {secondary} stack (leave empty until it is deployed)",
    }
    design.conditions[cond] = {"Fn::Not": [{"Fn::Equals": [{"Ref": param}, ""]}]}
    health: dict[str, JsonValue] = {
        "Type": "HTTPS",
        "ResourcePath": "/health",
        "Port": 443,
        "RequestInterval": 30,
        "FailureThreshold": 3,
    }
    primary_hc = "AppHealthCheck" if "AppHealthCheck" in existing else "DrHealthCheck"
    if primary_hc not in existing:
        design.add(
            _new_resource(
                logical_id=primary_hc,
                type="AWS::Route53::HealthCheck",
                properties={"HealthCheckConfig": {**health, "FullyQualifiedDomainName": endpoint}},
                placement=_global_place(),
                metadata={
                    "label": f"health check {design.region}",
                    "role": "dns",
                    "rationale": "3 failures at 30 s mark the primary Region unhealthy",
                },
            )
        )
    design.add(
        _new_resource(
            logical_id=f"DrHealthCheck{sfx}",
            type="AWS::Route53::HealthCheck",
            properties={"HealthCheckConfig": {**health, "FullyQualifiedDomainName": {"Ref": param}}},
            placement=_global_place(),
            condition=cond,
            metadata={"label": f"health check {secondary}", "role": "dns"},
        )
    )
    if zone is None:
        design.warnings.append(
            "The design has no Route 53 hosted zone: the health checks detect a Region failure, but the "
            f"switch to {secondary} needs a DNS record in your zone (failover routing, TTL 60 s)."
        )
        return
    name: JsonValue = (
        {"Fn::Sub": "app.${DomainName}"} if "DomainName" in design.parameters else zone.prop("Name")
    )
    routing: dict[str, Any]
    if strategy == "active-active":
        prim: dict[str, Any] = {"SetIdentifier": design.region, "Region": design.region}
        routing = {"SetIdentifier": secondary, "Region": secondary}
    else:
        prim = {"SetIdentifier": "primary", "Failover": "PRIMARY"}
        routing = {"SetIdentifier": "secondary", "Failover": "SECONDARY"}
    if "DrPrimaryRecord" in existing:
        name = design["DrPrimaryRecord"].prop("Name")
    elif "PrimaryRecord" not in existing or strategy == "active-active":
        design.add(
            _new_resource(
                logical_id="DrPrimaryRecord",
                type="AWS::Route53::RecordSet",
                properties={
                    "HostedZoneId": {"Ref": zone.logical_id},
                    "Name": name,
                    "Type": "CNAME",
                    "TTL": "60",
                    "ResourceRecords": [endpoint],
                    "HealthCheckId": {"Ref": primary_hc},
                    **prim,
                },
                placement=_global_place(),
                metadata={"label": f"{design.region} record", "role": "dns"},
            )
        )
    else:
        name = design["PrimaryRecord"].prop("Name")
    rec_type = "A" if "PrimaryRecord" in existing and strategy != "active-active" else "CNAME"
    props: dict[str, Any] = {
        "HostedZoneId": {"Ref": zone.logical_id},
        "Name": name,
        "HealthCheckId": {"Ref": f"DrHealthCheck{sfx}"},
        **routing,
    }
    if rec_type == "A":
        # the primary is an alias A record; a CNAME cannot share its name, so the standby is an A alias
        # to the secondary load balancer, given by host name and canonical zone id parameters
        zparam = f"DrZone{sfx}"
        design.parameters[zparam] = {
            "Type": "String",
            "Default": "",
            "Description": f"Canonical hosted zone id of the {secondary} load balancer",
        }
        props.update(
            {
                "Type": "A",
                "AliasTarget": {
                    "HostedZoneId": {"Ref": zparam},
                    "DNSName": {"Ref": param},
                    "EvaluateTargetHealth": True,
                },
            }
        )
    else:
        props.update({"Type": "CNAME", "TTL": "60", "ResourceRecords": [{"Ref": param}]})
    design.add(
        _new_resource(
            logical_id=f"DrRecord{sfx}",
            type="AWS::Route53::RecordSet",
            properties=props,
            placement=_global_place(),
            condition=cond,
            metadata={
                "label": f"{secondary} record ({'latency' if strategy == 'active-active' else 'failover'})",
                "role": "dns",
                "sizing": [
                    {"rule": "TTL 60 s, health-checked", "value": secondary, "source": SRC_R53_FAILOVER}
                ],
            },
        )
    )
    design.connect(zone.logical_id, f"DrRecord{sfx}", "request", f"{strategy} → {secondary}")


# --------------------------------------------------------------------------------------------------
# the secondary stack
# --------------------------------------------------------------------------------------------------
def _keep_for(strategy: str, r: Resource) -> bool:
    if strategy in ("active-active", "warm-standby"):
        return True
    if strategy == "pilot-light":
        if r.type in PILOT_LIGHT_DATA and r.prop("SourceDBInstanceIdentifier") is None:
            return True
        return r.type in PILOT_LIGHT_TYPES and not _is_log_bucket(r)
    return False


def _stack_candidates(
    design: Design, strategy: str, secondary: str
) -> tuple[list[Resource], set[str], dict[str, dict[str, str]], list[tuple[str, str, str]]]:
    """The primary's resources ``strategy`` may copy to ``secondary`` (sorted by logical id: the pilot
    light copies those :func:`_closure_copies` reaches), the logical ids among them that are not copied
    (``skip``), how the copies reach the resources they do not copy (``replace``: DynamoDB tables made
    global, global resources through parameters) and the list of the parameters those are asked for."""
    region = design.region
    replace: dict[str, dict[str, str]] = {}
    asked: list[tuple[str, str, str]] = []
    tables = [
        r
        for r in design.resources
        if r.type in _TABLE_TYPES and r.placement.region == region and not is_global(r)
    ]
    for r in sorted(tables, key=_BY_ID):
        replace[r.logical_id] = _to_global_table(design, r, secondary)
    # one pass over the resources (a table made global may have dropped its auto scaling resources):
    # global resources (CloudFront, Route 53, WAF for CloudFront) stay in the primary stack; a copy that
    # refers to one gets it through a parameter of its Region's template (filled from the primary stack)
    global_ids: set[str] = set()
    pool: list[Resource] = []
    for r in sorted(design.resources, key=_BY_ID):
        lid = r.logical_id
        if is_global(r):
            global_ids.add(lid)
            if lid not in replace:
                replace[lid] = _GlobalParams(lid, asked)
        elif r.placement.region == region and lid not in replace and not r.type.startswith("AWS::Backup::"):
            pool.append(r)
    # RDS read replicas of the primary are not copied (the copy is itself the replica)
    skip = {
        r.logical_id
        for r in pool
        if r.type == "AWS::RDS::DBInstance" and r.prop("SourceDBInstanceIdentifier") is not None
    }
    if strategy == "warm-standby":
        # one Aurora instance is enough for a warm standby; the readers are created on failover
        members: dict[str, list[Resource]] = {}
        for r in pool:
            if r.type == "AWS::RDS::DBInstance" and r.logical_id not in skip:
                cid = intrinsics.ref_name(r.prop("DBClusterIdentifier"))
                if cid is not None:
                    members.setdefault(cid, []).append(r)
        skip.update(m.logical_id for ms in members.values() for m in sorted(ms, key=_BY_ID)[1:])
    # WAF logging and associations of a CloudFront web ACL belong with the ACL (us-east-1), not in a copy
    skip.update(r.logical_id for r in pool if r.type.startswith("AWS::WAFv2::") and _refs(r) & global_ids)
    return pool, skip, replace, asked


#: A resource's secondary copy and the names its properties refer to (None: it cannot be copied).
_Made = tuple[Resource, set[str]] | None


def _closure_copies(
    pool: list[Resource], skip: set[str], rename: dict[str, str], copy: Callable[[Resource], _Made]
) -> dict[str, _Made]:
    """The pilot light's copies by original logical id: of the resources it keeps (:func:`_keep_for`) and,
    again and again, of the resources of ``pool`` they refer to (but those in ``skip``, which are not
    copied). What a copy refers to is what its rewrite found, named back to the originals: each resource
    is walked once. ``rename`` covers the whole pool."""
    by_id = {r.logical_id: r for r in pool}
    original = {v: k for k, v in rename.items()}
    made: dict[str, _Made] = {}
    reached: set[str] = set()
    todo = sorted(r.logical_id for r in pool if _keep_for("pilot-light", r))
    while todo:
        lid = todo.pop()
        if lid in reached:
            continue
        reached.add(lid)
        r = by_id[lid]
        result = None
        if lid not in skip:
            result = made[lid] = copy(r)
        in_properties = None if result is None else {original.get(name, name) for name in result[1]}
        refs = _refs(r, in_properties)
        todo.extend(sorted(refs & by_id.keys()))
    # a copy in a VPC of the pool that the pilot light does not copy keeps the primary's VPC id
    for lid, result in made.items():
        vpc = by_id[lid].placement.vpc
        if result is not None and vpc in rename and vpc not in reached:
            result[0].placement.vpc = vpc
    return made


def _copy_resource(
    r: Resource,
    rename: dict[str, str],
    replace: dict[str, dict[str, str]],
    primary: str,
    secondary: str,
    strategy: str,
) -> tuple[Resource, set[str]] | None:
    """The secondary copy of ``r`` and the names its properties refer to; None when it refers to
    something the secondary Region cannot have. The copy shares nothing mutable with ``r``."""
    found: set[str] = set()
    try:
        # rewriting and swapping rebuild every dict and list of the properties: no deep copy needed
        props = _rewrite_swapped(r.properties, rename, replace, primary, secondary, found)
    except _Unresolvable:
        return None
    place = r.placement
    metadata = json_copy(r.metadata)
    metadata["label"] = f"{metadata.get('label') or r.logical_id} ({secondary})"  # r.label, of the copy
    metadata["dr"] = f"{strategy} copy of {r.logical_id}"
    copy_ = Resource.trusted(
        logical_id=rename[r.logical_id],
        type=r.type,
        properties=props,
        # active-active: the primary's usage is already its share (apply_strategy)
        usage=dict(r.usage) if strategy == "active-active" else _scale_traffic(r.usage, 0.0),
        placement=Placement.trusted(
            region=secondary,
            vpc=rename.get(place.vpc or "", place.vpc),
            azs=[az.replace(primary, secondary) for az in place.azs] if place.azs else [],
            tier=place.tier,
        ),
        metadata=metadata,
        depends_on=[rename[d] for d in r.depends_on if d in rename] if r.depends_on else [],
        condition=r.condition,
        attributes=json_copy(r.attributes) if r.attributes else {},
    )
    return copy_, found


def _link_copy(design: Design, orig: Resource, c: Resource, strategy: str, secondary: str) -> bool:
    """Cross-Region links of a data store's copy, minimum capacity of a warm standby's compute; True when
    the copy's properties or dependencies changed."""
    if c.type == "AWS::RDS::DBCluster":
        _aurora_secondary(design, orig, c, secondary)
        design.connect(orig.logical_id, c.logical_id, "data", "Aurora global replication")
    elif c.type == "AWS::RDS::DBInstance" and orig.prop("DBClusterIdentifier") is None:
        _rds_replica(design, orig, c)
        design.connect(orig.logical_id, c.logical_id, "data", "cross-Region replication")
    elif c.type == "AWS::AutoScaling::AutoScalingGroup" and strategy == "warm-standby":
        c.properties["MinSize"] = "1"
        c.properties["DesiredCapacity"] = "1"
        c.metadata["dr"] = f"{c.metadata['dr']}; minimum capacity, scaled out on failover"
    elif c.type == "AWS::ECS::Service" and strategy == "warm-standby":
        c.properties["DesiredCount"] = 1
        c.metadata["dr"] = f"{c.metadata['dr']}; one task, scaled out on failover"
    elif c.type == "AWS::EKS::Nodegroup" and strategy == "warm-standby":
        sc = dict(dict_or_empty(c.properties.get("ScalingConfig")))
        sc.update({"MinSize": 1, "DesiredSize": 1})
        c.properties["ScalingConfig"] = sc
    else:
        return False
    return True


def _mentions(node: Any, text: str) -> bool:
    """``text in str(node)`` for a JSON fragment and a ``text`` of ASCII letters: some key or string in
    ``node`` contains ``text``. Found in the fragment's ``marshal`` bytes (format 0: each string is its
    UTF-8 bytes after a type byte and a 4-byte length, and no type byte of a JSON value is a letter, so a
    match never spans two values), several times faster than ``str``, which formats every value."""
    try:
        return text.encode() in marshal.dumps(node, 0)
    except ValueError:  # a value marshal cannot write (a Decimal, a subclass) or too deep for it
        return text in str(node)


def _copy_stack(design: Design, req: Requirements, strategy: str, secondary: str) -> None:
    sfx = suffix(secondary)
    pool, skip, replace, asked = _stack_candidates(design, strategy, secondary)
    rename = {r.logical_id: f"{r.logical_id}{sfx}" for r in pool if r.logical_id not in skip}
    #: per original: the global parameters its copy asked for
    asks: dict[str, list[tuple[str, str, str]]] = {}

    def copy(r: Resource) -> _Made:
        start = len(asked)
        made = _copy_resource(r, rename, replace, design.region, secondary, strategy)
        asks[r.logical_id] = asked[start:]
        return made

    if strategy == "pilot-light":
        made = _closure_copies(pool, skip, rename, copy)
    else:
        made = {r.logical_id: copy(r) for r in pool if r.logical_id not in skip}
    origs: dict[str, Resource] = {}
    copies: dict[str, Resource] = {}
    #: what each copy's properties refer to, while they are as the rewrite made them
    found: dict[str, set[str]] = {}
    for r in pool:  # in logical-id order
        lid = r.logical_id
        if lid in asks:
            _add_global_params(design, asks[lid])
        result = made.get(lid)
        if result is not None:
            origs[lid] = r
            copies[lid], found[lid] = result
    # data stores and their cross-Region links
    for orig_id, c in copies.items():
        if _link_copy(design, origs[orig_id], c, strategy, secondary):
            del found[orig_id]
    key_alias: str | None = None
    if any(c.type == "AWS::KMS::Key" for c in copies.values()):
        key_alias = f"alias/{_name(design, 'dr', secondary)}"
    # RDS keeps the master secret of the primary database in the primary Region only: compute in the
    # recovery Region reads the credentials from a secret named by a parameter of its template (a copy of
    # the credentials kept in that Region — replicate your own secret there, or create it on promotion)
    secret_param = f"DatabaseSecretArn{sfx}"
    for orig_id, c in copies.items():
        if c.type in ("AWS::RDS::DBCluster", "AWS::RDS::DBInstance"):
            continue
        if _mentions(c.properties, "MasterUserSecret"):
            c.properties = _swap_secret(c.properties, secret_param)
            found.pop(orig_id, None)
            if secret_param not in design.parameters:
                design.parameters[secret_param] = {
                    "Type": "String",
                    "AllowedPattern": "^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$",
                    "Description": f"ARN of the database credentials secret in {secondary} (the primary's "
                    "RDS-managed secret stays in its Region; replicate a copy here before failover)",
                }
                json_array(design.metadata, "regional_parameters").append(secret_param)
    if key_alias:
        kid = next(c.logical_id for c in copies.values() if c.type == "AWS::KMS::Key")
        copies["__alias__"] = _new_resource(
            logical_id=f"DrKeyAlias{sfx}",
            type="AWS::KMS::Alias",
            properties={"AliasName": key_alias, "TargetKeyId": {"Ref": kid}},
            placement=_place(secondary),
            metadata={"label": f"key alias ({secondary})", "role": "encryption"},
        )
    replicated = [
        orig_id
        for orig_id, c in copies.items()
        if c.type == "AWS::S3::Bucket" and orig_id in rename and not _is_log_bucket(origs[orig_id])
    ]
    for orig_id in replicated:
        _prepare_replica_bucket(design, origs[orig_id], copies[orig_id], secondary)
        found.pop(orig_id, None)
    kept = _resolvable(design, copies, found)
    for c in sorted(kept.values(), key=_BY_ID):
        design.add(c)
    connect = design.connect
    for e in design.edges[:]:
        source, target = rename.get(e.source), rename.get(e.target)
        if source is not None and target is not None and source in kept and target in kept:
            connect(source, target, e.kind, e.label)
    for orig_id in replicated:
        if rename[orig_id] in kept:
            growth = req.data_growth_gb_per_month
            _replicate_bucket(design, origs[orig_id], kept[rename[orig_id]], secondary, growth, key_alias)


def _resolvable(
    design: Design, copies: dict[str, Resource], found: dict[str, set[str]]
) -> dict[str, Resource]:
    """The copies (by their own logical id) left once those referring to something the secondary stack
    does not have are dropped, until none does. ``found[orig_id]``: what the copy refers to, when its
    properties are as the rewrite made them (the others are walked again)."""
    params = set(design.parameters)
    params.update(design.conditions)
    kept: dict[str, Resource] = {}
    #: per copy, the names it refers to that are neither a parameter, a condition nor a pseudo parameter
    #: (those starting ``AWS::`` are left out where one is missing: :func:`_lacks`)
    needs: dict[str, set[str]] = {}
    for orig_id, c in copies.items():
        refs = _refs(c, found.get(orig_id))  # the rewrite's own set, used for this alone
        refs -= params
        refs -= intrinsics.PSEUDO_PARAMETERS
        kept[c.logical_id] = c
        needs[c.logical_id] = refs
    while True:
        ids = kept.keys()
        bad = [lid for lid in kept if not ids >= needs[lid] and _lacks(kept, needs[lid])]
        if not bad:
            return kept
        for lid in bad:
            del kept[lid]


def _lacks(kept: dict[str, Resource], needs: set[str]) -> bool:
    """Some name in ``needs`` is neither a kept copy nor a pseudo parameter (``AWS::…``)."""
    return any(not x.startswith("AWS::") for x in needs - kept.keys())


def apply_strategy(
    design: Design,
    req: Requirements,
    strategy: str,
    secondary: str | list[str] | None,
    *,
    copy: bool = True,
) -> Design:
    """A copy of ``design`` with ``strategy`` built in, one secondary stack per secondary Region
    (backup & restore copies to the first). ``secondary`` None: nothing to add. ``copy=False`` builds
    into ``design`` itself (for a design the caller throws away)."""
    out = clone_design(design) if copy else design
    seconds = [secondary] if isinstance(secondary, str) else list(secondary or [])
    if not seconds:
        return out
    if strategy == "backup-restore":
        _add_backup(out, req, seconds[0])
    else:
        if strategy == "active-active":
            # every active Region serves an equal share of the traffic
            share = 1 / (len(seconds) + 1)
            for r in out.resources:
                if (
                    r.placement.region == out.region
                    and not is_global(r)
                    and not r.type.startswith("AWS::DynamoDB::")
                ):
                    r.usage = _scale_traffic(r.usage, share)
        for region in seconds:
            _copy_stack(out, req, strategy, region)
            _add_dns(out, strategy, region)
    out.resources.sort(key=_BY_ID)
    out.edges.sort(key=_EDGE_ORDER)
    used = {r.placement.region for r in out.resources}
    used.difference_update(("global", "edge", ""))
    dr_note: dict[str, JsonValue] = {
        "strategy": strategy,
        "regions": [*sorted(used)],
        "secondary": [*seconds],
    }
    out.metadata["dr"] = dr_note
    return out
