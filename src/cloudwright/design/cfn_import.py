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

import json
import re
from pathlib import Path
from typing import Any, NoReturn, cast

from cloudwright.design.model import Design, Edge, EdgeKind, Placement, Resource, Tier
from cloudwright.errors import TemplateError

PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::NoValue",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)
_TOP_LEVEL = frozenset(
    {
        "AWSTemplateFormatVersion",
        "Description",
        "Metadata",
        "Parameters",
        "Rules",
        "Mappings",
        "Conditions",
        "Transform",
        "Resources",
        "Outputs",
    }
)
_RESOURCE_KEYS = frozenset(
    {
        "Type",
        "Properties",
        "DependsOn",
        "Condition",
        "DeletionPolicy",
        "UpdateReplacePolicy",
        "UpdatePolicy",
        "CreationPolicy",
        "Metadata",
    }
)
_ATTRIBUTE_KEYS = ("DeletionPolicy", "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy", "Metadata")
_TYPE_RE = re.compile(r"^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+(::MODULE)?$|^Custom::[A-Za-z0-9_@-]+$")
_EDGE_RE = re.compile(
    r"^(?P<source>[A-Za-z0-9]+) -> (?P<target>[A-Za-z0-9]+) \[(?P<kind>[a-z]+)\](?: (?P<label>.*))?$"
)
_LOGICAL_ID_RE = re.compile(r"^[A-Za-z0-9]+$")

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


# --------------------------------------------------------------------------------------------------
# Parsing (YAML with short tags, or JSON), keeping line numbers for error messages
# --------------------------------------------------------------------------------------------------
class _Map(dict[str, Any]):
    """A mapping that remembers the line of each key (1-based)."""

    line: int = 0
    lines: dict[str, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key) or self.line or None


def _loader(source: str) -> type:
    import yaml
    from yaml.constructor import ConstructorError

    class Loader(yaml.SafeLoader):
        pass

    # CloudFormation reads dates and yes/no/on/off as strings; only true/false are booleans.
    resolvers: dict[Any, list[Any]] = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [
            (tag, regexp)
            for tag, regexp in entries
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
        ]
        if kept:
            resolvers[first] = kept
    Loader.yaml_implicit_resolvers = resolvers
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )

    def construct_mapping(loader: Any, node: Any, deep: bool = False) -> _Map:
        if not isinstance(node, yaml.MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        loader.flatten_mapping(node)
        out = _Map()
        out.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool):
                raise TemplateError(
                    f"unsupported mapping key {key!r}", path=source, line=key_node.start_mark.line + 1
                )
            key = str(key)
            if key in out:
                raise TemplateError(
                    f"duplicate key {key!r} (first at line {out.lines[key]})",
                    path=source,
                    line=key_node.start_mark.line + 1,
                )
            out[key] = loader.construct_object(value_node, deep=True)
            out.lines[key] = key_node.start_mark.line + 1
        return out

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)

    def intrinsic(loader: Any, suffix: str, node: Any) -> _Map:
        name = suffix
        fn = "Ref" if name == "Ref" else "Condition" if name == "Condition" else f"Fn::{name}"
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if fn == "Fn::GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = construct_mapping(loader, node, deep=True)
        out = _Map({fn: value})
        out.line = node.start_mark.line + 1
        out.lines[fn] = out.line
        return out

    Loader.add_multi_constructor("!", intrinsic)
    return Loader


def parse_template(text: str, *, source: str = "<template>") -> dict[str, Any]:
    """Parse template text (YAML or JSON) into plain dicts with long-form intrinsics. Raises TemplateError."""
    result: dict[str, Any] = _plain(_parse_raw(text, source))
    return result


def _parse_raw(text: str, source: str) -> dict[str, Any]:
    import yaml

    if not text.strip():
        raise TemplateError("the template is empty", path=source)
    from cloudwright.inputs import check_aliases

    check_aliases(text, source=source, field="template")
    try:
        data = yaml.load(text, Loader=_loader(source))  # a SafeLoader subclass
    except TemplateError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if text.lstrip().startswith("{"):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as jexc:
                raise TemplateError(f"invalid JSON: {jexc.msg}", path=source, line=jexc.lineno) from None
        else:
            problem = exc.problem or exc.context or "invalid YAML"
            raise TemplateError(
                f"invalid YAML: {problem}", path=source, line=mark.line + 1 if mark else None
            ) from None
    except yaml.YAMLError as exc:
        raise TemplateError(f"invalid YAML: {exc}", path=source) from None
    except RecursionError:
        raise TemplateError("the template nests too deeply", path=source) from None
    if not isinstance(data, dict):
        raise TemplateError("a template must be a mapping with a Resources section", path=source, line=1)
    return data


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


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _line(node: Any, key: str | None = None) -> int | None:
    if isinstance(node, _Map):
        return node.line_of(key) if key is not None else (node.line or None)
    return None


# --------------------------------------------------------------------------------------------------
# Structure checks
# --------------------------------------------------------------------------------------------------
def _check(data: dict[str, Any], source: str) -> None:
    def fail(message: str, node: Any = None, key: str | None = None) -> NoReturn:
        raise TemplateError(message, path=source, line=_line(node if node is not None else data, key))

    for key in data:
        if key not in _TOP_LEVEL:
            fail(f"unknown top-level section {key!r} (allowed: {', '.join(sorted(_TOP_LEVEL))})", data, key)
    for section in ("Parameters", "Mappings", "Conditions", "Outputs", "Metadata"):
        if section in data and not isinstance(data[section], dict):
            fail(f"{section} must be a mapping", data, section)
    resources = data.get("Resources")
    if resources is None:
        fail("the template has no Resources section", data)
    if not isinstance(resources, dict) or not resources:
        fail("Resources must be a mapping with at least one resource", data, "Resources")
    params = data.get("Parameters") or {}
    for name, spec in params.items():
        if not isinstance(spec, dict) or "Type" not in spec:
            fail(f"Parameters.{name}: a parameter needs a Type", params, name)
    conditions = set(data.get("Conditions") or {})
    names = set(resources) | set(params) | PSEUDO_PARAMETERS
    for logical_id, body in resources.items():
        where = f"Resources.{logical_id}"
        if not _LOGICAL_ID_RE.match(logical_id):
            fail(f"{where}: logical ids are alphanumeric", resources, logical_id)
        if not isinstance(body, dict):
            fail(f"{where}: a resource must be a mapping with a Type", resources, logical_id)
        for key in body:
            if key not in _RESOURCE_KEYS:
                fail(f"{where}.{key}: unknown resource attribute", body, key)
        rtype = body.get("Type")
        if not isinstance(rtype, str):
            if "Type" in body:
                fail(f"{where}.Type: not a string", body, "Type")
            fail(f"{where}.Type: missing", resources, logical_id)
        elif not _TYPE_RE.match(rtype):
            fail(f"{where}.Type: {rtype!r} is not a resource type (AWS::Service::Resource)", body, "Type")
        if "Properties" in body and not isinstance(body["Properties"], dict):
            fail(f"{where}.Properties must be a mapping", body, "Properties")
        dep = body.get("DependsOn")
        deps = (
            [dep] if isinstance(dep, str) else dep if isinstance(dep, list) else [] if dep is None else None
        )
        if deps is None or not all(isinstance(d, str) for d in deps):
            fail(f"{where}.DependsOn must be a logical id or a list of them", body, "DependsOn")
        for d in deps or []:
            if d not in resources:
                fail(f"{where}.DependsOn: no resource {d!r}", body, "DependsOn")
        cond = body.get("Condition")
        if cond is not None and (not isinstance(cond, str) or cond not in conditions):
            fail(f"{where}.Condition: no condition {cond!r} in Conditions", body, "Condition")
        _check_refs(body.get("Properties"), names, f"{where}.Properties", body, "Properties", fail)
    for name, out in (data.get("Outputs") or {}).items():
        if not isinstance(out, dict) or "Value" not in out:
            fail(f"Outputs.{name}: an output needs a Value", data["Outputs"], name)
        _check_refs(out.get("Value"), names, f"Outputs.{name}.Value", out, "Value", fail)


def _check_refs(node: Any, names: set[str], where: str, parent: Any, key: str, fail: Any) -> None:
    if isinstance(node, dict):
        if len(node) == 1:
            ((fn, val),) = node.items()
            if fn == "Ref":
                if not isinstance(val, str):
                    fail(f"{where}: Ref takes a name", node if isinstance(node, _Map) else parent, key)
                elif val not in names:
                    fail(
                        f"{where}: Ref to unknown resource or parameter {val!r}",
                        node if _line(node) else parent,
                        key,
                    )
            elif fn == "Fn::GetAtt":
                ok = isinstance(val, list) and len(val) == 2 and isinstance(val[0], str)
                if not ok:
                    fail(
                        f"{where}: Fn::GetAtt takes [LogicalId, Attribute]",
                        node if _line(node) else parent,
                        key,
                    )
                elif val[0] not in names:
                    fail(
                        f"{where}: Fn::GetAtt of unknown resource {val[0]!r}",
                        node if _line(node) else parent,
                        key,
                    )
        for k, v in node.items():
            _check_refs(
                v, names, f"{where}.{k}", node if _line(node) else parent, k if _line(node) else key, fail
            )
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _check_refs(v, names, f"{where}[{i}]", parent, key, fail)


# --------------------------------------------------------------------------------------------------
# Graph building
# --------------------------------------------------------------------------------------------------
def _refs(node: Any) -> set[str]:
    from cloudwright.render.cloudformation import references

    return references(node)


def _infer_placements(resources: dict[str, Resource]) -> None:
    """Set vpc and tier on resources that came without a ``Metadata.cloudwright`` block."""
    by_type = lambda t: [r for r in resources.values() if r.type == t]  # noqa: E731
    igws = {r.logical_id for r in by_type("AWS::EC2::InternetGateway")}
    public_tables = {
        str(r.properties.get("RouteTableId", {}).get("Ref"))
        for r in by_type("AWS::EC2::Route")
        if isinstance(r.properties.get("RouteTableId"), dict) and _refs(r.properties.get("GatewayId")) & igws
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
    for r in resources.values():
        targets = (_refs(r.properties) | set(r.depends_on)) & set(resources)
        targets.discard(r.logical_id)
        for t in targets:
            edges.add(Edge(source=r.logical_id, target=t, kind=_edge_kind(r, resources[t])))
    return sorted(edges, key=lambda e: (e.source, e.target, e.kind, e.label))


def _read(path_or_text: str | Path) -> tuple[str, str, str | None]:
    """Return (text, source label, file stem)."""
    if isinstance(path_or_text, Path) or (
        isinstance(path_or_text, str)
        and "\n" not in path_or_text
        and not path_or_text.lstrip().startswith("{")
    ):
        from cloudwright.inputs import read_input

        path = Path(path_or_text)
        return read_input(path, what="template", field="template"), str(path), path.stem
    return str(path_or_text), "<template>", None


def import_template(
    path_or_text: str | Path, *, name: str | None = None, region: str | None = None
) -> Design:
    """Read a CloudFormation template (a path, or the template text) into a Design."""
    text, source, stem = _read(path_or_text)
    raw = _parse_raw(text, source)
    _check(raw, source)
    data: dict[str, Any] = _plain(raw)

    meta: dict[str, Any] = data["Metadata"] if isinstance(data.get("Metadata"), dict) else {}
    cw: dict[str, Any] = meta["cloudwright"] if isinstance(meta.get("cloudwright"), dict) else {}
    params: dict[str, Any] = data["Parameters"] if isinstance(data.get("Parameters"), dict) else {}
    env_default = (
        (params.get("Environment") or {}).get("Default")
        if isinstance(params.get("Environment"), dict)
        else None
    )
    environment = str(
        cw.get("environment") or (env_default if env_default in ("dev", "staging", "prod") else "prod")
    )
    design_region = str(region or cw.get("region") or "us-east-1")
    if environment not in ("dev", "staging", "prod"):  # advisory metadata: a bad value is not fatal
        environment = "prod"
    try:
        design = Design(
            name=str(name or cw.get("name") or (stem or "imported")),
            description=str(data.get("Description") or ""),
            region=design_region,
            environment=environment,
            origin=f"template:{source}",
            parameters=params,
            conditions=data.get("Conditions") or {},
            outputs=data.get("Outputs") or {},
            mappings=data.get("Mappings") or {},
            assumptions=_numbers(dict(cw["assumptions"])) if isinstance(cw.get("assumptions"), dict) else {},
        )
    except ValueError as exc:
        raise TemplateError(
            f"the template cannot be imported: {str(exc).splitlines()[0]}", path=source
        ) from None
    if "Transform" in data:
        design.metadata["transform"] = data["Transform"]
    extra_meta = {k: v for k, v in meta.items() if k != "cloudwright"}
    if extra_meta:
        design.metadata["template_metadata"] = extra_meta

    resources: dict[str, Resource] = {}
    for logical_id, body in data["Resources"].items():
        attributes = {k: body[k] for k in _ATTRIBUTE_KEYS if k in body}
        rmeta = dict(attributes.get("Metadata") or {})
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
        if isinstance(block, dict):
            r.metadata = {k: block[k] for k in ("label", "role", "component") if k in block}
            r.usage = _numbers(dict(block["usage"])) if isinstance(block.get("usage"), dict) else {}
            try:
                r.placement = Placement(
                    region=str(block.get("region") or design_region),
                    vpc=block.get("vpc"),
                    azs=list(block["azs"]) if isinstance(block.get("azs"), list) else [],
                    tier=block.get("tier", "regional"),
                )
            except ValueError as exc:
                raise TemplateError(
                    f"Resources.{logical_id}.Metadata.cloudwright: {exc.errors()[0]['msg']}",  # type: ignore[attr-defined]
                    path=source,
                    line=_line(raw["Resources"][logical_id], "Metadata"),
                ) from None
            r.metadata["_restored"] = True
        resources[logical_id] = r

    _infer_placements(resources)
    for r in resources.values():
        r.metadata.pop("_restored", None)
    design.resources = [resources[k] for k in sorted(resources)]
    if isinstance(cw.get("edges"), list):
        edges = []
        for item in cw["edges"]:
            m = _EDGE_RE.match(str(item))
            if m and m["source"] in resources and m["target"] in resources:
                kind = (
                    m["kind"]
                    if m["kind"] in ("request", "data", "event", "network", "reference")
                    else "reference"
                )
                edges.append(
                    Edge(
                        source=m["source"],
                        target=m["target"],
                        kind=cast(EdgeKind, kind),
                        label=m["label"] or "",
                    )
                )
        design.edges = edges
    else:
        design.edges = _infer_edges(resources)
    return design
