"""CloudFormation template → Design graph.

Reads any CloudFormation template — YAML with short-form intrinsic tags (``!Ref``, ``!GetAtt``, ``!Sub``,
``!If`` …) or JSON — into the same :class:`~cloudwright.design.model.Design` that generated designs use,
so pricing, review and the diagram work on it unchanged.

* Parameters (with their defaults), Conditions, Mappings and Outputs are kept CFN-shaped; intrinsic
  functions are converted to their long JSON form.
* Edges come from ``Ref``, ``Fn::GetAtt``, ``Fn::Sub`` and ``DependsOn``.
* Placement is inferred: the VPC a resource sits in (directly or through its subnets / security groups),
  and its tier from the subnets it uses (public when the subnet routes to an internet gateway, data
  when the subnet serves a database subnet group, private otherwise).
* Templates rendered by cloudwright carry a ``Metadata.cloudwright`` block (name, environment, region,
  assumptions, edges; per resource: label, tier, usage …): the import restores it, so
  render → import → render is byte-identical.

Problems are reported as :class:`~cloudwright.errors.TemplateError` naming the file, the line and the
key; the import never crashes on a malformed template.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from cloudwright.cfn.intrinsics import ref_target, references
from cloudwright.cfn.reader import parse_template, read_template
from cloudwright.design.model import Design, Edge, EdgeKind, Placement, Resource, Tier
from cloudwright.errors import clip
from cloudwright.units import ENVIRONMENTS, JsonValue

__all__ = ["import_template", "parse_template"]

_ATTRIBUTE_KEYS = (
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "UpdatePolicy",
    "CreationPolicy",
    "Metadata",
    "Version",
    "Description",
)
_EDGE_RE = re.compile(
    r"^(?P<source>[A-Za-z0-9]+) -> (?P<target>[A-Za-z0-9]+) \[(?P<kind>[a-z]+)\](?: (?P<label>.*))?$"
)

_NETWORK_TYPES = frozenset(
    {
        "AWS::EC2::VPC",
        "AWS::EC2::Subnet",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::RouteTable",
        "AWS::EC2::InternetGateway",
        "AWS::EC2::NatGateway",
        "AWS::EC2::VPCEndpoint",
    }
)
_EDGE_TYPES = frozenset(
    {
        "AWS::CloudFront::Distribution",
        "AWS::Route53::HostedZone",
        "AWS::Route53::RecordSet",
        "AWS::Route53::RecordSetGroup",
        "AWS::Route53::HealthCheck",
        "AWS::CertificateManager::Certificate",
        "AWS::CloudFront::OriginAccessControl",
        "AWS::CloudFront::CachePolicy",
    }
)
_GLOBAL_TYPES = frozenset(
    {
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::InstanceProfile",
        "AWS::IAM::User",
        "AWS::IAM::Group",
    }
)
_DATA_TYPES = frozenset(
    {
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBCluster",
        "AWS::RDS::DBSubnetGroup",
        "AWS::ElastiCache::ReplicationGroup",
        "AWS::ElastiCache::CacheCluster",
        "AWS::ElastiCache::ServerlessCache",
        "AWS::ElastiCache::SubnetGroup",
        "AWS::DocDB::DBCluster",
        "AWS::Neptune::DBCluster",
        "AWS::Redshift::Cluster",
        "AWS::OpenSearchService::Domain",
        "AWS::EFS::MountTarget",
    }
)
_SUBNET_GROUP_TYPES = {
    "AWS::RDS::DBSubnetGroup": "SubnetIds",
    "AWS::ElastiCache::SubnetGroup": "SubnetIds",
    "AWS::DocDB::DBSubnetGroup": "SubnetIds",
    "AWS::Redshift::ClusterSubnetGroup": "SubnetIds",
}


_DECIMAL_RE = re.compile(r"^-?\d+\.\d+(?:[eE][-+]?\d+)?$|^-?\d+(?:\.\d+)?[eE][-+]?\d+$")


def _numbers(node: Any) -> Any:
    """Undo the renderer's float → decimal-string encoding in Metadata.cloudwright values."""
    if isinstance(node, str) and _DECIMAL_RE.match(node):
        return float(node)
    if isinstance(node, dict):
        return {k: _numbers(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_numbers(v) for v in node]
    return node


#: The largest usage figure a template's metadata may carry (money and quantities format up to 1e15).
USAGE_MAX = 1e15


def _out_of_range(node: Any, path: str = "") -> tuple[str, Any] | None:
    """The first numeric usage value (with its key path) that is not finite or not within 0..USAGE_MAX."""
    if isinstance(node, bool):
        return None
    if isinstance(node, int | float):
        finite = isinstance(node, int) or math.isfinite(node)
        return None if finite and 0 <= node <= USAGE_MAX else (path or "value", node)
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found = _out_of_range(value, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


# --------------------------------------------------------------------------------------------------
# Graph building
# --------------------------------------------------------------------------------------------------
def _refs(node: Any) -> set[str]:
    return references(node, conditions=True)


def _infer_placements(resources: dict[str, Resource]) -> None:
    """Set vpc and tier on resources that came without a ``Metadata.cloudwright`` block."""
    by_type = lambda t: [r for r in resources.values() if r.type == t]  # noqa: E731
    igws = {r.logical_id for r in by_type("AWS::EC2::InternetGateway")}
    public_tables = {
        str(ref_target(r.properties.get("RouteTableId")))
        for r in by_type("AWS::EC2::Route")
        if ref_target(r.properties.get("RouteTableId")) and _refs(r.properties.get("GatewayId")) & igws
    }
    subnet_tier: dict[str, Tier] = {}
    for s in by_type("AWS::EC2::Subnet"):
        subnet_tier[s.logical_id] = "public" if s.properties.get("MapPublicIpOnLaunch") is True else "private"
    for a in by_type("AWS::EC2::SubnetRouteTableAssociation"):
        if _refs(a.properties.get("RouteTableId")) & public_tables:
            for sid in _refs(a.properties.get("SubnetId")):
                if sid in subnet_tier:
                    subnet_tier[sid] = "public"
    for group_type, prop in _SUBNET_GROUP_TYPES.items():
        for g in by_type(group_type):
            for sid in _refs(g.properties.get(prop)):
                if subnet_tier.get(sid) == "private":
                    subnet_tier[sid] = "data"

    def vpc_of(r: Resource, depth: int = 0) -> str | None:
        if r.type == "AWS::EC2::VPC":
            return r.logical_id
        if depth > 3:
            return None
        for ref in sorted(_refs(r.properties)):
            target = resources.get(ref)
            if target is None:
                continue
            if target.type == "AWS::EC2::VPC":
                return ref
            if (
                target.type in ("AWS::EC2::Subnet", "AWS::EC2::SecurityGroup")
                or target.type in _SUBNET_GROUP_TYPES
            ):
                found = vpc_of(target, depth + 1)
                if found:
                    return found
        return None

    for r in resources.values():
        if r.metadata.get("_restored"):
            continue
        vpc = vpc_of(r)
        tier: Tier = "regional"
        if r.type in _EDGE_TYPES:
            tier = "edge"
        elif r.type in _GLOBAL_TYPES:
            tier = "global"
        elif r.type == "AWS::EC2::Subnet":
            tier = subnet_tier.get(r.logical_id, "private")
        elif vpc:
            tiers = {subnet_tier[s] for s in _refs(r.properties) if s in subnet_tier}
            for ref in _refs(r.properties):
                target = resources.get(ref)
                if target is not None and target.type in _SUBNET_GROUP_TYPES:
                    tiers.add("data")
            if r.type in _DATA_TYPES:
                tier = "data"
            elif r.properties.get("Scheme") == "internet-facing" or r.type in (
                "AWS::EC2::InternetGateway",
                "AWS::EC2::NatGateway",
                "AWS::EC2::EIP",
            ):
                tier = "public"
            elif tiers:
                tier = "public" if tiers == {"public"} else "data" if tiers == {"data"} else "private"
            elif r.type in _NETWORK_TYPES or r.type.startswith("AWS::EC2::"):
                tier = "regional"
            else:
                tier = "private"
        r.placement = Placement(
            region=r.placement.region, vpc=vpc if r.type != "AWS::EC2::VPC" else None, tier=tier
        )


def _edge_kind(source: Resource, target: Resource) -> EdgeKind:
    if target.type in _NETWORK_TYPES or target.type == "AWS::EC2::SubnetRouteTableAssociation":
        return "network"
    if source.type in ("AWS::Lambda::EventSourceMapping", "AWS::SNS::Subscription", "AWS::Events::Rule"):
        return "event"
    return "reference"


def _infer_edges(resources: dict[str, Resource]) -> list[Edge]:
    edges: set[Edge] = set()
    ids = set(resources)  # once, not per resource: inferring edges stays linear in the template
    for r in resources.values():
        targets = (_refs(r.properties) | set(r.depends_on)) & ids
        targets.discard(r.logical_id)
        for t in targets:
            edges.add(Edge(source=r.logical_id, target=t, kind=_edge_kind(r, resources[t])))
    return sorted(edges, key=lambda e: (e.source, e.target, e.kind, e.label))


def import_template(
    path_or_text: str | Path,
    *,
    name: str | None = None,
    region: str | None = None,
    parameters: Mapping[str, str] | None = None,
) -> Design:
    """Read a CloudFormation template (a path, or the template text) into a Design.

    ``parameters`` (``--param KEY=VALUE``) override the template's parameter defaults; conditions are
    evaluated with them, and resources whose condition is false are not part of the design (they are
    kept aside in ``metadata["inactive"]`` so that rendering the design gives the template back)."""
    tpl = read_template(path_or_text, parameters=parameters, region=region)
    data = tpl.data
    source = tpl.source
    warnings = list(tpl.warnings)

    meta = data.get("Metadata") or {}
    cw: dict[str, Any] = meta["cloudwright"] if isinstance(meta.get("cloudwright"), dict) else {}
    if "cloudwright" in meta and not isinstance(meta.get("cloudwright"), dict):
        warnings.append("Metadata.cloudwright: ignored (not a mapping)")
    params = data.get("Parameters") or {}
    env_default = (
        (params.get("Environment") or {}).get("Default")
        if isinstance(params.get("Environment"), dict)
        else None
    )
    env_value = tpl.parameter_values.get("Environment", env_default)
    cw_env = cw.get("environment")
    environment = str(
        (cw_env if isinstance(cw_env, str) and cw_env and "Environment" not in tpl.parameter_values else None)
        or (env_value if env_value in ENVIRONMENTS else "prod")
    )
    cw_region = cw.get("region") if isinstance(cw.get("region"), str) else None
    design_region = str(region or cw_region or "us-east-1")
    assumptions = cw.get("assumptions") or {}
    if not isinstance(assumptions, dict):
        warnings.append("Metadata.cloudwright.assumptions: ignored (not a mapping)")
        assumptions = {}
    cw_name = cw.get("name") if isinstance(cw.get("name"), str | int | float) else None
    description = data.get("Description")
    design = Design(
        name=str(name or cw_name or (tpl.stem or "imported")),
        description=description if isinstance(description, str) else "",
        region=design_region,
        environment=environment,
        origin=f"template:{source}",
        parameters=params,
        conditions=data.get("Conditions") or {},
        outputs=data.get("Outputs") or {},
        mappings=data.get("Mappings") or {},
        assumptions=_numbers(dict(assumptions)),
    )
    if "Transform" in data:
        design.metadata["transform"] = data["Transform"]
    if tpl.transforms:
        design.metadata["transforms"] = list(tpl.transforms)
    if tpl.parameter_values:
        design.metadata["parameter_values"] = dict(sorted(tpl.parameter_values.items()))
    extra_meta = {k: v for k, v in meta.items() if k != "cloudwright"}
    if extra_meta:
        design.metadata["template_metadata"] = extra_meta

    resources: dict[str, Resource] = {}
    for logical_id, body in data["Resources"].items():
        attributes = {k: body[k] for k in _ATTRIBUTE_KEYS if k in body}
        raw_meta = attributes.get("Metadata")
        rmeta = dict(raw_meta) if isinstance(raw_meta, dict) else {}
        block = rmeta.pop("cloudwright", None)
        if rmeta:
            attributes["Metadata"] = rmeta
        else:
            attributes.pop("Metadata", None)
        dep = body.get("DependsOn")
        r = Resource(
            logical_id=logical_id,
            type=body["Type"],
            properties=body.get("Properties") or {},
            depends_on=[dep] if isinstance(dep, str) else list(dep or []),
            condition=body.get("Condition"),
            attributes=attributes,
            placement=Placement(region=design_region),
        )
        if block is not None:
            problem = _restore(r, block, design_region)
            if problem:
                warnings.append(f"Resources.{logical_id}.Metadata.cloudwright: ignored ({problem})")
        resources[logical_id] = r

    _infer_placements(resources)
    for r in resources.values():
        r.metadata.pop("_restored", None)
    design.resources = [resources[k] for k in sorted(resources)]
    inactive_edges: list[JsonValue] = []
    if isinstance(cw.get("edges"), list):
        edges = []
        for item in cw["edges"]:
            m = _EDGE_RE.match(str(item))
            if not m:
                continue
            kind = (
                m["kind"]
                if m["kind"] in ("request", "data", "event", "network", "reference")
                else "reference"
            )
            if m["source"] in resources and m["target"] in resources:
                edges.append(
                    Edge(
                        source=m["source"],
                        target=m["target"],
                        kind=cast(EdgeKind, kind),
                        label=m["label"] or "",
                    )
                )
            elif {m["source"], m["target"]} & tpl.inactive.keys():
                inactive_edges.append(
                    {"source": m["source"], "target": m["target"], "kind": kind, "label": m["label"] or ""}
                )
        design.edges = edges
    else:
        if cw.get("edges") is not None:
            warnings.append("Metadata.cloudwright.edges: ignored (not a list)")
        design.edges = _infer_edges(resources)
    if tpl.inactive:
        design.metadata["inactive"] = {
            "resources": {k: tpl.inactive[k] for k in sorted(tpl.inactive)},
            "edges": inactive_edges,
        }
        for lid in sorted(tpl.inactive):
            cond = tpl.inactive[lid].get("Condition")
            warnings.append(
                f"Resources.{lid}: not created (condition {cond} is false with these parameter values); "
                "not priced, reviewed or drawn"
            )
    design.warnings = warnings
    return design


def _restore(r: Resource, block: Any, design_region: str) -> str | None:
    """Apply a resource's ``Metadata.cloudwright`` block; return what is wrong with it, if anything
    (the block is advisory: a malformed one is ignored, the resource still imports)."""
    if not isinstance(block, dict):
        return "not a mapping"
    usage = block.get("usage") or {}
    if not isinstance(usage, dict):
        return "usage must be a mapping"
    azs = block.get("azs") or []
    if not isinstance(azs, list) or not all(isinstance(a, str) for a in azs):
        return "azs must be a list of Availability Zone names"
    for key in ("region", "vpc"):
        if block.get(key) is not None and not isinstance(block.get(key), str):
            return f"{key} must be a string"
    meta = {k: block[k] for k in ("label", "role", "component") if k in block}
    if not all(isinstance(v, str) for v in meta.values()):
        return "label, role and component must be strings"
    try:
        placement = Placement(
            region=str(block.get("region") or design_region),
            vpc=block.get("vpc"),
            azs=list(azs),
            tier=block.get("tier", "regional"),
        )
    except ValueError as exc:
        errors = getattr(exc, "errors", None)
        return str(errors()[0]["msg"]) if callable(errors) else str(exc)
    values = _numbers(dict(usage))
    bad = _out_of_range(values)
    if bad is not None:
        return (
            f"usage.{bad[0]}: {clip(bad[1])} is not a usage figure (a finite number from 0 to {USAGE_MAX:g})"
        )
    r.metadata = meta
    r.usage = values
    r.placement = placement
    r.metadata["_restored"] = True
    return None
