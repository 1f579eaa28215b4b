"""One engine for every "property at path has this value" check (``review/data/declarative.yaml``).

Each entry carries the same metadata as a logic check plus conditions::

    - id: REL-RDS-001
      types: [AWS::RDS::DBInstance]
      environments: [prod]
      when: [{path: Engine, op: not_in, value: [aurora-mysql, aurora-postgresql]}]   # else not applicable
      all:  [{path: MultiAZ, op: equals, value: true}]                                 # or any: [...]
      fix:  {MultiAZ: true}                                          # priced as the cost delta

Operators: ``equals, not_equals, in, not_in, exists, absent, gte, lte, contains, not_contains``.
A condition on a missing property fails unless it says ``missing: pass``; a value the engine cannot
resolve (an intrinsic function other than a ``Ref`` to a parameter with a default) makes the result
``unknown``. Paths are dotted; ``Attrs[Key=name].Value`` selects a list item by key.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources as importlib_resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cloudwright.design.model import Design, Resource
from cloudwright.review.context import MISSING, UNKNOWN, Outcome, Resolved, ReviewContext, split_path
from cloudwright.review.model import PILLAR_PREFIX, CheckMeta, Severity
from cloudwright.units import ENVIRONMENTS

Op = Literal[
    "equals", "not_equals", "in", "not_in", "exists", "absent", "gte", "lte", "contains", "not_contains"
]


class Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    op: Op
    value: Any = None
    missing: Literal["fail", "pass"] = "fail"


class DeclarativeCheck(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    severity: Severity
    rationale: str
    remediation: str
    references: tuple[str, ...]
    types: tuple[str, ...] = Field(min_length=1)
    environments: tuple[str, ...] = ENVIRONMENTS
    when: tuple[Condition, ...] = ()
    all: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()
    fix: dict[str, Any] = Field(default_factory=dict)

    def meta(self) -> CheckMeta:
        return CheckMeta(
            id=self.id,
            title=self.title,
            pillar=PILLAR_PREFIX[self.id.split("-")[0]],
            severity=self.severity,
            rationale=self.rationale,
            remediation=self.remediation,
            references=self.references,
            types=self.types,
            environments=self.environments,
            kind="declarative",
        )


def _norm(v: Any) -> Any:
    if isinstance(v, str):
        low = v.strip().lower()
        if low in ("true", "false"):
            return low == "true"
        return v
    return v


def evaluate(cond: Condition, ctx: ReviewContext, resource: Resource) -> bool | Any:
    """True / False / UNKNOWN for one condition."""
    if cond.op in ("exists", "absent"):
        raw = ctx.value(resource, cond.path, resolve_leaf=False)
        if raw is UNKNOWN:
            return UNKNOWN
        present = raw is not MISSING and raw is not None
        return present if cond.op == "exists" else not present
    actual = ctx.value(resource, cond.path)
    if actual is UNKNOWN:
        return UNKNOWN
    if actual is MISSING or actual is None:
        return cond.missing == "pass"
    want = cond.value
    if cond.op in ("equals", "not_equals"):
        same = _norm(actual) == _norm(want) or (
            isinstance(actual, str) and isinstance(want, str) and actual.lower() == want.lower()
        )
        return same if cond.op == "equals" else not same
    if cond.op in ("in", "not_in"):
        pool = [_norm(w) for w in (want or [])]
        inside = _norm(actual) in pool
        return inside if cond.op == "in" else not inside
    if cond.op in ("gte", "lte"):
        num = ctx.as_number(actual)
        if num is None:
            return UNKNOWN
        return num >= float(want) if cond.op == "gte" else num <= float(want)
    if cond.op in ("contains", "not_contains"):
        items: list[Resolved] = [*actual] if isinstance(actual, list) else [actual]
        vals = [ctx.resolve(a) for a in items]
        if any(v is UNKNOWN for v in vals) and _norm(want) not in vals:
            return UNKNOWN
        has = _norm(want) in [_norm(v) for v in vals]
        return has if cond.op == "contains" else not has
    raise ValueError(f"unknown operator {cond.op}")  # pragma: no cover - the model forbids it


def set_path(properties: dict[str, Any], path: str, value: Any) -> None:
    cur = properties
    parts = split_path(path)
    for part in parts[:-1]:
        nxt = cur.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[part] = nxt
        cur = nxt
    cur[parts[-1]] = copy.deepcopy(value)


def _runner(decl: DeclarativeCheck) -> Any:
    def run(ctx: ReviewContext) -> Iterator[Outcome]:
        for r in ctx.resources(*decl.types):
            applies = [evaluate(c, ctx, r) for c in decl.when]
            if any(a is UNKNOWN for a in applies):
                yield ctx.unknown(r.logical_id, "cannot tell whether the check applies (unresolved value)")
                continue
            if not all(applies):
                continue
            yield _outcome(decl, ctx, r)

    return run


def _outcome(decl: DeclarativeCheck, ctx: ReviewContext, r: Resource) -> Outcome:
    fix = None
    if decl.fix:
        rid = r.logical_id

        def fix(design: Design, _rid: str = rid) -> None:
            res = design[_rid]
            for p, v in decl.fix.items():
                set_path(res.properties, p, v)

    if decl.all:
        results = [(c, evaluate(c, ctx, r)) for c in decl.all]
        failed = [c for c, v in results if v is False]
        if failed:
            c = failed[0]
            return ctx.fail(r.logical_id, _message(c, ctx, r), c.path, fix=fix)
        if any(v is UNKNOWN for _, v in results):
            return ctx.unknown(r.logical_id, "value set by an intrinsic function that cannot be resolved")
        return ctx.ok(r.logical_id)
    results = [(c, evaluate(c, ctx, r)) for c in decl.any]
    if any(v is True for _, v in results):
        return ctx.ok(r.logical_id)
    if any(v is UNKNOWN for _, v in results):
        return ctx.unknown(r.logical_id, "value set by an intrinsic function that cannot be resolved")
    c = decl.any[0]
    return ctx.fail(r.logical_id, _message(c, ctx, r), c.path, fix=fix)


def _message(c: Condition, ctx: ReviewContext, r: Resource) -> str:
    actual = ctx.value(r, c.path)
    shown = "not set" if actual is MISSING else repr(actual)
    expect = {
        "equals": f"should be {c.value!r}",
        "not_equals": f"should not be {c.value!r}",
        "in": f"should be one of {c.value!r}",
        "not_in": f"should not be one of {c.value!r}",
        "exists": "should be set",
        "absent": "should not be set",
        "gte": f"should be at least {c.value!r}",
        "lte": f"should be at most {c.value!r}",
        "contains": f"should contain {c.value!r}",
        "not_contains": f"should not contain {c.value!r}",
    }[c.op]
    return f"{c.path} is {shown}; {expect}"


@cache
def load_declarative() -> tuple[Any, ...]:
    """Parse and validate ``review/data/declarative.yaml`` into registry entries."""
    from cloudwright import yamlfast
    from cloudwright.review.registry import Check

    text = (
        importlib_resources.files("cloudwright.review").joinpath("data/declarative.yaml").read_text("utf-8")
    )
    raw = yamlfast.safe_load(text) or {}
    out: list[Check] = []
    seen: set[str] = set()
    for item in raw.get("checks", []):
        decl = DeclarativeCheck.model_validate(item)
        if decl.id in seen:
            raise ValueError(f"declarative check {decl.id} listed twice")
        if bool(decl.all) == bool(decl.any):
            raise ValueError(f"declarative check {decl.id}: give exactly one of all/any")
        seen.add(decl.id)
        out.append(
            Check(meta=decl.meta(), run=_runner(decl), origin="cloudwright/review/data/declarative.yaml")
        )
    return tuple(out)


def declarative_ids() -> Iterable[str]:
    return [c.meta.id for c in load_declarative()]
