"""Building a strategy into a copy of a design never changes the design it copies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgets import examples
from cloudwright.design.build import build_design
from cloudwright.dr import STRATEGIES
from cloudwright.dr.stacks import apply_strategy, clone_design
from cloudwright.requirements import load_requirements

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: Patterns with every kind of data store a strategy replicates (DynamoDB, Aurora, RDS, S3, EFS) and
#: global services (CloudFront, Route 53, WAF) the copies reach through parameters.
PATTERNS = ("serverless-web", "three-tier-fargate", "ha-ec2-web", "multi-region-active-active")


def _poison(node: Any) -> None:
    """Change every dict and list inside ``node`` in place."""
    if isinstance(node, dict):
        for v in list(node.values()):
            _poison(v)
        node["__poisoned__"] = True
    elif isinstance(node, list):
        for v in list(node):
            _poison(v)
        node.append("__poisoned__")


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_strategy_leaves_the_original_design_byte_identical(pattern: str) -> None:
    req = load_requirements(EXAMPLES / "dr-warm-standby.yaml")
    design = build_design(req, pattern_id=pattern)
    before = design.model_dump_json()
    for strategy in STRATEGIES:
        for secondary in ("eu-west-1", ["eu-west-1", "ap-southeast-2"]):
            variant = apply_strategy(design, req, strategy, secondary)
            assert design.model_dump_json() == before, (pattern, strategy, secondary)
            # the variant shares nothing mutable with the original: changing all of it changes nothing there
            for r in variant.resources:
                for field in (r.properties, r.usage, r.metadata, r.attributes, r.depends_on, r.placement.azs):
                    _poison(field)
            for section in (variant.parameters, variant.conditions, variant.outputs, variant.metadata):
                _poison(section)
            variant.warnings.append("__poisoned__")
            variant.edges.clear()
            assert design.model_dump_json() == before, (pattern, strategy, secondary)


def test_clone_design_is_equal_and_independent() -> None:
    req = load_requirements(EXAMPLES / "dr-pilot-light.yaml")
    design = build_design(req, pattern_id="three-tier-fargate")
    before = design.model_dump_json()
    copy = clone_design(design)
    assert copy.model_dump_json() == before
    for r in copy.resources:
        _poison(r.properties)
        _poison(r.metadata)
        r.placement.region = "xx-poison-1"
    assert design.model_dump_json() == before


_PIECES = st.sampled_from(
    ["MasterUserSecret", "MasterUser", "Secret", "Secre", "t", "é", "\n", "'", "-1", ""]
)
_TEXT = st.lists(_PIECES, max_size=4).map("".join) | st.text(max_size=8)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=examples(200), deadline=None)
@given(node=_JSON)
def test_mentions_is_text_in_str(node: Any) -> None:
    from cloudwright.dr.stacks import _mentions

    assert _mentions(node, "MasterUserSecret") == ("MasterUserSecret" in str(node))


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_pilot_light_copies_what_its_kept_resources_reach_through_their_references(pattern: str) -> None:
    """The pilot light reads what a resource refers to from its copy (the rewrite finds it): the resources
    it copies are those the originals' own references reach from the kept ones."""
    from cloudwright.cfn.writer import references
    from cloudwright.dr.stacks import _closure_copies, _copy_resource, _keep_for, _refs, _stack_candidates

    req = load_requirements(EXAMPLES / "dr-pilot-light.yaml")
    design = build_design(req, pattern_id=pattern)
    pool, skip, replace, _ = _stack_candidates(design, "pilot-light", "eu-west-3")
    ids = {r.logical_id for r in pool}
    by_id = {r.logical_id: r for r in pool}
    reached: set[str] = set()
    todo = [r.logical_id for r in pool if _keep_for("pilot-light", r)]
    while todo:  # the closure walked on the originals
        lid = todo.pop()
        if lid not in reached:
            reached.add(lid)
            todo.extend(_refs(by_id[lid]) & ids)
    assert reached - skip, pattern
    rename = {lid: f"{lid}EuWest3" for lid in ids - skip}
    made = _closure_copies(
        pool,
        skip,
        rename,
        lambda r: _copy_resource(r, rename, replace, design.region, "eu-west-3", "pilot-light"),
    )
    assert set(made) == reached - skip
    back = {v: k for k, v in rename.items()}
    for lid, result in made.items():
        if result is not None:
            copy_, found = result
            assert copy_.logical_id == rename[lid]
            vpc = by_id[lid].placement.vpc
            assert copy_.placement.vpc == (rename[vpc] if vpc in reached - skip else vpc)
            original = {back.get(n, n) for n in found}
            assert original & ids == references(by_id[lid].properties) & ids, lid
