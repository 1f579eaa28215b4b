"""The one CloudFormation reader: text → a checked, transformed, plain template.

* **Decoding** is cfn-lint's (``cfnlint.decode``): YAML with short-form tags (``!Ref``, ``!GetAtt`` …) or
  JSON, duplicate keys refused, YAML alias bombs refused, and every node keeps its line so errors name
  the line. As in CloudFormation, unquoted dates and ``yes``/``no``/``on``/``off`` stay strings.
* **Transforms** run in the order the template lists them:

  - ``AWS::LanguageExtensions``: ``Fn::ForEach`` loops are expanded (in Resources, Outputs, Conditions
    and properties) from the collection's value, which may come from a parameter (its default or the
    value given with ``--param``) or a mapping; ``Fn::Length``, ``Fn::FindInMap`` defaults and
    intrinsic ``DeletionPolicy``/``UpdateReplacePolicy`` values are evaluated;
  - ``AWS::Serverless-2016-10-31``: the SAM transform of ``samtranslator`` (the library CloudFormation
    runs), so ``Globals``, generated resources (``MyFunction.FnUrl``, ``MyApi.Stage``…) and events all
    become the plain CloudFormation resources they create. Local code paths (``CodeUri: src/``) stand
    for packaged code; the code itself is never read.

  Anything that needs a step cloudwright cannot run is refused with one line saying which step: other
  macros, ``AWS::Include`` / ``Fn::Transform``, Rain modules and directives, registry modules.
* **Conditions** are evaluated from the parameters' defaults, overridden by ``--param KEY=VALUE``. A
  resource whose condition is false is left out of what is priced, reviewed and drawn (and kept aside,
  so that writing the design back gives the same template); a condition that cannot be evaluated
  offline keeps its resource, with a warning.
* **Checks**: sections, logical ids, resource attributes, types, ``DependsOn`` and ``Ref``/``GetAtt``
  targets, conditions and circular dependencies between resources are checked; every problem is a
  :class:`~cloudwright.errors.TemplateError` naming the file, the line and the key.
"""

from __future__ import annotations

import copy
import datetime
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from cloudwright.cfn.intrinsics import (
    NO_VALUE,
    PSEUDO_PARAMETERS,
    UNRESOLVED,
    Resolver,
    function_of,
    getatt,
    references,
    sub_parts,
    sub_variables,
    substitute,
)
from cloudwright.errors import InputError, TemplateError

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"

TOP_LEVEL = frozenset(
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
RESOURCE_KEYS = frozenset(
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
        # Custom resources may carry a Version; CloudFormation also accepts a resource Description.
        "Version",
        "Description",
    }
)
_TYPE_RE = re.compile(r"^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+(::MODULE)?$|^Custom::[A-Za-z0-9_@-]+$")
_LOGICAL_ID_RE = re.compile(r"^[A-Za-z0-9]+$")
_RAIN = re.compile(r"^(?:Fn::)?Rain::")
_FOREACH_RE = re.compile(r"^Fn::ForEach::[A-Za-z0-9]+$")
_LOOP_KEY = re.compile(r"[$&]\{([A-Za-z0-9_]+)\}")

#: Transforms and what to run first, for the one-line refusal.
_STEPS = {
    "AWS::Include": "AWS::Include transform: inline the included snippet (or deploy and read the "
    "processed template) first",
    "AWS::SecretsManager-2020-07-23": "AWS::SecretsManager transform: deploy it and read the processed "
    "template (aws cloudformation get-template --template-stage Processed) first",
    "AWS::CodeDeployBlueGreen": "AWS::CodeDeployBlueGreen transform: deploy it and read the processed "
    "template (aws cloudformation get-template --template-stage Processed) first",
    "AWS::CodeStar": "AWS::CodeStar transform: deploy it and read the processed template first",
}


# --------------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------------
def _loads(text: str, fname: str | None = None) -> Any:
    """cfn-lint's YAML loader, with CloudFormation's scalars: only true/false are booleans, dates stay
    strings."""
    from cfnlint.decode import cfn_yaml

    loader_cls = _loader_class()
    try:
        loader = loader_cls(text, fname)
        loader.add_multi_constructor("!", cfn_yaml.multi_constructor)
        template = loader.get_single_data()
    except (cfn_yaml.CfnParseError, cfn_yaml.ScannerError, cfn_yaml.ParserError):
        raise
    except RecursionError:
        raise TemplateError("the template nests too deeply", path=fname) from None
    except Exception as exc:
        raise cfn_yaml.CfnParseError(
            fname,
            [cfn_yaml.build_match(fname, f"Template could not be parsed: {exc}", 0, 0, "")],
        ) from exc
    guard = getattr(cfn_yaml, "_guard_alias_expansion", None)  # cfn-lint's YAML alias-bomb guard
    if template is not None and "&" in text and guard is not None:
        guard(template, fname)
    return template


_LOADER: list[type] = []


def _loader_class() -> type:
    if _LOADER:
        return _LOADER[0]
    from cfnlint.decode.cfn_yaml import CfnFullLoader

    from cloudwright.cfn.yaml_map import construct_yaml_map

    class Loader(CfnFullLoader):
        pass

    # cfn-lint's mapping constructor, with its duplicate-key check linear instead of quadratic
    Loader.add_constructor("tag:yaml.org,2002:map", construct_yaml_map)

    resolvers: dict[Any, list[Any]] = {}
    for first, entries in CfnFullLoader.yaml_implicit_resolvers.items():
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
    _LOADER.append(Loader)
    return Loader


def decode(text: str, *, source: str = "<template>") -> dict[str, Any]:
    """Decode template text (YAML or JSON) with cfn-lint's decoder; nodes keep their lines.
    Raises TemplateError naming the line."""
    from cfnlint.decode import cfn_json
    from cfnlint.decode.decode import _decode

    if not text.strip():
        raise TemplateError("the template is empty", path=source)
    from cloudwright.inputs import check_aliases  # refuses an alias bomb before it is expanded

    try:
        check_aliases(text, source=source, field="template")
    except InputError as exc:
        message = str(exc.args[0])
        match = re.match(rf"{re.escape(source)}:(\d+):\d+: (.*)", message, re.S)
        if match:
            raise TemplateError(match.group(2), path=source, line=int(match.group(1))) from None
        raise TemplateError(message, path=source) from None
    logging.getLogger("cfnlint").setLevel(logging.CRITICAL)
    try:
        data, matches = _decode(_loads, cfn_json.loads, text, source)
    except RecursionError:
        raise TemplateError("the template nests too deeply", path=source) from None
    if matches:
        first = sorted(matches, key=lambda m: (m.linenumber or 0, str(m.message)))[0]
        message = str(first.message)
        kind = "invalid JSON" if text.lstrip().startswith("{") else "invalid YAML"
        dup = re.match(r"Duplicate found '(.+)' \(line (\d+)\)", message)
        if dup:
            lines = sorted({m.linenumber for m in matches if str(m.message).startswith("Duplicate found")})
            message = f"duplicate key {dup.group(1)!r}" + (
                f" (first at line {lines[0]})" if len(lines) > 1 else ""
            )
            line = lines[-1]
            raise TemplateError(message, path=source, line=line)
        message = re.sub(r"^Template could not be parsed: ", "", message)
        raise TemplateError(f"{kind}: {message}", path=source, line=first.linenumber or None)
    if not isinstance(data, dict):
        raise TemplateError("a template must be a mapping with a Resources section", path=source, line=1)
    return data


def plain(node: Any) -> Any:
    """A decoded node as plain dicts, lists and scalars (no line-keeping subclasses)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, datetime.date):
        return node.isoformat()
    return node


def parse_template(text: str, *, source: str = "<template>") -> dict[str, Any]:
    """Decode template text into plain dicts with long-form intrinsics (no transform, no checks)."""
    result: dict[str, Any] = plain(decode(text, source=source))
    return result


def line_of(node: Any, *path: str) -> int | None:
    """Line (1-based) of the deepest key of ``path`` found in a decoded node."""
    best: int | None = None
    mark = getattr(node, "start_mark", None)
    if mark is not None:
        best = mark.line + 1
    cur = node
    for key in path:
        if not isinstance(cur, dict):
            break
        for k in cur:
            if k == key:
                km = getattr(k, "start_mark", None)
                if km is not None:
                    best = km.line + 1
                cur = cur[k]
                break
        else:
            break
    return best


# --------------------------------------------------------------------------------------------------
# Reading a file
# --------------------------------------------------------------------------------------------------
def read_text(path_or_text: str | Path) -> tuple[str, str, str | None]:
    """``(text, source label, file stem)`` of a template path or of template text."""
    if isinstance(path_or_text, Path) or (
        isinstance(path_or_text, str)
        and "\n" not in path_or_text
        and not path_or_text.lstrip().startswith("{")
    ):
        from cloudwright.inputs import read_input  # bounded: regular files only, size cap

        path = Path(path_or_text)
        return read_input(path, what="template", field="template"), str(path), path.stem
    return str(path_or_text), "<template>", None


@dataclass
class Template:
    """A template as read: plain data after transforms, with what the reader learned on the way."""

    #: The template (plain dicts) after transforms, without the resources whose condition is false.
    data: dict[str, Any]
    source: str
    stem: str | None
    #: The decoded template before transforms (nodes keep their lines).
    raw: Any
    #: Transforms applied, in order.
    transforms: tuple[str, ...] = ()
    #: Resources left out because their Condition is false: logical id → body.
    inactive: dict[str, Any] = field(default_factory=dict)
    #: Parameter values given with ``--param`` (name → value).
    parameter_values: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def line(self, *path: str) -> int | None:
        return line_of(self.raw, *path)

    def resolver(self, region: str = "us-east-1") -> Resolver:
        return Resolver(
            parameters=self.data.get("Parameters") or {},
            values=self.parameter_values,
            conditions=self.data.get("Conditions") or {},
            mappings=self.data.get("Mappings") or {},
            region=region,
        )


def read_template(
    path_or_text: str | Path,
    *,
    parameters: Mapping[str, str] | None = None,
    region: str | None = None,
) -> Template:
    """Read, check and transform a template (a path, or the template text).

    ``parameters`` overrides parameter defaults (``--param``); a name the template does not declare is
    an InputError (exit 2)."""
    text, source, stem = read_text(path_or_text)
    raw = decode(text, source=source)
    tpl = Template(data={}, source=source, stem=stem, raw=raw)
    _check_top_level(raw, source)
    data: dict[str, Any] = plain(raw)
    given = dict(parameters or {})
    check_parameter_names(data.get("Parameters"), given)
    tpl.parameter_values = given
    the_region = region or _cloudwright_region(data) or "us-east-1"

    transforms = _transforms(data, raw, source)
    tpl.warnings.extend(_refuse_untransformable(data, raw, source))
    for name in transforms:
        if name == LANGUAGE_EXTENSIONS:
            data = _language_extensions(data, given, the_region, tpl)
        elif name == SAM_TRANSFORM:
            from cloudwright.cfn.sam import expand_sam

            data = expand_sam(data, parameter_values=given, region=the_region, source=source, raw=raw)
    if transforms:
        data.pop("Transform", None)
        data.pop("Globals", None)
    tpl.transforms = tuple(transforms)
    _check(data, tpl)
    _apply_conditions(data, tpl, the_region)
    tpl.data = data
    return tpl


def _cloudwright_region(data: dict[str, Any]) -> str | None:
    meta = data.get("Metadata")
    block = meta.get("cloudwright") if isinstance(meta, dict) else None
    region = block.get("region") if isinstance(block, dict) else None
    return region if isinstance(region, str) and region else None


# --------------------------------------------------------------------------------------------------
# Transforms
# --------------------------------------------------------------------------------------------------
def _transforms(data: dict[str, Any], raw: Any, source: str) -> list[str]:
    declared = data.get("Transform")
    if declared is None:
        return []
    names = declared if isinstance(declared, list) else [declared]
    out: list[str] = []
    for item in names:
        name = item.get("Name") if isinstance(item, dict) else item
        if not isinstance(name, str):
            raise TemplateError(
                "Transform: a transform name must be a string", path=source, line=line_of(raw, "Transform")
            )
        if name in (SAM_TRANSFORM, LANGUAGE_EXTENSIONS):
            out.append(name)
            continue
        step = _STEPS.get(name) or (
            f"Transform {name!r} is a macro: cloudwright cannot run macros; deploy the template and read "
            "the processed one (aws cloudformation get-template --template-stage Processed) first"
        )
        raise TemplateError(step, path=source, line=line_of(raw, "Transform"))
    return out


def _refuse_untransformable(data: dict[str, Any], raw: Any, source: str) -> list[str]:
    """Fn::Transform / AWS::Include, Rain modules and registry modules need a step first: refused.
    Rain's value directives (``!Rain::Embed file``, ``!Rain::S3Http``, constants) only produce a string,
    so they are left unexpanded — their value is unknown — with a warning, and so is an ``Fn::Transform``
    inside a resource's properties (an included OpenAPI body, a string macro). Returns the warnings."""
    warnings: list[str] = []
    for key in [k for k in data if isinstance(k, str) and (k == "Rain" or k.startswith("Rain::"))]:
        warnings.append(f"{key}: Rain section ignored (run `rain pkg` for the packaged template)")
        del data[key]
    unexpanded: list[str] = []
    resources = data.get("Resources")
    if isinstance(resources, dict):
        for lid, body in resources.items():
            rtype = body.get("Type") if isinstance(body, dict) else None
            if isinstance(rtype, str) and rtype.endswith("::MODULE"):
                raise TemplateError(
                    f"Resources.{lid}: {rtype} is a CloudFormation registry module: deploy the template "
                    "and read the processed one (aws cloudformation get-template --template-stage "
                    "Processed) first",
                    path=source,
                    line=line_of(raw, "Resources", lid, "Type"),
                )
            if isinstance(body, dict) and (
                "Rain::Module" in str(rtype) or any("Rain::Module" in str(k) for k in body)
            ):
                raise TemplateError(
                    f"Resources.{lid}: Rain module: run `rain pkg` first",
                    path=source,
                    line=line_of(raw, "Resources", lid),
                )
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            fn = function_of(node)
            if fn is not None and fn[0] == "Fn::Transform":
                arg = fn[1][0] if isinstance(fn[1], list) and fn[1] else fn[1]
                name = arg.get("Name") if isinstance(arg, dict) else None
                if len(path) > 3 and path[0] == "Resources" and path[2] == "Properties":
                    # A property value: the resources stay the same, only this value is unknown.
                    unexpanded.append(f"{'.'.join(path)} (Fn::Transform {name or 'macro'})")
                    continue
                what = (
                    "AWS::Include: inline the included snippet first"
                    if name == "AWS::Include"
                    else f"Fn::Transform {name!r} is a macro: deploy the template and read the processed "
                    "one first"
                )
                raise TemplateError(f"{'.'.join(path)}: {what}", path=source, line=line_of(raw, *path))
            for k, v in node.items():
                if isinstance(k, str) and _RAIN.match(k):
                    if "Rain::Module" in k:
                        raise TemplateError(
                            f"{'.'.join((*path, k))}: Rain module: run `rain pkg` first",
                            path=source,
                            line=line_of(raw, *path),
                        )
                    unexpanded.append(f"{'.'.join(path)} ({k.removeprefix('Fn::')})")
                    continue
                if isinstance(k, str) and k == "Fn::Transform":
                    stack.append(({k: v}, path))
                    continue
                stack.append((v, (*path, str(k))))
        elif isinstance(node, list):
            stack.extend((v, (*path, str(i))) for i, v in enumerate(node))
    if unexpanded:
        shown = sorted(unexpanded)
        more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
        warnings.append(
            f"left unexpanded, their values unknown: {', '.join(shown[:3])}{more} (Rain directives: "
            "run `rain pkg`; Fn::Transform: deploy and read the processed template)"
        )
    return warnings


def _language_extensions(
    data: dict[str, Any], given: Mapping[str, str], region: str, tpl: Template
) -> dict[str, Any]:
    """Expand ``Fn::ForEach`` and evaluate the other language extensions.

    cfn-lint has a language-extensions transform too, but it invents random names for collections it
    cannot resolve (right for linting, wrong for pricing); here an unresolvable collection is an error
    that says which parameter to give."""
    resolver = Resolver(
        parameters=data.get("Parameters") or {},
        values=given,
        conditions=data.get("Conditions") or {},
        mappings=data.get("Mappings") or {},
        region=region,
    )
    out = dict(data)
    for section in ("Conditions", "Resources", "Outputs"):
        if isinstance(data.get(section), dict):
            out[section] = _expand(data[section], resolver, {}, (section,), tpl)
    resources = out.get("Resources")
    if isinstance(resources, dict):
        for lid, body in resources.items():
            if not isinstance(body, dict):
                continue
            for key in ("DeletionPolicy", "UpdateReplacePolicy"):
                if key in body and function_of(body[key]) is not None:
                    value = resolver.deep(body[key])
                    if not isinstance(value, str):
                        raise TemplateError(
                            f"Resources.{lid}.{key}: cannot be evaluated offline",
                            path=tpl.source,
                            line=tpl.line("Resources", lid, key),
                        )
                    body[key] = value
            if isinstance(body.get("Properties"), dict):
                body["Properties"] = _language_values(body["Properties"], resolver)
    return out


def _language_values(node: Any, resolver: Resolver) -> Any:
    """Evaluate ``Fn::Length`` and ``Fn::ToJsonString`` where their input is known."""
    fn = function_of(node)
    if fn is not None and fn[0] in ("Fn::Length", "Fn::ToJsonString"):
        value = resolver.deep(fn[1]) if fn[0] == "Fn::ToJsonString" else resolver.resolve(node)
        if value is UNRESOLVED or value is NO_VALUE:
            return node
        if fn[0] == "Fn::ToJsonString":
            import json

            return json.dumps(value, separators=(",", ":"))
        return value
    if isinstance(node, dict):
        return {k: _language_values(v, resolver) for k, v in node.items()}
    if isinstance(node, list):
        return [_language_values(v, resolver) for v in node]
    return node


def _bind(node: Any, bindings: Mapping[str, str]) -> Any:
    """Replace a loop's identifiers: ``Ref: Id`` → the value, ``${Id}`` / ``&{Id}`` in strings."""
    if not bindings:
        return node
    fn = function_of(node)
    if fn is not None:
        key, val = fn
        if key == "Ref" and isinstance(val, str) and val in bindings:
            return bindings[val]
        if key == "Fn::Sub":
            parts = sub_parts(val)
            if parts is not None:
                text = substitute(parts[0], lambda n, a: bindings[n] if n in bindings and not a else None)
                text = _LOOP_KEY.sub(lambda m: _key_value(m, bindings), text)
                if isinstance(val, str) and not sub_variables(text) and "${!" not in text:
                    return text  # a Sub left with no variable is that string (e.g. a GetAtt target)
                if isinstance(val, list):
                    return {"Fn::Sub": [text, *(_bind(v, bindings) for v in val[1:])]}
                return {"Fn::Sub": text}
    if isinstance(node, dict):
        return {_bind_key(k, bindings): _bind(v, bindings) for k, v in node.items()}
    if isinstance(node, list):
        return [_bind(v, bindings) for v in node]
    return node


def _key_value(m: re.Match[str], bindings: Mapping[str, str]) -> str:
    name = m.group(1)
    if name not in bindings:
        return m.group(0)
    value = bindings[name]
    return re.sub(r"[^A-Za-z0-9]", "", value) if m.group(0).startswith("&") else value


def _bind_key(key: str, bindings: Mapping[str, str]) -> str:
    return _LOOP_KEY.sub(lambda m: _key_value(m, bindings), key) if bindings else key


def _expand(
    node: Any, resolver: Resolver, bindings: Mapping[str, str], path: tuple[str, ...], tpl: Template
) -> Any:
    if isinstance(node, list):
        return [_expand(v, resolver, bindings, path, tpl) for v in node]
    if not isinstance(node, dict):
        return _bind(node, bindings)
    if function_of(node) is not None and not any(_FOREACH_RE.match(k) for k in node):
        return _bind(node, bindings)
    out: dict[str, Any] = {}
    for key, value in node.items():
        if not _FOREACH_RE.match(key):
            out[_bind_key(key, bindings)] = _expand(value, resolver, bindings, (*path, key), tpl)
            continue
        where = ".".join((*path, key))
        line = tpl.line(*path, key)
        if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)):
            raise TemplateError(
                f"{where}: Fn::ForEach takes [Identifier, Collection, {{OutputKey: OutputValue}}]",
                path=tpl.source,
                line=line,
            )
        identifier, collection, body = value
        items = resolver.deep(_bind(collection, bindings))
        if not isinstance(items, list) or not all(isinstance(i, str | int | float) for i in items):
            names = sorted(n for n in references(collection) if n in (resolver.parameters or {}))
            hint = f"; give --param {names[0]}=a,b,…" if names else ""
            raise TemplateError(
                f"{where}: the Fn::ForEach collection cannot be evaluated offline{hint}",
                path=tpl.source,
                line=line,
            )
        if not isinstance(body, dict):
            raise TemplateError(
                f"{where}: the Fn::ForEach output must be a mapping", path=tpl.source, line=line
            )
        for item in items:
            inner = {**bindings, identifier: str(item)}
            expanded = _expand(body, resolver, inner, path, tpl)
            for k, v in expanded.items():
                if k in out or k in node:
                    raise TemplateError(f"{where}: Fn::ForEach makes {k!r} twice", path=tpl.source, line=line)
                out[k] = v
    return out


# --------------------------------------------------------------------------------------------------
# Structure checks
# --------------------------------------------------------------------------------------------------
def _check_top_level(raw: dict[str, Any], source: str) -> None:
    transform = raw.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    allowed = TOP_LEVEL | ({"Globals"} if SAM_TRANSFORM in names else set())
    for key in raw:
        if isinstance(key, str) and (key == "Rain" or key.startswith("Rain::")):
            continue
        if key not in allowed:
            raise TemplateError(
                f"unknown top-level section {str(key)!r} (allowed: {', '.join(sorted(allowed))})",
                path=source,
                line=line_of(raw, key),
            )


def _check(data: dict[str, Any], tpl: Template) -> None:
    source = tpl.source

    def fail(message: str, *path: str) -> NoReturn:
        raise TemplateError(message, path=source, line=tpl.line(*path) if path else 1)

    for section in ("Parameters", "Mappings", "Conditions", "Outputs", "Metadata"):
        if section in data and not isinstance(data[section], dict):
            fail(f"{section} must be a mapping", section)
    resources = data.get("Resources")
    if resources is None:
        fail("the template has no Resources section")
    if not isinstance(resources, dict) or not resources:
        fail("Resources must be a mapping with at least one resource", "Resources")
    params = data.get("Parameters") or {}
    for name, spec in params.items():
        if not isinstance(spec, dict) or "Type" not in spec:
            fail(f"Parameters.{name}: a parameter needs a Type", "Parameters", name)
    conditions = set(data.get("Conditions") or {})
    names = set(resources) | set(params) | PSEUDO_PARAMETERS
    for logical_id, body in resources.items():
        where = f"Resources.{logical_id}"
        at = ("Resources", logical_id)
        if not _LOGICAL_ID_RE.match(logical_id):
            fail(f"{where}: logical ids are alphanumeric", *at)
        if not isinstance(body, dict):
            fail(f"{where}: a resource must be a mapping with a Type", *at)
        for key in body:
            if key not in RESOURCE_KEYS:
                fail(f"{where}.{key}: unknown resource attribute", *at, key)
        rtype = body.get("Type")
        if not isinstance(rtype, str):
            if "Type" in body:
                fail(f"{where}.Type: not a string", *at, "Type")
            fail(f"{where}.Type: missing", *at)
        elif not _TYPE_RE.match(rtype):
            fail(f"{where}.Type: {rtype!r} is not a resource type (AWS::Service::Resource)", *at, "Type")
        for attr in ("Properties", "Metadata"):
            if attr in body and not isinstance(body[attr], dict):
                fail(f"{where}.{attr} must be a mapping", *at, attr)
        dep = body.get("DependsOn")
        deps = (
            [dep] if isinstance(dep, str) else dep if isinstance(dep, list) else [] if dep is None else None
        )
        if deps is None or not all(isinstance(d, str) for d in deps):
            fail(f"{where}.DependsOn must be a logical id or a list of them", *at, "DependsOn")
        for d in deps or []:
            if d not in resources:
                fail(f"{where}.DependsOn: no resource {d!r}", *at, "DependsOn")
        cond = body.get("Condition")
        if cond is not None and (not isinstance(cond, str) or cond not in conditions):
            fail(f"{where}.Condition: no condition {cond!r} in Conditions", *at, "Condition")
        _check_refs(body.get("Properties"), names, f"{where}.Properties", (*at, "Properties"), fail)
    for name, out in (data.get("Outputs") or {}).items():
        if not isinstance(out, dict) or "Value" not in out:
            fail(f"Outputs.{name}: an output needs a Value", "Outputs", name)
        _check_refs(out.get("Value"), names, f"Outputs.{name}.Value", ("Outputs", name, "Value"), fail)
    _check_cycles(resources, fail)


def _check_refs(node: Any, names: set[str], where: str, path: tuple[str, ...], fail: Any) -> None:
    stack: list[tuple[Any, str, tuple[str, ...]]] = [(node, where, path)]
    while stack:
        cur, at, p = stack.pop()
        if isinstance(cur, dict):
            fn = function_of(cur)
            if fn is not None:
                key, val = fn
                if key == "Ref":
                    if not isinstance(val, str):
                        fail(f"{at}: Ref takes a name", *p)
                    elif val not in names:
                        fail(f"{at}: Ref to unknown resource or parameter {val!r}", *p)
                elif key == "Fn::GetAtt":
                    ga = getatt(cur)
                    if ga is None or (isinstance(val, list) and len(val) != 2):
                        fail(f"{at}: Fn::GetAtt takes [LogicalId, Attribute]", *p)
                    elif ga[0] not in names:
                        fail(f"{at}: Fn::GetAtt of unknown resource {ga[0]!r}", *p)
            for k, v in cur.items():
                stack.append((v, f"{at}.{k}", (*p, str(k))))
        elif isinstance(cur, list):
            for i, v in enumerate(cur):
                stack.append((v, f"{at}[{i}]", p))


def _check_cycles(resources: dict[str, Any], fail: Any) -> None:
    """CloudFormation refuses circular dependencies between resources (DependsOn, Ref, GetAtt); so does
    the reader, naming them. Linear in resources + references."""
    from cloudwright.cfn.cycles import find_cycle

    graph: dict[str, list[str]] = {}
    for lid, body in resources.items():
        targets = references(body.get("Properties")) & resources.keys()
        dep = body.get("DependsOn")
        targets |= {d for d in ([dep] if isinstance(dep, str) else dep or []) if d in resources}
        graph[lid] = sorted(targets)
    cycle = find_cycle(graph)
    if cycle:
        fail(f"Resources: circular dependency between resources: {' → '.join(cycle)}", "Resources", cycle[0])


# --------------------------------------------------------------------------------------------------
# Conditions
# --------------------------------------------------------------------------------------------------
def _apply_conditions(data: dict[str, Any], tpl: Template, region: str) -> None:
    conditions = data.get("Conditions") or {}
    if not conditions:
        return
    resolver = Resolver(
        parameters=data.get("Parameters") or {},
        values=tpl.parameter_values,
        conditions=conditions,
        mappings=data.get("Mappings") or {},
        region=region,
    )
    resources: dict[str, Any] = data["Resources"]
    kept: dict[str, Any] = {}
    unknown: set[str] = set()
    for lid, body in resources.items():
        cond = body.get("Condition")
        active = resolver.resource_active(cond)
        if active is False:
            tpl.inactive[lid] = body
            continue
        if active is None:
            unknown.add(str(cond))
        kept[lid] = body
    for cond in sorted(unknown):
        tpl.warnings.append(
            f"Conditions.{cond}: cannot be evaluated offline (it depends on a value known only at deploy "
            "time); its resources are included"
        )
    if not kept:
        names = sorted({str(b.get("Condition")) for b in tpl.inactive.values()})
        raise TemplateError(
            "every resource's condition is false with these parameter values, so nothing would be "
            f"created: choose with --param (conditions: {', '.join(names[:5])})",
            path=tpl.source,
            line=tpl.line("Resources"),
        )
    if tpl.inactive:
        data["Resources"] = kept


def check_parameter_names(declared: Any, given: Mapping[str, str]) -> None:
    """Refuse ``--param`` names the template does not declare (InputError, exit 2)."""
    names = sorted(declared) if isinstance(declared, dict) else []
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise InputError(
            f"the template has no parameter {unknown[0]!r}",
            field="--param",
            value=f"{unknown[0]}={given[unknown[0]]}",
            allowed=names or "none (the template declares no Parameters)",
        )


def given_parameters(values: list[str] | None) -> dict[str, str]:
    """``["Key=Value", …]`` (the ``--param`` option) → a mapping; a malformed item is an InputError."""
    out: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError("parameters are KEY=VALUE", field="--param", value=item)
        out[key] = value
    return out


def copy_body(body: Any) -> Any:
    return copy.deepcopy(body)
