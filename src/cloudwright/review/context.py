"""What a check sees: the design, the requirements, the environment and value helpers.

Values follow checkov's value-check semantics: CloudFormation string booleans (``"true"``) are booleans,
numeric strings are numbers, a ``Ref`` to a template parameter resolves to its ``Default``, and any
other intrinsic function (``Fn::If``, ``Fn::ImportValue``, a ``Ref`` to a resource …) is *unknown*.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from cloudwright.cfn import intrinsics
from cloudwright.design.model import Design, Resource
from cloudwright.requirements import Requirements
from cloudwright.review.model import Severity, Status
from cloudwright.units import JsonValue

if TYPE_CHECKING:
    from cloudwright.pricing.model import Estimate

#: The date lifecycle facts (runtime deprecations, end of support, engine support) are judged at by
#: default: the day that data was last reviewed. A fixed date keeps reviews byte-identical from day to day;
#: ``review_design(today=...)`` / ``cloudwright review --as-of`` judge at another date.
LIFECYCLE_AS_OF = date(2026, 11, 23)


#: A value that cannot be resolved statically (the reader's one rule: :data:`intrinsics.UNRESOLVED`).
UNKNOWN: intrinsics.Marker = intrinsics.UNRESOLVED


class Absent:
    """The type of :data:`MISSING`: one instance, true like any object (unlike :data:`UNKNOWN`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


#: A property that is absent (or ``Ref AWS::NoValue``).
MISSING: Final = Absent()
#: What :meth:`ReviewContext.value` and :meth:`ReviewContext.resolve` give: a JSON value (string booleans
#: and numbers normalised), :data:`MISSING` or :data:`UNKNOWN`.
Resolved: TypeAlias = JsonValue | intrinsics.Marker | Absent

Fix = Callable[[Design], None]


@dataclass
class Outcome:
    """What a check reports for one resource."""

    status: Status
    resource: str
    message: str = ""
    path: list[str] = field(default_factory=list)
    #: Mutates a copy of the design to apply the remediation (used to price the fix).
    fix: Fix | None = None
    #: A cost delta computed by the check itself (when the pricing engine cannot price the fix).
    cost_delta: Any = None
    cost_note: str = ""
    #: This finding's severity when it differs from the check's (e.g. an exposure that reaches nothing).
    severity: Severity | None = None


_SEGMENT = re.compile(r"^(?P<name>[^\[]+)?(?:\[(?P<key>[^=\]]+)=(?P<val>[^\]]+)\])?$")


def split_path(path: str) -> list[str]:
    """``"A.B[Key=x.y].Value"`` → ``["A", "B[Key=x.y]", "Value"]`` (dots inside brackets kept)."""
    parts: list[str] = []
    buf = ""
    depth = 0
    for ch in path:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == "." and depth == 0:
            parts.append(buf)
            buf = ""
        else:
            buf += ch
    if buf:
        parts.append(buf)
    return parts


def is_intrinsic(value: Any) -> bool:
    return intrinsics.is_intrinsic(value)


@dataclass
class ReviewContext:
    design: Design
    requirements: Requirements | None = None
    environment: str = "prod"
    today: date = LIFECYCLE_AS_OF
    #: Compliance frameworks the review applies (``HIPAA``, ``PCI-DSS`` …).
    compliance: tuple[str, ...] = ()
    #: Priced monthly total of the design (None when it could not be priced).
    monthly_cost: Decimal | None = None
    #: The pricing estimate behind ``monthly_cost`` (None when it could not be priced).
    estimate: Estimate | None = None
    #: Notes for the review (a check skipped on a large design says so here).
    notes: list[str] = field(default_factory=list)
    _resolver: intrinsics.Resolver | None = field(default=None, init=False, repr=False, compare=False)

    # --- environment -------------------------------------------------------------------------------
    @property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    @property
    def is_dev(self) -> bool:
        return self.environment == "dev"

    # --- resources (through an index of the graph built once per review) ------------------------------
    def _graph(self) -> GraphIndex:
        index = self.__dict__.get("_index")
        if index is None or not index.fresh(self.design):
            index = self.__dict__["_index"] = GraphIndex(self.design)
        return index

    def resources(self, *types: str) -> list[Resource]:
        """Resources of ``types`` (all when none), sorted by logical id."""
        return self._graph().of_types(types)

    def get(self, logical_id: str) -> Resource | None:
        return self.design.get(logical_id)

    def references(self, resource: Resource) -> set[str]:
        """Logical ids ``resource`` refers to (Ref / GetAtt / Sub / DependsOn)."""
        return set(self._graph().refs(resource))

    def referrers(self, logical_id: str, *types: str) -> list[Resource]:
        """Resources (of ``types``) whose properties reference ``logical_id``, sorted by logical id."""
        return self._graph().referrers(logical_id, types)

    def ref_target(self, value: Any) -> str | None:
        """Logical id behind ``{"Ref": X}`` / ``{"Fn::GetAtt": [X, ...]}`` / a plain id string."""
        target = intrinsics.ref_target(value)
        if target is not None:
            return target
        if isinstance(value, str) and self.design.get(value) is not None:
            return value
        return None

    # --- values ------------------------------------------------------------------------------------
    @property
    def resolver(self) -> intrinsics.Resolver:
        """The design's intrinsics resolver (parameter values, conditions, mappings, region)."""
        if self._resolver is None:
            self._resolver = intrinsics.Resolver.for_design(self.design)
        return self._resolver

    def resolve(self, value: Resolved) -> Resolved:
        """Normalise a property value: string booleans/numbers, and intrinsic functions evaluated from
        parameter values, conditions and mappings (UNKNOWN when that needs a deployed value)."""
        if value is MISSING or value is UNKNOWN:
            return value
        if intrinsics.function_of(value) is not None:
            value = self.resolver.resolve(value)
            if value is intrinsics.NO_VALUE:
                return MISSING
            return self.resolve(value)
        if isinstance(value, str):
            low = value.strip().lower()
            if low in ("true", "false"):
                return low == "true"
            try:
                return int(value)
            except ValueError:
                pass
            try:
                return float(value)
            except ValueError:
                return value
        return value

    def value(self, resource: Resource, path: str, *, resolve_leaf: bool = True) -> Resolved:
        """Resolved value at a dotted path (``MISSING`` when absent, ``UNKNOWN`` when unresolvable).

        With ``resolve_leaf=False`` the value itself is returned as written (an intrinsic stays a dict),
        which is what "is this property set?" needs.
        """
        cur: Any = resource.properties
        for seg in split_path(path):
            cur = self.resolve(cur)
            if cur is UNKNOWN:
                return UNKNOWN
            m = _SEGMENT.match(seg)
            name = m.group("name") if m else seg
            if name:
                if isinstance(cur, dict) and name in cur:
                    cur = cur[name]
                elif isinstance(cur, list) and name.isdigit() and int(name) < len(cur):
                    cur = cur[int(name)]
                else:
                    return MISSING
            if m and m.group("key"):
                cur = self.resolve(cur)
                if cur is UNKNOWN:
                    return UNKNOWN
                if not isinstance(cur, list):
                    return MISSING
                key, want = m.group("key"), m.group("val")
                hits = [item for item in cur if isinstance(item, dict) and str(item.get(key)) == want]
                if not hits:
                    return MISSING
                cur = hits[0]
        return self.resolve(cur) if resolve_leaf else cur

    def as_number(self, value: Resolved) -> float | None:
        v = self.resolve(value)
        if isinstance(v, bool) or not isinstance(v, int | float):
            return None
        return float(v)

    # --- topology ----------------------------------------------------------------------------------
    def subnet_az(self, subnet: Resource) -> str | None:
        """A stable key for the AZ of a subnet (literal AZ name, or the GetAZs index)."""
        az = subnet.properties.get("AvailabilityZone")
        if isinstance(az, str):
            return az
        sel = intrinsics.call(az, "Fn::Select")
        if sel is not None and isinstance(sel, list) and sel:
            return f"az-index-{sel[0]}"
        if subnet.placement.azs:
            return subnet.placement.azs[0]
        return None

    def azs_of_subnets(self, subnet_refs: Any) -> set[str] | None:
        """AZ keys of a list of subnet references; None when any cannot be resolved."""
        if not isinstance(subnet_refs, list):
            return None
        out: set[str] = set()
        for ref in subnet_refs:
            target = self.ref_target(ref)
            sub = self.get(target) if target else None
            if sub is None or sub.type != "AWS::EC2::Subnet":
                return None
            az = self.subnet_az(sub)
            if az is None:
                return None
            out.add(az)
        return out

    def design_azs(self) -> set[str]:
        """AZs the design's subnets span (or its resources' placements)."""
        azs = {az for s in self.resources("AWS::EC2::Subnet") if (az := self.subnet_az(s))}
        if not azs:
            for r in self.design.resources:
                azs.update(r.placement.azs)
        return azs

    # --- load from the requirements / assumptions ----------------------------------------------------
    @property
    def load_factor(self) -> float:
        return {"prod": 1.0, "staging": 0.25, "dev": 0.05}.get(self.environment, 1.0)

    def peak_rps(self) -> float | None:
        """Peak requests per second this environment must carry (requirements × environment share)."""
        if self.requirements is not None:
            return self.requirements.peak_rps * self.load_factor
        val = self.design.assumptions.get("peak_rps")
        return float(val) if isinstance(val, int | float) else None

    def latency_target_ms(self) -> float | None:
        if self.requirements is not None:
            return float(self.requirements.latency_p95_ms)
        val = self.design.assumptions.get("latency_p95_ms")
        return float(val) if isinstance(val, int | float) else None

    # --- outcome helpers -----------------------------------------------------------------------------
    @staticmethod
    def path(resource: str, *props: str) -> list[str]:
        if resource == "design":
            return []
        out = ["Resources", resource]
        if props:
            out.append("Properties")
            for p in props:
                out.extend(split_path(p))
        return out

    def ok(self, resource: str) -> Outcome:
        return Outcome(Status.PASS, resource)

    def unknown(self, resource: str, reason: str) -> Outcome:
        return Outcome(Status.UNKNOWN, resource, reason)

    def fail(
        self,
        resource: str,
        message: str,
        *props: str,
        fix: Fix | None = None,
        cost_delta: Any = None,
        cost_note: str = "",
    ) -> Outcome:
        return Outcome(
            Status.FAIL, resource, message, self.path(resource, *props), fix, cost_delta, cost_note
        )


class GraphIndex:
    """The resource graph indexed once: resources by type, references and dependents (referrers).

    Checks ask the index instead of scanning the resource list per resource, so a review grows
    linearly with the design. Built for one design; :meth:`fresh` tells when its resource list changed.
    """

    def __init__(self, design: Design) -> None:
        self._design = design
        self._list = design.resources
        self._len = len(design.resources)
        self._sorted = sorted(design.resources, key=lambda r: r.logical_id)
        self._by_type: dict[str, list[Resource]] = {}
        for r in self._sorted:
            self._by_type.setdefault(r.type, []).append(r)
        self._refs: dict[str, frozenset[str]] = {}
        self._referrers: dict[str, list[Resource]] | None = None

    def fresh(self, design: Design) -> bool:
        return (
            design is self._design and design.resources is self._list and len(design.resources) == self._len
        )

    def of_types(self, types: tuple[str, ...]) -> list[Resource]:
        if not types:
            return list(self._sorted)
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        found = [r for t in set(types) for r in self._by_type.get(t, ())]
        return sorted(found, key=lambda r: r.logical_id)

    def refs(self, resource: Resource) -> frozenset[str]:
        hit = self._refs.get(resource.logical_id)
        if hit is None or self._design.get(resource.logical_id) is not resource:
            hit = frozenset(self._design.references(resource))
            if self._design.get(resource.logical_id) is resource:
                self._refs[resource.logical_id] = hit
        return hit

    def referrers(self, logical_id: str, types: tuple[str, ...] = ()) -> list[Resource]:
        if self._referrers is None:
            back: dict[str, list[Resource]] = {}
            for r in self._sorted:
                for target in self.refs(r):
                    back.setdefault(target, []).append(r)
            self._referrers = back
        found = self._referrers.get(logical_id, [])
        return [r for r in found if r.type in types] if types else list(found)


def iter_statements(policy_document: Any) -> Iterator[dict[str, Any]]:
    """Statements of an IAM policy document (single statement or list)."""
    if not isinstance(policy_document, dict):
        return
    stmts = policy_document.get("Statement")
    if isinstance(stmts, dict):
        stmts = [stmts]
    if isinstance(stmts, list):
        for s in stmts:
            if isinstance(s, dict):
                yield s


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def names(items: Iterable[Resource]) -> str:
    return ", ".join(r.logical_id for r in items)
