"""Pattern + Requirements → Design.

A pattern (data, ``patterns/data/<id>.yaml``) lists *components*; each component id names a builder
function in ``cloudwright.design.components`` registered with :func:`component`. Builders add
CloudFormation-shaped resources, edges and usage to the design through a :class:`BuildContext`.

Builders talk to each other through typed fields (:class:`Provided`, ``ctx.provided``): the network
builder sets ``ctx.provided.network`` (a :class:`Network`) and the database builder reads its subnets.
Each builder declares what it ``needs`` (a provider must be in the pattern), what it ``uses`` when the
pattern has it (e.g. the customer managed key) and what it ``provides``. The build order comes from
those declarations (:func:`build_order`: a topological sort, ties broken by the builder's declared
``stage`` and then its id), never from the order the pattern lists its components in.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cache, cached_property
from operator import attrgetter
from types import MappingProxyType, UnionType
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    Literal,
    TypeAlias,
    TypeVar,
    Union,
    get_args,
    get_origin,
    overload,
)

from pydantic import BaseModel, ConfigDict, ValidationError

from cloudwright.design.model import Design, EdgeKind, Placement, Resource, Tier
from cloudwright.errors import InputError
from cloudwright.requirements import Requirements
from cloudwright.units import ENVIRONMENTS, JsonValue

if TYPE_CHECKING:
    from cloudwright.patterns.model import ComponentRef, Pattern

_T = TypeVar("_T")
_J = TypeVar("_J")

#: A CloudFormation value: a literal or an intrinsic function such as ``{"Fn::GetAtt": [...]}``.
CfnValue: TypeAlias = JsonValue


# --- JSON sections of the design -------------------------------------------------------------------
def json_object(parent: dict[str, JsonValue], key: str) -> dict[str, JsonValue]:
    """``parent[key]``, a JSON object, made empty when absent (``setdefault`` with a precise type).
    A value of another type is a builder bug and raises ``TypeError``."""
    found = parent.setdefault(key, {})
    if not isinstance(found, dict):
        raise TypeError(f"{key} is a {type(found).__name__}, not an object")
    return found


def json_array(parent: dict[str, JsonValue], key: str) -> list[JsonValue]:
    """``parent[key]``, a JSON array, made empty when absent; another type raises ``TypeError``."""
    found = parent.setdefault(key, [])
    if not isinstance(found, list):
        raise TypeError(f"{key} is a {type(found).__name__}, not an array")
    return found


def json_copy(value: _J) -> _J:
    """A copy of a JSON value that shares no dict or list with it (scalars are shared, and not visited by
    a call): what ``copy.deepcopy`` gives for JSON fragments (builders' module data, the sections of a
    design copied to build a recovery strategy into), several times faster."""
    out: object = value
    if isinstance(value, dict):
        out = {k: json_copy(v) if isinstance(v, _JSON_CONTAINERS) else v for k, v in value.items()}
    elif isinstance(value, list):
        out = [json_copy(v) if isinstance(v, _JSON_CONTAINERS) else v for v in value]
    return out  # type: ignore[return-value]


#: ``isinstance`` with a tuple is faster than with the union ``dict | list``.
_JSON_CONTAINERS = (dict, list)


# --- what builders provide each other --------------------------------------------------------------
@dataclass(frozen=True)
class KmsKey:
    """The pattern's customer managed key (``kms``)."""

    key: str
    alias: str


@dataclass(frozen=True)
class Network:
    """The VPC (``network``): logical ids of the VPC, its subnets per tier and its route tables."""

    vpc: str
    cidr: str
    azs: list[str]
    public_subnets: list[str]
    private_subnets: list[str]
    data_subnets: list[str]
    private_route_tables: list[str]
    data_route_table: str
    nat_gateways: list[str]


@dataclass(frozen=True)
class SecurityGroups:
    """Security groups by tier (``security-groups`` or ``websocket-nlb``); ``None`` when not made."""

    app: str
    alb: str | None = None
    lb: str | None = None
    db: str | None = None
    cache: str | None = None


@dataclass(frozen=True)
class LoadBalancer:
    """The load balancer in front of the fleet (``alb`` or ``websocket-nlb``)."""

    load_balancer: str
    target_group: str
    listener: str
    target_type: str
    port: int


@dataclass(frozen=True)
class DataStore:
    """A database (``aurora``, ``rds``) or cache (``elasticache``) the application connects to."""

    resource: str
    port: int
    endpoint: CfnValue
    engine: str = ""
    secret: CfnValue = None


@dataclass
class Apis:
    """API front doors by kind (``rest-api``, ``http-api``, ``appsync``)."""

    rest: str | None = None
    http: str | None = None
    graphql: str | None = None


@dataclass(frozen=True)
class UserPool:
    """The Cognito user pool and its app client (``cognito`` or the first builder that needs one)."""

    user_pool: str
    client: str


@dataclass(frozen=True)
class StaticSite:
    """The S3 + CloudFront site (``static-site`` or ``content-cdn``)."""

    bucket: str
    distribution: str


@dataclass(frozen=True)
class Stream:
    """The Kinesis data stream (``kinesis``)."""

    stream: str
    shards: int
    record_kb: float


@dataclass(frozen=True)
class DataLake:
    """The S3 data lake with its catalogue, Athena workgroup and Firehose delivery (``firehose-datalake``)."""

    bucket: str
    database: str
    workgroup: str
    delivery_stream: str
    direct_put: bool


@dataclass(frozen=True)
class GlobalTable:
    """The DynamoDB global table and the Regions it is replicated to (``global-tables``)."""

    table: str
    regions: list[str]


@dataclass(frozen=True)
class Saga:
    """The order saga state machine (``step-functions-saga``)."""

    state_machine: str
    requested: str
    executions: int


@dataclass(frozen=True)
class EventBus:
    """The EventBridge custom bus (``eventbridge``)."""

    bus: str
    source: str
    dlq: str


@dataclass
class OrderEvents:
    """The order topic and its subscriber queues (``sns-fanout``)."""

    topic: str | None = None
    queues: list[str] = field(default_factory=list)


@dataclass
class Provided:
    """What builders provide each other. A builder sets the fields it declares in ``provides`` and reads
    the ones it declares in ``needs`` (always set) or ``uses`` (set when the pattern has a provider)."""

    kms_key: KmsKey | None = None
    network: Network | None = None
    security_groups: SecurityGroups | None = None
    load_balancer: LoadBalancer | None = None
    database: DataStore | None = None
    cache: DataStore | None = None
    user_pool: UserPool | None = None
    apis: Apis = field(default_factory=Apis)
    static_site: StaticSite | None = None
    stream: Stream | None = None
    data_lake: DataLake | None = None
    global_table: GlobalTable | None = None
    saga: Saga | None = None
    event_bus: EventBus | None = None
    order_events: OrderEvents = field(default_factory=OrderEvents)
    #: The bucket for DynamoDB items too large for a table (``dynamodb``'s large-object store).
    large_objects_bucket: str | None = None
    #: DynamoDB tables added so far, by table name (a shared registry: :func:`~.nosql.ensure_table`).
    tables: dict[str, str] = field(default_factory=dict)


#: The names a builder may declare in ``needs``, ``uses`` and ``provides``.
PROVIDED = frozenset(f.name for f in fields(Provided))

#: Coarse build phases, used only to break ties between builders the declarations leave unordered.
Stage = Literal["foundation", "network", "data", "application", "edge", "operations"]
STAGES: tuple[Stage, ...] = ("foundation", "network", "data", "application", "edge", "operations")


# --- builder options ----------------------------------------------------------------------------------
class BuilderOptions(BaseModel):
    """Base of a builder's options (the ``options:`` of a pattern's component), checked when the
    catalogue is checked: an unknown or ill-typed option is an error naming the pattern, the component
    and the option. Each field's docstring is its description (shown in the component reference)."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class NoOptions(BuilderOptions):
    """The options of a builder that takes none."""


#: The shared options instance of builders that take none.
NO_OPTIONS = NoOptions()

OptionsT = TypeVar("OptionsT", bound=BuilderOptions)

#: A component builder: adds resources to the design through the context, reading its typed options.
Builder: TypeAlias = Callable[["BuildContext", OptionsT], None]


def _type_name(annotation: object) -> str:
    """A reader's spelling of an option's type: ``'simple' | 'latency'``, ``int | None``, ``list[str]``."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return " | ".join(repr(a) for a in args)
    if origin is Annotated:
        return _type_name(args[0])
    if origin in (Union, UnionType):
        return " | ".join(_type_name(a) for a in args)
    if annotation is type(None):
        return "None"
    if origin is not None:
        return f"{getattr(origin, '__name__', origin)}[{', '.join(_type_name(a) for a in args)}]"
    return getattr(annotation, "__name__", str(annotation))


def describe_option(model: type[BuilderOptions], name: str) -> str:
    """``name: type = default`` of one option."""
    info = model.model_fields[name]
    return f"{name}: {_type_name(info.annotation)} = {info.get_default(call_default_factory=True)!r}"


def describe_options(model: type[BuilderOptions]) -> list[str]:
    """:func:`describe_option` for every option of a model, in declaration order."""
    return [describe_option(model, name) for name in model.model_fields]


def _options_error(where: str, model: type[BuilderOptions], exc: ValidationError) -> InputError:
    """One problem per option (a union reports one error per member: their messages are joined)."""
    messages: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else "options"
        if err["type"] == "extra_forbidden":
            msg = "unknown option"
        elif err["type"] == "value_error":  # a validator's own sentence, without pydantic's prefix
            msg = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            msg = str(err["msg"])
        if msg not in messages.setdefault(name, []):
            messages[name].append(msg)
        values.setdefault(name, err.get("input"))
    problems = []
    for name, msgs in messages.items():
        if name in model.model_fields:
            allowed = describe_option(model, name)
        else:
            allowed = "; ".join(describe_options(model)) or "none (the component takes no options)"
        problems.append(
            InputError(" or ".join(msgs), field=f"{where}.{name}", value=values[name], allowed=allowed)
        )
    if len(problems) == 1:
        return problems[0]
    return InputError(f"{where}: {len(problems)} invalid options", field=where, problems=problems)


@dataclass(frozen=True)
class BuilderSpec:
    """A registered builder and its declarations."""

    id: str
    #: The builder function (its options argument is of the type ``options`` names).
    fn: Callable[..., None]
    needs: frozenset[str] = frozenset()
    uses: frozenset[str] = frozenset()
    provides: frozenset[str] = frozenset()
    #: Builders this one must run after when the pattern has them (an ordering that is not a value,
    #: e.g. the observability builder reads every resource the others made).
    after: frozenset[str] = frozenset()
    #: Reads the design as a whole (e.g. the WAF protects every load balancer and API stage in it):
    #: runs after every builder that does not.
    scans: bool = False
    #: Run after every other builder of the pattern (observability: alarms over the whole design).
    last: bool = False
    stage: Stage = "application"
    #: The builder's options model (:class:`NoOptions` for a builder that takes none).
    options: type[BuilderOptions] = NoOptions

    def parse_options(self, raw: Mapping[str, Any], *, pattern_id: str | None = None) -> BuilderOptions:
        """The builder's typed options from a pattern's ``options:`` mapping; an unknown or ill-typed
        option is an :class:`InputError` naming the pattern, the component, the option and what is
        allowed."""
        try:
            return self.options.model_validate(dict(raw))
        except ValidationError as exc:
            where = f"component {self.id} options"
            if pattern_id is not None:
                where = f"pattern {pattern_id}: {where}"
            raise _options_error(where, self.options, exc) from None

    def __call__(self, ctx: BuildContext, options: Mapping[str, Any] | BuilderOptions | None = None) -> None:
        """Run the builder; raw ``options`` are parsed first (:meth:`parse_options`)."""
        if not isinstance(options, BuilderOptions):
            options = self.parse_options(options or {})
        self.fn(ctx, options)


_DECLARED: dict[str, BuilderSpec] = {}


@overload
def component(
    component_id: str,
    *,
    options: type[OptionsT],
    needs: Sequence[str] = (),
    uses: Sequence[str] = (),
    provides: Sequence[str] = (),
    after: Sequence[str] = (),
    scans: bool = False,
    last: bool = False,
    stage: Stage = "application",
) -> Callable[[Builder[OptionsT]], Builder[OptionsT]]: ...


@overload
def component(
    component_id: str,
    *,
    needs: Sequence[str] = (),
    uses: Sequence[str] = (),
    provides: Sequence[str] = (),
    after: Sequence[str] = (),
    scans: bool = False,
    last: bool = False,
    stage: Stage = "application",
) -> Callable[[Builder[NoOptions]], Builder[NoOptions]]: ...


def component(
    component_id: str,
    *,
    options: type[BuilderOptions] = NoOptions,
    needs: Sequence[str] = (),
    uses: Sequence[str] = (),
    provides: Sequence[str] = (),
    after: Sequence[str] = (),
    scans: bool = False,
    last: bool = False,
    stage: Stage = "application",
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Declare a component builder, its ``options`` model (a :class:`BuilderOptions`; by default
    :class:`NoOptions`, for a builder that takes none) and what it ``needs``, ``uses`` (when present) and
    ``provides`` (fields of :class:`Provided`). The loader (:func:`load_components`) collects them."""
    unknown = sorted((set(needs) | set(uses) | set(provides)) - PROVIDED)
    if unknown:
        raise ValueError(f"component {component_id!r}: unknown provided field(s) {unknown}; see Provided")

    def deco(fn: Callable[..., None]) -> Callable[..., None]:
        if component_id in _DECLARED and _DECLARED[component_id].fn is not fn:
            raise ValueError(f"component {component_id!r} declared twice")
        _DECLARED[component_id] = BuilderSpec(
            component_id,
            fn,
            frozenset(needs),
            frozenset(uses),
            frozenset(provides),
            frozenset(after),
            scans,
            last,
            stage,
            options,
        )
        return fn

    return deco


@cache
def load_components() -> Mapping[str, BuilderSpec]:
    """Import every module in ``cloudwright.design.components`` and return the builder registry."""
    import cloudwright.design.components as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        importlib.import_module(f"{pkg.__name__}.{info.name}")
    return MappingProxyType(dict(sorted(_DECLARED.items())))


class BuildOrderError(ValueError):
    """A pattern whose builders cannot be ordered: an unknown builder, a missing provider or a cycle."""


def build_order(pattern_id: str, builder_ids: Sequence[str]) -> list[str]:
    """The order to run a pattern's builders in, from their declarations alone.

    A builder runs after the providers of everything it ``needs`` or ``uses``, after the builders it
    names in ``after``; one that ``scans`` the design runs after every builder that does not, and one
    that is ``last`` after all others. Ties go to the earlier ``stage``, then
    to the builder id, so the order never depends on how the pattern lists its components.
    """
    registry = load_components()
    ids = sorted(set(builder_ids))
    unknown = [b for b in ids if b not in registry]
    if unknown:
        raise BuildOrderError(
            f"pattern {pattern_id}: no builder for component(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(registry)}"
        )
    specs = [registry[b] for b in ids]
    providers: dict[str, list[str]] = {}
    for s in specs:
        for name in s.provides:
            providers.setdefault(name, []).append(s.id)
    before: dict[str, set[str]] = {s.id: set() for s in specs}
    for s in specs:
        for name in sorted(s.needs):
            if name not in providers:
                raise BuildOrderError(
                    f"pattern {pattern_id}: builder {s.id} needs {name}, which no builder of the pattern "
                    f"provides (providers: {', '.join(_providers_of(name)) or 'none'})"
                )
        for name in s.needs | s.uses:
            before[s.id].update(p for p in providers.get(name, []) if p != s.id)
        before[s.id].update(a for a in s.after if a in before)
        if s.scans:
            before[s.id].update(o.id for o in specs if not (o.scans or o.last))
        if s.last:
            before[s.id].update(o.id for o in specs if o.id != s.id and not o.last)
    rank = {s.id: (STAGES.index(s.stage), s.id) for s in specs}
    order: list[str] = []
    done: set[str] = set()
    while len(order) < len(specs):
        ready = [b for b in before if b not in done and before[b] <= done]
        if not ready:
            stuck = sorted(b for b in before if b not in done)
            raise BuildOrderError(f"pattern {pattern_id}: builders depend on each other in a cycle: {stuck}")
        nxt = min(ready, key=rank.__getitem__)
        order.append(nxt)
        done.add(nxt)
    return order


def _providers_of(name: str) -> list[str]:
    return sorted(s.id for s in load_components().values() if name in s.provides)


def check_catalogue(patterns: Mapping[str, Pattern]) -> None:
    """Raise :class:`BuildOrderError` for the first pattern whose builders cannot be ordered, and
    :class:`InputError` for the first component whose options its builder does not accept."""
    registry = load_components()
    for p in patterns.values():
        build_order(p.id, p.builders)
        for comp in p.components:
            registry[comp.builder].parse_options(comp.options, pattern_id=p.id)


@cache
def _checked_catalogue() -> bool:
    from cloudwright.patterns.catalog import load_patterns

    check_catalogue(load_patterns())
    return True


@dataclass
class BuildContext:
    """What a component builder sees: the requirements, the environment and the design so far."""

    requirements: Requirements
    environment: str
    design: Design
    #: Ids of every builder the pattern lists (whether or not its ``when`` holds in this build).
    pattern_builders: frozenset[str] = frozenset()
    #: What builders provide each other (see :class:`Provided`).
    provided: Provided = field(default_factory=Provided)

    # --- environment shape (seed 003: dev single-AZ and cheap, staging production-like, prod multi-AZ) --
    # worked out once per build: the requirements are frozen and a context's environment never changes
    @cached_property
    def region(self) -> str:
        return self.requirements.region

    @cached_property
    def is_prod(self) -> bool:
        return self.environment == "prod"

    @cached_property
    def is_dev(self) -> bool:
        return self.environment == "dev"

    @cached_property
    def az_count(self) -> int:
        """dev: 1 AZ; staging: 2; prod: 2, or 3 when the availability target is above 99.95%."""
        if self.is_dev:
            return 1
        if self.is_prod and self.requirements.availability_target > 99.95:
            return 3
        return 2

    @property
    def azs(self) -> list[str]:
        return [f"{self.region}{s}" for s in "abc"[: self.az_count]]

    @cached_property
    def load_factor(self) -> float:
        """Share of production load an environment is sized for: prod 1, staging 0.25, dev 0.05."""
        return {"prod": 1.0, "staging": 0.25, "dev": 0.05}.get(self.environment, 1.0)

    @cached_property
    def name_prefix(self) -> str:
        return f"{self.requirements.name}-{self.environment}"

    # --- graph building -------------------------------------------------------------------------
    def add(
        self,
        logical_id: str,
        type_: str,
        properties: dict[str, Any] | None = None,
        *,
        usage: dict[str, Any] | None = None,
        label: str | None = None,
        role: str | None = None,
        rationale: str | None = None,
        sizing: list[dict[str, Any]] | None = None,
        tier: Tier = "regional",
        vpc: str | None = None,
        azs: list[str] | None = None,
        region: str | None = None,
        depends_on: list[str] | None = None,
        condition: str | None = None,
        attributes: dict[str, Any] | None = None,
        component_id: str | None = None,
    ) -> Resource:
        """Add a resource. ``sizing`` is a list of ``{"rule": ..., "value": ..., "source": ...}`` notes."""
        metadata: dict[str, Any] = {}
        if label:
            metadata["label"] = label
        if role:
            metadata["role"] = role
        if rationale:
            metadata["rationale"] = rationale
        if sizing:
            metadata["sizing"] = sizing
        if component_id:
            metadata["component"] = component_id
        res = Resource.trusted(
            logical_id=logical_id,
            type=type_,
            properties=properties or {},
            usage=usage or {},
            placement=Placement.trusted(
                region=region or self.region,
                vpc=vpc,
                azs=list(azs) if azs else [],
                tier=tier,
            ),
            metadata=metadata,
            depends_on=list(depends_on) if depends_on else [],
            condition=condition,
            attributes=dict(attributes) if attributes else {},
        )
        return self.design.add(res)

    def connect(self, source: str, target: str, kind: EdgeKind = "request", label: str = "") -> None:
        self.design.connect(source, target, kind, label)

    def warn(self, message: str) -> None:
        if message not in self.design.warnings:
            self.design.warnings.append(message)

    def need(self, value: _T | None, name: str) -> _T:
        """A value the builder declared in ``needs``; a clear error if no builder provided it."""
        if value is None:
            raise BuildOrderError(f"{name} is needed but no builder of the pattern provided it in this build")
        return value

    def security_group(self, tier: str, default: str) -> str:
        """The logical id of a tier's security group (``app``, ``alb``, ``db``, ``cache``, ``lb``)."""
        groups = self.provided.security_groups
        found = getattr(groups, tier, None) if groups else None
        return str(found) if found else default

    def network_section(self, name: str) -> dict[str, JsonValue]:
        """A section of the design's network plan (``design.network[name]``), made empty when absent."""
        return json_object(self.design.network, name)

    def assume(self, key: str, value: Any) -> None:
        self.design.assumptions[key] = value

    def has(self, logical_id: str) -> bool:
        return self.design.get(logical_id) is not None


#: A pattern's build plan: each component with its builder and parsed options, in build order.
BuildPlan: TypeAlias = tuple[tuple["ComponentRef", BuilderSpec, BuilderOptions], ...]
#: Build plans by pattern object (``id``), with the pattern kept so its id is never reused.
_PLANS: dict[int, tuple[Pattern, BuildPlan]] = {}


def _build_plan(pattern: Pattern) -> BuildPlan:
    """The pattern's components in build order (:func:`build_order`), each with its builder and its
    parsed options: pattern data, worked out once per pattern object of the catalogue instead of once
    per build (the options are frozen models, shared by every build of the pattern)."""
    cached = _PLANS.get(id(pattern))
    if cached is not None and cached[0] is pattern:
        return cached[1]
    builders = load_components()
    by_builder = {c.builder: c for c in pattern.components}
    steps = []
    for builder_id in build_order(pattern.id, list(by_builder)):
        comp, spec = by_builder[builder_id], builders[builder_id]
        steps.append((comp, spec, spec.parse_options(comp.options, pattern_id=pattern.id)))
    plan = tuple(steps)
    _PLANS[id(pattern)] = (pattern, plan)
    return plan


def build_design(requirements: Requirements, pattern_id: str, environment: str = "prod") -> Design:
    """Build the sized resource graph for a pattern.

    The recommended pattern is the recommendation's to choose, one layer up:
    ``recommend(requirements).pattern.id`` (:mod:`cloudwright.patterns.recommend`).
    """
    from cloudwright.patterns.catalog import load_patterns

    if environment not in ENVIRONMENTS:
        raise InputError("unknown environment", field="environment", value=environment, allowed=ENVIRONMENTS)
    patterns = load_patterns()
    if pattern_id not in patterns:
        raise InputError("unknown pattern", field="pattern", value=pattern_id, allowed=sorted(patterns))
    pattern = patterns[pattern_id]
    from cloudwright.eligibility import ineligible

    not_eligible = ineligible(pattern.services, [str(c) for c in requirements.compliance])
    if not_eligible:
        raise InputError(
            f"pattern {pattern.id} uses services not confirmed HIPAA eligible: {', '.join(not_eligible)}",
            field="pattern",
            value=pattern.id,
            allowed=[p.id for p in patterns.values() if not ineligible(p.services, ["HIPAA"])],
        )
    design = Design(
        name=requirements.name,
        description=pattern.summary,
        region=requirements.region,
        environment=environment,
        origin=f"pattern:{pattern.id}",
    )
    ctx = BuildContext(
        requirements=requirements,
        environment=environment,
        design=design,
        pattern_builders=frozenset(pattern.builders),
    )
    from cloudwright.design.sizing import design_assumptions
    from cloudwright.patterns.model import condition_holds

    design.assumptions.update(design_assumptions(requirements, environment, ctx.load_factor, ctx.az_count))
    compliance = {str(c) for c in requirements.compliance}
    _checked_catalogue()
    for comp, spec, options in _build_plan(pattern):
        if not all(
            condition_holds(
                c,
                environment=environment,
                compliance=compliance,
                is_global=requirements.is_global,
                media=str(requirements.media),
                accelerator=str(requirements.accelerator),
            )
            for c in comp.when
        ):
            continue
        spec(ctx, options)
    design.resources.sort(key=attrgetter("logical_id"))
    design.edges.sort(key=attrgetter("source", "target", "kind", "label"))
    return design
