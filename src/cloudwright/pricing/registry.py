"""Cost-model registry: modules in :mod:`cloudwright.pricing.resources` declare one model each with
:func:`cost_model`; :func:`load_cost_models` imports them (pkgutil) and returns the registry.

A cost model is a pure function ``(resource, ctx) -> list[Charge]``. Its usage keys are declared once
(:class:`UsageKey`) and drive validation, the usage-file template and ``docs/usage-keys.md``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from cloudwright.design.model import Design, Resource
from cloudwright.errors import InputError
from cloudwright.pricing.input_schema import MAX_USAGE, usage_value
from cloudwright.pricing.model import Charge, PriceQuery
from cloudwright.units import D, JsonObject, JsonValue

if TYPE_CHECKING:
    from cloudwright.cfn.intrinsics import Resolver

#: The largest usage value, as an int (comparing an int or a float with it is faster than with a Decimal).
_MAX_USAGE = int(MAX_USAGE)


@dataclass(frozen=True)
class UsageKey:
    key: str
    unit: str
    description: str
    type: Literal["number", "integer", "string", "object"] = "number"


@dataclass
class Reads:
    """What a cost model read of its design besides its own resource (recorded for the per-search
    memo of resource pricings, :mod:`cloudwright.pricing.memo`): the resources it followed references
    to, and whether it evaluated an intrinsic function (parameters, conditions, mappings, Region)."""

    refs: dict[str, Resource | None] = field(default_factory=dict)
    resolver: bool = False


@dataclass
class ModelContext:
    """What a cost model sees besides its resource: usage (merged), region, hours and the design.

    A cost model reads the design only through :meth:`ref` and :meth:`resolver` (recorded in
    ``reads`` when set, so a memoised pricing is reused only where those reads are unchanged)."""

    design: Design
    resource: Resource
    usage: JsonObject
    region: str
    hours: Decimal
    reads: Reads | None = None

    def in_region(self, region: str) -> ModelContext:
        """This context billed in another Region (a global service's us-east-1, a table replica's
        Region): what ``dataclasses.replace(ctx, region=...)`` makes, without its generic field walk."""
        return ModelContext(self.design, self.resource, self.usage, region, self.hours, self.reads)

    def q(self, servicecode: str, **attrs: str) -> PriceQuery:
        return PriceQuery(servicecode, self.region, tuple(sorted(attrs.items())))

    def num(self, key: str) -> Decimal | None:
        value = self.usage.get(key)
        if value is None:
            return None
        # The common cases, checked and converted as below to the same Decimal: an int, or a float
        # (a NaN or an infinity fails the bounds and takes the checked path to its error).
        if type(value) is int and 0 <= value <= _MAX_USAGE:
            return Decimal(value)
        if type(value) is float and 0 <= value <= _MAX_USAGE:
            return Decimal(repr(value))
        if isinstance(value, int | float | Decimal | bool):
            usage_value(value, f"{self.resource.logical_id}.{key}")  # finite, 0 … 1e15: never priced as $0
        return self.number(key, value)

    def number(self, where: str, value: JsonValue) -> Decimal:
        """``value``, the usage figure at ``<resource>.<where>`` (a key, or a key and a sub-key of a
        usage block), as a Decimal; a one-line error naming the place when it is not a number."""
        try:
            return D(value)
        except Exception as exc:
            raise InputError(
                f"usage value for {self.resource.logical_id}.{where} is not a number",
                field=f"{self.resource.logical_id}.{where}",
                value=value,
            ) from exc

    def ref(self, value: JsonValue) -> Resource | None:
        """Follow ``{"Ref": X}`` / ``{"Fn::GetAtt": [X, ...]}`` / a plain logical id to a resource."""
        from cloudwright.cfn.intrinsics import ref_target

        target = ref_target(value) if isinstance(value, dict) else value
        if not isinstance(target, str):
            return None
        found = self.design.get(target)
        if self.reads is not None:
            self.reads.refs[target] = found
        return found

    def resolver(self) -> Resolver:
        """The design's resolver of intrinsic functions (its parameters, conditions, mappings, Region)."""
        from cloudwright.cfn.intrinsics import Resolver

        if self.reads is not None:
            self.reads.resolver = True
        return Resolver.for_design(self.design)


ModelFn = Callable[[Resource, ModelContext], list[Charge]]


@dataclass(frozen=True)
class CostModel:
    cfn_type: str
    fn: ModelFn
    #: The AWS Price List service code the model prices (``AmazonEC2``), declared at registration.
    service: str
    #: Other service codes its charges query (e.g. CloudWatch for EC2 detailed monitoring).
    also: tuple[str, ...] = ()
    usage: tuple[UsageKey, ...] = ()
    #: True when the resource costs nothing without usage (no hourly or monthly fixed charge).
    usage_only: bool = False
    module: str = ""
    doc: str = ""

    @property
    def services(self) -> tuple[str, ...]:
        """Every Price List service code the model's charges may query, its own service first."""
        return (self.service, *self.also)

    def __call__(self, r: Resource, ctx: ModelContext) -> list[Charge]:
        return self.fn(r, ctx)


_DECLARED: dict[str, CostModel] = {}


def cost_model(
    cfn_type: str,
    *,
    service: str,
    also: tuple[str, ...] = (),
    usage: tuple[UsageKey, ...] | list[UsageKey] = (),
    usage_only: bool = False,
) -> Callable[[ModelFn], ModelFn]:
    """Declare the cost model of one CloudFormation type (collected by :func:`load_cost_models`).

    ``service`` is the AWS Price List service code the model prices; ``also`` lists any other service
    codes its charges query (a meta-test checks every emitted query against them)."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", service or ""):
        raise ValueError(f"cost model for {cfn_type}: service must be a Price List service code")

    def deco(fn: ModelFn) -> ModelFn:
        existing = _DECLARED.get(cfn_type)
        if existing is not None and existing.fn is not fn:
            raise ValueError(f"cost model for {cfn_type} declared twice")
        _DECLARED[cfn_type] = CostModel(
            cfn_type,
            fn,
            service,
            tuple(also),
            tuple(usage),
            usage_only,
            fn.__module__,
            (fn.__doc__ or "").strip(),
        )
        return fn

    return deco


@cache
def load_cost_models() -> Mapping[str, CostModel]:
    import cloudwright.pricing.resources as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{pkg.__name__}.{info.name}")
    return MappingProxyType(dict(sorted(_DECLARED.items())))


def service_of(cfn_type: str) -> str:
    """The Price List service code the cost model of ``cfn_type`` prices (KeyError: no cost model)."""
    return load_cost_models()[cfn_type].service


def services_of(cfn_type: str) -> tuple[str, ...]:
    """Every Price List service code the cost model of ``cfn_type`` queries, its own service first."""
    return load_cost_models()[cfn_type].services


def topy(cfn_type: str) -> str:
    """cfn-lint's ToPy rule: ``AWS::EC2::NatGateway`` → ``aws_ec2_natgateway``."""
    return re.sub(r"[^a-z0-9]+", "_", cfn_type.lower()).strip("_")
