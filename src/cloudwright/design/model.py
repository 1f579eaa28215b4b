"""The design: a graph of resources keyed by CloudFormation type.

A generated design and an imported CloudFormation template produce the same :class:`Design`, so the
same code prices, reviews, draws and renders both.

* ``Resource.properties`` are CloudFormation-shaped; intrinsic functions use the long JSON form
  (``{"Ref": "X"}``, ``{"Fn::GetAtt": ["X", "Arn"]}``, ``{"Fn::Sub": "..."}``).
* ``Resource.usage`` holds usage assumptions under infracost's usage-key names where one exists
  (``monthly_requests``, ``request_duration_ms``, ``storage_gb`` …).
* ``Resource.placement`` says where the resource lives (region, AZ, subnet tier, VPC) for the diagram
  and the review.
* ``Resource.metadata`` carries design-time notes: ``label`` (short human name), ``role``, ``rationale``,
  ``sizing`` (list of sizing notes with their sources), ``environments``.

Every dict section holds JSON values (:data:`cloudwright.units.JsonValue`), typed for the type checker
only (``SkipValidation``: no validation cost, the same JSON output). Readers narrow what they find:
:meth:`Resource.prop_list`, :meth:`Resource.prop_dict`, :func:`list_or_empty`, :func:`dict_or_empty`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SkipValidation

from cloudwright.units import JsonValue

Tier = Literal["global", "edge", "regional", "public", "private", "data"]
_ARN_REGION = re.compile(r"^arn:[^:]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):")
EdgeKind = Literal["request", "data", "event", "network", "reference"]


_Model = TypeVar("_Model", bound=BaseModel)
_set = object.__setattr__
_new = object.__new__
# the setters of the slots every pydantic model has next to its ``__dict__``: called directly, they skip
# ``object.__setattr__``'s lookup of the name on the class
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def trusted_model(cls: type[_Model], values: dict[str, Any]) -> _Model:
    """An instance of ``cls`` from a value for every field, without validation: what pydantic's own
    constructor makes from the same values (every field set, no extras, no private attributes), for
    internal callers whose values the type checker has already checked (builders add hundreds of
    resources, the pricing engine thousands of line items; validating each costs more than making its
    values). The ``trusted`` constructors name every field as a typed keyword, so a missing or
    ill-typed value is a type-checker error."""
    obj = _new(cls)  # not ``cls.__new__``: its lookup through the model's metaclass costs as much again
    _set(obj, "__dict__", values)
    _set_fields_set(obj, set(values))
    _set_extra(obj, None)
    _set_private(obj, None)
    return obj


def list_or_empty(value: JsonValue) -> list[JsonValue]:
    """``value`` when it is a list, else an empty list (absent, a scalar, or an intrinsic function that
    has not been evaluated)."""
    return value if isinstance(value, list) else []


def dict_or_empty(value: JsonValue) -> dict[str, JsonValue]:
    """``value`` when it is a mapping, else an empty mapping."""
    return value if isinstance(value, dict) else {}


class Placement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: str = "us-east-1"
    #: Logical id of the VPC the resource sits in, if any.
    vpc: str | None = None
    #: AZ names the resource spans (``["us-east-1a", "us-east-1b"]``); empty for regional services.
    azs: list[str] = Field(default_factory=list)
    tier: Tier = "regional"

    @classmethod
    def trusted(cls, *, region: str, vpc: str | None, azs: list[str], tier: Tier) -> Placement:
        """A placement from values of the right types, without validation (see :func:`trusted_model`)."""
        return trusted_model(cls, {"region": region, "vpc": vpc, "azs": azs, "tier": tier})


class Resource(BaseModel):
    model_config = ConfigDict(extra="forbid")

    logical_id: str
    type: str
    properties: SkipValidation[dict[str, JsonValue]] = Field(default_factory=dict)
    usage: SkipValidation[dict[str, JsonValue]] = Field(default_factory=dict)
    placement: Placement = Field(default_factory=Placement)
    metadata: SkipValidation[dict[str, JsonValue]] = Field(default_factory=dict)
    depends_on: list[str] = Field(default_factory=list)
    condition: str | None = None
    #: Template-level attributes preserved on import/render (DeletionPolicy, UpdateReplacePolicy, Metadata).
    attributes: SkipValidation[dict[str, JsonValue]] = Field(default_factory=dict)

    @classmethod
    def trusted(
        cls,
        *,
        logical_id: str,
        type: str,
        properties: dict[str, JsonValue],
        usage: dict[str, JsonValue],
        placement: Placement,
        metadata: dict[str, JsonValue],
        depends_on: list[str],
        condition: str | None,
        attributes: dict[str, JsonValue],
    ) -> Resource:
        """A resource from values of the right types, without validation (see :func:`trusted_model`)."""
        return trusted_model(
            cls,
            {
                "logical_id": logical_id,
                "type": type,
                "properties": properties,
                "usage": usage,
                "placement": placement,
                "metadata": metadata,
                "depends_on": depends_on,
                "condition": condition,
                "attributes": attributes,
            },
        )

    @property
    def label(self) -> str:
        return str(self.metadata.get("label") or self.logical_id)

    @property
    def service(self) -> str:
        """``AWS::Lambda::Function`` → ``Lambda``."""
        parts = self.type.split("::")
        return parts[1] if len(parts) > 1 else self.type

    def data_regions(self, resolve: Callable[[JsonValue], object] | None = None) -> set[str]:
        """Regions this resource runs or keeps data in: its placement, its global-table replicas and its
        backup copies (known Region codes only; CloudFront, Route 53 and WAF ACLs are ``global``).

        ``resolve`` evaluates intrinsic functions in replica Regions (the review's resolver); without
        it only literal Region names count."""
        from cloudwright import regions
        from cloudwright.cfn import intrinsics

        found = {self.placement.region} if regions.is_known(self.placement.region) else set()
        if self.type == "AWS::DynamoDB::GlobalTable":
            for rep in self.prop_list("Replicas"):
                raw = rep.get("Region") if isinstance(rep, dict) else None
                region = raw if resolve is None else resolve(raw)
                if isinstance(region, str) and regions.is_known(region):
                    found.add(region)
        if self.type == "AWS::Backup::BackupPlan":
            for rule in self.prop_list("BackupPlan.BackupPlanRule"):
                for action in list_or_empty(rule.get("CopyActions")) if isinstance(rule, dict) else []:
                    arn = action.get("DestinationBackupVaultArn") if isinstance(action, dict) else None
                    text = intrinsics.sub_text(arn) if isinstance(arn, dict) else arn
                    m = _ARN_REGION.match(text) if isinstance(text, str) else None
                    if m and regions.is_known(m.group(1)):
                        found.add(m.group(1))
        return found

    def prop(self, path: str, default: JsonValue = None) -> JsonValue:
        """Read a property by dotted path (``"VpcConfig.SubnetIds"``)."""
        cur: JsonValue = self.properties
        for part in path.split("."):
            if isinstance(cur, dict) and part in cur:
                cur = cur[part]
            elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
                cur = cur[int(part)]
            else:
                return default
        return cur

    def prop_list(self, path: str) -> list[JsonValue]:
        """The property at ``path`` when it is a list; an empty list when it is absent or anything else
        (e.g. an intrinsic function that has not been evaluated)."""
        return list_or_empty(self.prop(path))

    def prop_dict(self, path: str) -> dict[str, JsonValue]:
        """The property at ``path`` when it is a mapping; an empty mapping otherwise."""
        return dict_or_empty(self.prop(path))


class Edge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    target: str
    kind: EdgeKind = "request"
    label: str = ""

    @classmethod
    def trusted(cls, *, source: str, target: str, kind: EdgeKind, label: str) -> Edge:
        """An edge from values of the right types, without validation (see :func:`trusted_model`)."""
        return trusted_model(cls, {"source": source, "target": target, "kind": kind, "label": label})


class Design(BaseModel):
    """A resource graph with explicit usage assumptions."""

    model_config = ConfigDict(extra="forbid")

    name: str = "design"
    description: str = ""
    region: str = "us-east-1"
    environment: str = "prod"
    #: Where the design came from: ``pattern:<id>`` or ``template:<path>``.
    origin: str = ""
    resources: list[Resource] = Field(default_factory=list)
    edges: list[Edge] = Field(default_factory=list)
    #: CloudFormation Parameters / Conditions / Outputs / Mappings, CFN-shaped.
    parameters: SkipValidation[dict[str, JsonValue]] = Field(default_factory=dict)
    conditions: SkipValidation[dict[str, JsonValue]] = Field(default_factory=dict)
    outputs: SkipValidation[dict[str, JsonValue]] = Field(default_factory=dict)
    mappings: SkipValidation[dict[str, JsonValue]] = Field(default_factory=dict)
    #: Design-wide assumptions, e.g. ``{"hours_per_month": 730, "requests_per_month": 30000000}``.
    assumptions: SkipValidation[dict[str, JsonValue]] = Field(default_factory=dict)
    #: Network plan, security groups and IAM summaries for the report (the resources are in the graph).
    network: SkipValidation[dict[str, JsonValue]] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    metadata: SkipValidation[dict[str, JsonValue]] = Field(default_factory=dict)

    # --- graph helpers ------------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Resource]:  # type: ignore[override]
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)

    def get(self, logical_id: str) -> Resource | None:
        """The resource with this logical id (the first, if several), through an index by logical id.

        The index is rebuilt whenever the resource list is replaced or changes length (``add``, append);
        a hit is checked against the resource's current logical id. Replacing an element in place
        (``resources[i] = other``) or renaming a resource after it was looked up is not seen: assign a
        new list instead.
        """
        hit = self._by_id().get(logical_id)
        if hit is not None and hit.logical_id != logical_id:  # renamed in place since indexed
            del self.__dict__["_cw_by_id"]
            return self.get(logical_id)
        return hit

    def _by_id(self) -> dict[str, Resource]:
        """Logical id → resource (the first with that id), rebuilt when the resource list changes."""
        rs = self.resources
        cached = self.__dict__.get("_cw_by_id")
        if cached is None or cached[0] is not rs or cached[1] != len(rs):
            index: dict[str, Resource] = {}
            for r in rs:
                index.setdefault(r.logical_id, r)
            cached = (rs, len(rs), index)
            self.__dict__["_cw_by_id"] = cached  # not a field: never dumped, copied or compared
        return cached[2]

    def __getitem__(self, logical_id: str) -> Resource:
        r = self.get(logical_id)
        if r is None:
            raise KeyError(logical_id)
        return r

    def by_type(self, *types: str) -> list[Resource]:
        return [r for r in self.resources if r.type in types]

    def types(self) -> list[str]:
        return sorted({r.type for r in self.resources})

    def add(self, resource: Resource) -> Resource:
        lid = resource.logical_id
        if lid in self._by_id() and self.get(lid) is not None:
            raise ValueError(f"duplicate logical id {lid}")
        rs = self.resources
        rs.append(resource)
        index = self.__dict__["_cw_by_id"][2]  # current: _by_id (or get) just built or checked it
        # keep the index current instead of rebuilding it on the next lookup (builders add hundreds)
        index[lid] = resource
        self.__dict__["_cw_by_id"] = (rs, len(rs), index)
        return resource

    def connect(self, source: str, target: str, kind: EdgeKind = "request", label: str = "") -> None:
        """Add the edge unless the design already has an equal one (same source, target, kind, label).

        Duplicates are found through a set of edge keys, kept current by ``connect`` and rebuilt when
        the edge list is replaced, changes length or has a different last edge (a direct append,
        removal or sort is seen). Replacing an edge in the middle of the list in place
        (``edges[i] = other``) is not: assign a new list instead.
        """
        key = (source, target, kind, label)
        keys = self._edge_keys()
        if key not in keys:
            edges = self.edges
            edges.append(Edge.trusted(source=source, target=target, kind=kind, label=label))
            keys.add(key)
            self.__dict__["_cw_edges"] = (edges, len(edges), edges[-1], keys)

    def _edge_keys(self) -> set[tuple[str, str, EdgeKind, str]]:
        """The ``(source, target, kind, label)`` of every edge, rebuilt when the edge list changes."""
        edges = self.edges
        cached = self.__dict__.get("_cw_edges")
        n = len(edges)
        if cached is None or cached[0] is not edges or cached[1] != n or (n and cached[2] is not edges[-1]):
            keys = {(e.source, e.target, e.kind, e.label) for e in edges}
            cached = (edges, n, edges[-1] if n else None, keys)
            self.__dict__["_cw_edges"] = cached  # not a field: never dumped, copied or compared
        return cached[3]

    def regions(self) -> set[str]:
        """Every Region the design uses: its own, where each resource runs or keeps data
        (:meth:`Resource.data_regions`) and the Regions of its secondary stacks."""
        out = {self.region}
        for r in self.resources:
            out |= r.data_regions()
        for sec in list_or_empty(self.metadata.get("secondary_regions")):
            region = sec.get("region") if isinstance(sec, dict) else None
            if isinstance(region, str):
                out.add(region)
        return out

    def sorted_resources(self) -> list[Resource]:
        return sorted(self.resources, key=lambda r: r.logical_id)

    def sorted_edges(self) -> list[Edge]:
        return sorted(self.edges, key=lambda e: (e.source, e.target, e.kind, e.label))

    def references(self, resource: Resource) -> set[str]:
        """Logical ids a resource refers to through Ref / GetAtt / Sub / DependsOn."""
        from cloudwright.cfn.intrinsics import references

        ids = self._by_id()
        found: set[str] = set(d for d in resource.depends_on if d in ids)
        found.update(name for name in references(resource.properties) if name in ids)
        found.discard(resource.logical_id)
        return found
