"""CloudFormation intrinsic functions: the one module that reads them.

Every part of cloudwright that needs to know what a property refers to or what it evaluates to — the
design graph, the template writer, pricing, the review and the planner — asks this module, so they all
follow the same rules.

* :func:`references` lists the names a fragment refers to (``Ref``, ``Fn::GetAtt``, ``Fn::Sub``).
* :func:`ref_target` follows ``{"Ref": X}`` / ``{"Fn::GetAtt": [X, attr]}`` to ``X``.
* :class:`Resolver` evaluates a value offline from the template's parameters (their defaults, or the
  values given with ``--param``), pseudo parameters, mappings and conditions: ``Ref``, ``Fn::Sub``,
  ``Fn::Join``, ``Fn::Select``, ``Fn::Split``, ``Fn::If``, ``Fn::FindInMap``, ``Fn::Base64``,
  ``Fn::Length`` and the condition functions.

**One rule for what cannot be known before deployment.** A value that depends on a deployed resource
(``Ref`` to a resource, ``Fn::GetAtt``, ``Fn::ImportValue``, ``Fn::GetAZs``, ``Fn::Cidr`` …), on a
parameter with neither a default nor a given value, or on a condition that cannot be evaluated is
:data:`UNRESOLVED`; so is any function whose input is. ``UNRESOLVED`` is falsy and is never equal to a
real value: callers report it as unknown, never guess. ``Ref: AWS::NoValue`` is :data:`NO_VALUE` (the
property is absent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

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

#: ``${Name}`` / ``${Name.Attr}`` in an ``Fn::Sub`` string (``${!Literal}`` is not a variable).
SUB_VARIABLE = re.compile(r"\$\{(?!!)([A-Za-z0-9_:]+)((?:\.[A-Za-z0-9_]+)*)\}")
_SUB_LITERAL = re.compile(r"\$\{!")
_CONDITION_FUNCTIONS = frozenset({"Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition"})


class Marker:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return False

    def __copy__(self) -> Marker:
        return self

    def __deepcopy__(self, memo: Any) -> Marker:
        return self


#: A value that cannot be known before deployment (see the module docstring).
UNRESOLVED: Any = Marker("UNKNOWN")
#: ``{"Ref": "AWS::NoValue"}``: the property is treated as absent.
NO_VALUE: Any = Marker("NO_VALUE")


# --------------------------------------------------------------------------------------------------
# Shape
# --------------------------------------------------------------------------------------------------
def function_of(node: Any) -> tuple[str, Any] | None:
    """``(name, argument)`` when ``node`` is one intrinsic function (``Ref``, ``Condition``, ``Fn::*``)."""
    if isinstance(node, dict) and len(node) == 1:
        ((key, val),) = node.items()
        if isinstance(key, str) and (key == "Ref" or key == "Condition" or key.startswith("Fn::")):
            return key, val
    return None


def call(node: Any, *names: str) -> Any:
    """The argument of ``node`` when it is one of the intrinsic functions ``names``; else None."""
    fn = function_of(node)
    return fn[1] if fn is not None and fn[0] in names else None


def sub_text(node: Any) -> str | None:
    """The template string of ``{"Fn::Sub": …}``; None for anything else."""
    parts = sub_parts(call(node, "Fn::Sub"))
    return parts[0] if parts else None


def is_intrinsic(node: Any) -> bool:
    """True for ``{"Ref": …}`` and ``{"Fn::…": …}`` (the values that are not literals)."""
    fn = function_of(node)
    return fn is not None and fn[0] != "Condition"


def getatt(node: Any) -> tuple[str, str] | None:
    """``(logical id, attribute)`` of ``{"Fn::GetAtt": [X, "A.B"]}`` or ``{"Fn::GetAtt": "X.A.B"}``."""
    fn = function_of(node)
    if fn is None or fn[0] != "Fn::GetAtt":
        return None
    val = fn[1]
    if isinstance(val, list) and val and isinstance(val[0], str):
        return val[0], ".".join(str(v) for v in val[1:])
    if isinstance(val, str) and val:
        target, _, attr = val.partition(".")
        return target, attr
    return None


def ref_name(node: Any) -> str | None:
    """The name in ``{"Ref": name}``."""
    fn = function_of(node)
    if fn is not None and fn[0] == "Ref" and isinstance(fn[1], str):
        return fn[1]
    return None


def ref_target(node: Any) -> str | None:
    """The logical id behind ``{"Ref": X}``, ``{"Fn::GetAtt": [X, …]}`` or ``{"Fn::Sub": "${X}"}`` (which
    is the same as ``Ref X``); None for anything else."""
    name = ref_name(node)
    if name is not None:
        return name
    ga = getatt(node)
    if ga:
        return ga[0]
    fn = function_of(node)
    if fn is not None and fn[0] == "Fn::Sub" and isinstance(fn[1], str):
        m = SUB_VARIABLE.fullmatch(fn[1])
        if m and not m.group(2):
            return m.group(1)
    return None


def sub_parts(argument: Any) -> tuple[str, dict[str, Any]] | None:
    """``(text, local variables)`` of an ``Fn::Sub`` argument (a string, or ``[text, {vars}]``)."""
    if isinstance(argument, str):
        return argument, {}
    if isinstance(argument, list) and argument and isinstance(argument[0], str):
        local = argument[1] if len(argument) > 1 and isinstance(argument[1], dict) else {}
        return argument[0], dict(local)
    return None


def sub_variables(text: str) -> list[tuple[str, str]]:
    """``[(name, attribute)]`` of the variables in an ``Fn::Sub`` string, in order."""
    return [(m.group(1), m.group(2).lstrip(".")) for m in SUB_VARIABLE.finditer(text)]


def substitute(text: str, replace: Any) -> str:
    """Rewrite the variables of an ``Fn::Sub`` string: ``replace(name, attribute)`` returns the new
    ``${…}`` text, or None to keep the variable as it is."""

    def repl(m: re.Match[str]) -> str:
        out = replace(m.group(1), m.group(2).lstrip("."))
        return m.group(0) if out is None else str(out)

    return SUB_VARIABLE.sub(repl, text)


# --------------------------------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------------------------------
def references(node: Any, *, conditions: bool = False) -> set[str]:
    """Names a template fragment refers to through ``Ref``, ``Fn::GetAtt`` and ``Fn::Sub`` (resources,
    parameters and pseudo parameters); with ``conditions``, also the names in ``{"Condition": name}``."""
    found: set[str] = set()
    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            fn = function_of(cur)
            if fn is not None:
                key, val = fn
                if key == "Ref" and isinstance(val, str):
                    found.add(val)
                elif key == "Fn::GetAtt":
                    ga = getatt(cur)
                    if ga:
                        found.add(ga[0])
                elif key == "Fn::Sub":
                    parts = sub_parts(val)
                    if parts:
                        text, local = parts
                        found.update(name for name, _ in sub_variables(text) if name not in local)
                elif key == "Condition" and conditions and isinstance(val, str):
                    found.add(val)
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    return found


def resource_references(node: Any, ids: Mapping[str, Any] | set[str] | frozenset[str]) -> set[str]:
    """The logical ids (members of ``ids``) a fragment refers to."""
    return {name for name in references(node) if name in ids}


# --------------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------------
def _partition(region: str) -> tuple[str, str]:
    if region.startswith("cn-"):
        return "aws-cn", "amazonaws.com.cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov", "amazonaws.com"
    return "aws", "amazonaws.com"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Resolver:
    """Evaluates template values offline. Build one per template (or design) and reuse it: parameter
    values and conditions are looked up by name and each condition is evaluated once."""

    def __init__(
        self,
        *,
        parameters: Mapping[str, Any] | None = None,
        values: Mapping[str, Any] | None = None,
        conditions: Mapping[str, Any] | None = None,
        mappings: Mapping[str, Any] | None = None,
        region: str = "us-east-1",
    ) -> None:
        self.parameters = parameters or {}
        self.values = values or {}
        self.conditions = conditions or {}
        self.mappings = mappings or {}
        self.region = region
        self._condition_memo: dict[str, bool | None] = {}
        self._evaluating: set[str] = set()

    @classmethod
    def for_design(cls, design: Any) -> Resolver:
        """The resolver of a :class:`~cloudwright.design.model.Design` (its parameters, the values given
        for them, conditions, mappings and region)."""
        values = design.metadata.get("parameter_values") if isinstance(design.metadata, dict) else None
        return cls(
            parameters=design.parameters,
            values=values if isinstance(values, dict) else None,
            conditions=design.conditions,
            mappings=design.mappings,
            region=design.region,
        )

    # --- parameters ---------------------------------------------------------------------------------
    def parameter(self, name: str) -> Any:
        """A parameter's value (given, else its Default) or a pseudo parameter's; else UNRESOLVED."""
        if name in PSEUDO_PARAMETERS:
            partition, suffix = _partition(self.region)
            return {
                "AWS::Region": self.region,
                "AWS::Partition": partition,
                "AWS::URLSuffix": suffix,
                "AWS::NoValue": NO_VALUE,
            }.get(name, UNRESOLVED)
        spec = self.parameters.get(name)
        if not isinstance(spec, dict):
            return UNRESOLVED
        if name in self.values:
            value = self.values[name]
        elif "Default" in spec:
            value = spec["Default"]
        else:
            return UNRESOLVED
        kind = str(spec.get("Type", ""))
        if isinstance(value, str) and (kind == "CommaDelimitedList" or kind.startswith("List<")):
            return [v.strip() for v in value.split(",")] if value else []
        return value

    # --- conditions ---------------------------------------------------------------------------------
    def condition(self, name: str) -> bool | None:
        """A named condition's value; None when it cannot be evaluated offline (or is undefined)."""
        if name in self._condition_memo:
            return self._condition_memo[name]
        if name in self._evaluating or name not in self.conditions:
            return None
        self._evaluating.add(name)
        try:
            result = self.evaluate_condition(self.conditions[name])
        finally:
            self._evaluating.discard(name)
        self._condition_memo[name] = result
        return result

    def evaluate_condition(self, node: Any) -> bool | None:
        fn = function_of(node)
        if isinstance(node, bool):
            return node
        if fn is None or fn[0] not in _CONDITION_FUNCTIONS:
            return None
        key, val = fn
        if key == "Condition":
            return self.condition(val) if isinstance(val, str) else None
        if key == "Fn::Not":
            inner = self.evaluate_condition(val[0] if isinstance(val, list) and len(val) == 1 else None)
            return None if inner is None else not inner
        if key == "Fn::Equals":
            if not (isinstance(val, list) and len(val) == 2):
                return None
            a, b = self.deep(val[0]), self.deep(val[1])
            if _contains_marker(a) or _contains_marker(b):
                return None
            if isinstance(a, list | dict) or isinstance(b, list | dict):
                return a == b
            return _text(a) == _text(b)
        if not isinstance(val, list):
            return None
        results = [self.evaluate_condition(v) for v in val]
        if key == "Fn::And":
            if any(r is False for r in results):
                return False
            return None if any(r is None for r in results) else True
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False

    # --- values -------------------------------------------------------------------------------------
    def resolve(self, node: Any) -> Any:
        """Evaluate ``node`` if it is an intrinsic function (its result may itself hold unevaluated
        functions further down); anything else is returned as it is."""
        fn = function_of(node)
        if fn is None:
            return node
        key, val = fn
        handler = _HANDLERS.get(key)
        if handler is None:
            return UNRESOLVED
        try:
            return handler(self, val)
        except (TypeError, ValueError, IndexError, KeyError, RecursionError):
            return UNRESOLVED

    def deep(self, node: Any) -> Any:
        """Evaluate every intrinsic function in ``node``; UNRESOLVED when any part cannot be known."""
        value = self.resolve(node)
        if value is UNRESOLVED or value is NO_VALUE:
            return value
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for k, v in value.items():
                r = self.deep(v)
                if r is UNRESOLVED:
                    return UNRESOLVED
                if r is not NO_VALUE:
                    out[k] = r
            return out
        if isinstance(value, list):
            items = []
            for v in value:
                r = self.deep(v)
                if r is UNRESOLVED:
                    return UNRESOLVED
                if r is not NO_VALUE:
                    items.append(r)
            return items
        return value

    def resource_active(self, condition: str | None) -> bool | None:
        """Whether a resource with this ``Condition`` is created (None: cannot tell)."""
        return True if not condition else self.condition(condition)


def _contains_marker(value: Any) -> bool:
    return value is UNRESOLVED or value is NO_VALUE


def _ref(r: Resolver, val: Any) -> Any:
    if not isinstance(val, str):
        return UNRESOLVED
    return r.parameter(val)


def _sub(r: Resolver, val: Any) -> Any:
    parts = sub_parts(val)
    if parts is None:
        return UNRESOLVED
    text, local = parts
    unresolved = False

    def replace(name: str, attr: str) -> str | None:
        nonlocal unresolved
        if attr:
            unresolved = True
            return None
        value = r.deep(local[name]) if name in local else r.parameter(name)
        if value is UNRESOLVED or value is NO_VALUE or isinstance(value, dict | list):
            unresolved = True
            return None
        return _text(value)

    out = substitute(text, replace)
    if unresolved:
        return UNRESOLVED
    return _SUB_LITERAL.sub("${", out)


def _join(r: Resolver, val: Any) -> Any:
    if not (isinstance(val, list) and len(val) == 2):
        return UNRESOLVED
    delimiter, items = r.deep(val[0]), r.deep(val[1])
    if not isinstance(delimiter, str) or not isinstance(items, list):
        return UNRESOLVED
    if any(isinstance(i, dict | list) for i in items):
        return UNRESOLVED
    return delimiter.join(_text(i) for i in items)


def _select(r: Resolver, val: Any) -> Any:
    if not (isinstance(val, list) and len(val) == 2):
        return UNRESOLVED
    index = r.deep(val[0])
    items = r.resolve(val[1])
    if not isinstance(items, list):
        return UNRESOLVED
    i = int(index)
    if not 0 <= i < len(items):
        return UNRESOLVED
    return r.resolve(items[i])


def _split(r: Resolver, val: Any) -> Any:
    if not (isinstance(val, list) and len(val) == 2):
        return UNRESOLVED
    delimiter, text = r.deep(val[0]), r.deep(val[1])
    if not isinstance(delimiter, str) or not delimiter or not isinstance(text, str):
        return UNRESOLVED
    return text.split(delimiter)


def _if(r: Resolver, val: Any) -> Any:
    if not (isinstance(val, list) and len(val) == 3 and isinstance(val[0], str)):
        return UNRESOLVED
    cond = r.condition(val[0])
    if cond is None:
        return UNRESOLVED
    return r.resolve(val[1] if cond else val[2])


def _find_in_map(r: Resolver, val: Any) -> Any:
    if not (isinstance(val, list) and len(val) in (3, 4)):
        return UNRESOLVED
    keys = [r.deep(v) for v in val[:3]]
    if any(_contains_marker(k) or isinstance(k, dict | list) for k in keys):
        return UNRESOLVED
    name, top, second = (_text(k) for k in keys)
    found = ((r.mappings.get(name) or {}).get(top) or {}) if isinstance(r.mappings.get(name), dict) else {}
    if isinstance(found, dict) and second in found:
        return r.resolve(found[second])
    if len(val) == 4 and isinstance(val[3], dict) and "DefaultValue" in val[3]:
        return r.resolve(val[3]["DefaultValue"])
    return UNRESOLVED


def _base64(r: Resolver, val: Any) -> Any:
    inner = r.deep(val)
    return inner if isinstance(inner, str) else UNRESOLVED


def _length(r: Resolver, val: Any) -> Any:
    inner = r.deep(val)
    return len(inner) if isinstance(inner, list) else UNRESOLVED


_HANDLERS = {
    "Ref": _ref,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::FindInMap": _find_in_map,
    "Fn::Base64": _base64,
    "Fn::Length": _length,
}


def short_text(node: Any) -> str | None:
    """A compact text form of one intrinsic function for reports (``Ref X``, ``GetAtt X.Y``, the Sub
    string, ``If(…)``); None when ``node`` is not one."""
    fn = function_of(node)
    if fn is None:
        return None
    key, val = fn
    if key == "Ref":
        return f"Ref {val}"
    if key == "Fn::GetAtt":
        return "GetAtt " + (".".join(str(p) for p in val) if isinstance(val, list) else str(val))
    if key == "Fn::Sub":
        parts = sub_parts(val)
        return parts[0] if parts else "Sub(…)"
    if key.startswith("Fn::"):
        return key[4:] + "(…)"
    return None
