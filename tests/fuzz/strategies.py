"""Hypothesis strategies for hostile inputs: requirement documents, template mutations, offer files."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from cloudwright.requirements import Requirements

OFFER_FIXTURE = (
    Path(__file__).resolve().parents[1] / "pricing" / "fixtures" / "offers" / "AWSLambda-eu-west-1.json"
)

# --------------------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------------------
ODD_TEXT = st.sampled_from(
    ["NaN", "nan", ".inf", "-.inf", "Infinity", "1e309", "-1e309", "1e-400", "2.2e-308", "-0", "10_000",
     "0x10", "1e15", "", " ", "../../etc/passwd", "us-east-1", "☃", "true", "null", "~", "1,000"]
)  # fmt: skip
HUGE = st.sampled_from([10**10, 10**12, 10**15, 10**30, 10**400, -(10**12), 1e308, -1e308, 2.2e-308, 5e-324])
SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    HUGE,
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    ODD_TEXT,
)
HOSTILE = st.one_of(
    SCALAR,
    st.lists(SCALAR, max_size=3),
    st.dictionaries(st.text(max_size=6), SCALAR, max_size=2),
)


def _bounds(name: str) -> tuple[float, float] | None:
    lo = hi = None
    for meta in Requirements.model_fields[name].metadata:
        lo = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else lo
        lo = getattr(meta, "gt", None) if getattr(meta, "gt", None) is not None else lo
        hi = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else hi
    if lo is None or hi is None:
        return None
    return float(lo), float(hi)


def _valid_value(name: str) -> st.SearchStrategy[Any]:
    info = Requirements.model_fields[name]
    ann = info.annotation
    bounds = _bounds(name) if ann in (int, float) else None
    if bounds is not None:
        lo, hi = bounds
        edges = st.sampled_from([lo, hi, lo + 1, min(hi, lo + 0.01), hi / 2])
        if ann is int:
            return st.one_of(st.integers(int(lo), int(hi)), edges.map(int))
        return st.one_of(st.floats(lo, hi, allow_nan=False), edges)
    default = info.default
    enum = getattr(ann, "__members__", None)
    if enum:
        return st.sampled_from([m.value for m in enum.values()])
    args = getattr(ann, "__args__", ())
    for a in args:
        members = getattr(a, "__members__", None)
        if members:
            return st.lists(st.sampled_from([m.value for m in members.values()]), max_size=3)
    if name == "region":
        return st.sampled_from(
            ["us-east-1", "eu-west-1", "ap-southeast-2", "zz-fake-9", "us-east-99", "US-EAST-1"]
        )
    if name == "name":
        return st.text(min_size=0, max_size=70)
    return st.just(default)


FIELDS = list(Requirements.model_fields)


@st.composite
def requirement_documents(draw: Any) -> tuple[str, str]:
    """(text, suffix): a YAML or JSON requirements document, mostly plausible, sometimes hostile."""
    names = draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=len(FIELDS)))
    doc: dict[Any, Any] = {}
    for name in names:
        hostile = draw(st.integers(0, 9)) == 0
        doc[name] = draw(HOSTILE if hostile else _valid_value(name))
    if draw(st.integers(0, 19)) == 0:
        doc[draw(st.text(min_size=1, max_size=8))] = draw(SCALAR)  # an unknown key
    fmt = draw(st.sampled_from(["yaml", "yaml", "json"]))
    if fmt == "json":
        text = json.dumps(doc, default=str)  # NaN/Infinity literals included: the reader must refuse them
        suffix = ".json"
    else:
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
        suffix = ".yaml"
    trick = draw(st.integers(0, 14))
    lines = text.splitlines(keepends=True)
    if trick == 0 and lines and fmt == "yaml":
        text += lines[draw(st.integers(0, len(lines) - 1))]  # a duplicate key
    elif trick == 1:
        text = text[: draw(st.integers(0, len(text)))]  # truncated
    elif trick == 2:
        text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdef", "bcdefg", strict=True)
        )
    return text, suffix


# --------------------------------------------------------------------------------------------------
# templates
# --------------------------------------------------------------------------------------------------
TEMPLATE_PATTERNS = ("serverless-web", "three-tier-fargate", "realtime-analytics-pipeline")


@cache
def base_template(pattern: str) -> dict[str, Any]:
    from cloudwright.cfn.writer import render_template
    from cloudwright.design.build import build_design
    from cloudwright.design.cfn_import import parse_template
    from cloudwright.requirements import requirements_from_mapping

    req = requirements_from_mapping({"name": "fuzz", "requests_per_second": 20, "expected_users": 5000})
    text = render_template(build_design(req, pattern_id=pattern, environment="prod"))
    return parse_template(text)


ODD_INTRINSICS = st.sampled_from(
    [
        {"Ref": "NoSuchResource"},
        {"Ref": 5},
        {"Ref": ["a"]},
        {"Fn::GetAtt": ["NoSuch", "Arn"]},
        {"Fn::GetAtt": "NoDot"},
        {"Fn::GetAtt": []},
        {"Fn::Sub": {"a": 1}},
        {"Fn::Sub": ["${Nope}", {}]},
        {"Fn::If": []},
        {"Fn::Join": [",", "notalist"]},
        {"Fn::Bogus": [1, 2]},
        {"Fn::Select": ["x", [1]]},
        {"Fn::ImportValue": {"Ref": "AWS::NoSuchPseudo"}},
    ]
)


def _paths(node: Any, prefix: tuple[Any, ...] = (), depth: int = 0) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    if depth > 6:
        return out
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*prefix, k))
            out.extend(_paths(v, (*prefix, k), depth + 1))
    elif isinstance(node, list):
        for i, v in enumerate(node[:5]):
            out.append((*prefix, i))
            out.extend(_paths(v, (*prefix, i), depth + 1))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    node = doc
    for p in path[:-1]:
        node = node[p]
    return node


@st.composite
def template_documents(draw: Any) -> tuple[str, str]:
    """(text, suffix): a generated template with 1–4 mutations, dumped as JSON or YAML."""
    doc = copy.deepcopy(base_template(draw(st.sampled_from(TEMPLATE_PATTERNS))))
    resources = sorted(doc.get("Resources") or {})
    for _ in range(draw(st.integers(1, 4))):
        op = draw(
            st.sampled_from(["delete", "swap", "intrinsic", "depends_cycle", "ref_cycle", "huge", "meta"])
        )
        paths = _paths(doc)
        if op in ("delete", "swap", "intrinsic") and paths:
            path = draw(st.sampled_from(paths))
            parent = _parent(doc, path)
            if op == "delete":
                del parent[path[-1]]
            else:
                parent[path[-1]] = draw(HOSTILE if op == "swap" else ODD_INTRINSICS)
        elif (
            op in ("depends_cycle", "ref_cycle")
            and len(resources) >= 2
            and isinstance(doc.get("Resources"), dict)
        ):
            a, b = draw(st.lists(st.sampled_from(resources), min_size=2, max_size=2))
            res = doc["Resources"]
            if not (isinstance(res.get(a), dict) and isinstance(res.get(b), dict)):
                continue
            if op == "depends_cycle":
                res[a]["DependsOn"] = b
                res[b]["DependsOn"] = [a]
            else:
                res[a].setdefault("Properties", {})
                res[b].setdefault("Properties", {})
                if isinstance(res[a]["Properties"], dict) and isinstance(res[b]["Properties"], dict):
                    res[a]["Properties"]["Description"] = {"Ref": b}
                    res[b]["Properties"]["Description"] = {"Fn::GetAtt": [a, "Arn"]}
        elif op == "huge" and paths:
            path = draw(st.sampled_from(paths))
            _parent(doc, path)[path[-1]] = draw(HUGE)
        elif op == "meta":
            meta = doc.setdefault("Metadata", {})
            if isinstance(meta, dict):
                cw = meta.setdefault("cloudwright", {})
                if isinstance(cw, dict):
                    key = draw(
                        st.sampled_from(["usage", "azs", "region", "environment", "assumptions", "name"])
                    )
                    cw[key] = draw(HOSTILE)
    if draw(st.booleans()):
        return json.dumps(doc, default=str), ".json"
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), ".yaml"


# --------------------------------------------------------------------------------------------------
# offer files
# --------------------------------------------------------------------------------------------------
@cache
def base_offer() -> dict[str, Any]:
    return dict(json.loads(OFFER_FIXTURE.read_text(encoding="utf-8")))


CODES = st.one_of(
    st.sampled_from(
        ["AWSLambda", "../x", "..", "a/b", "/etc", "Amazon EC2", "", "C:\\x", "x" * 80, "AWS.Lambda"]
    ),
    SCALAR,
)
PRICES = st.one_of(st.sampled_from(["NaN", "-1", "-0.01", "Infinity", "1e400", "abc", "0.5", "0"]), SCALAR)


@st.composite
def offer_documents(draw: Any) -> tuple[str, str]:
    doc = copy.deepcopy(base_offer())
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["code", "region", "price", "range", "shape", "swap"]))
        products = doc.get("products")
        terms = (doc.get("terms") or {}).get("OnDemand") if isinstance(doc.get("terms"), dict) else None
        if op == "code":
            doc["offerCode"] = draw(CODES)
        elif op == "region" and isinstance(products, dict) and products:
            sku = draw(st.sampled_from(sorted(products)))
            if isinstance(products[sku], dict) and isinstance(products[sku].get("attributes"), dict):
                products[sku]["attributes"]["regionCode"] = draw(
                    st.one_of(
                        st.sampled_from(["../../etc", "zz-fake-9", "us-east-1", "eu-west-1/.."]), SCALAR
                    )
                )
        elif op in ("price", "range") and isinstance(terms, dict) and terms:
            sku = draw(st.sampled_from(sorted(terms)))
            for term in terms[sku].values() if isinstance(terms[sku], dict) else []:
                dims = term.get("priceDimensions") if isinstance(term, dict) else None
                for dim in dims.values() if isinstance(dims, dict) else []:
                    if isinstance(dim, dict):
                        if op == "price":
                            dim["pricePerUnit"] = {"USD": draw(PRICES)}
                        else:
                            dim[draw(st.sampled_from(["beginRange", "endRange"]))] = draw(PRICES)
        elif op == "shape":
            key = draw(st.sampled_from(["products", "terms", "publicationDate", "version"]))
            doc[key] = draw(HOSTILE)
        elif op == "swap":
            paths = _paths(doc)
            if paths:
                path = draw(st.sampled_from(paths))
                _parent(doc, path)[path[-1]] = draw(HOSTILE)
    return json.dumps(doc, default=str), ".json"
