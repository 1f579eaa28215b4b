"""The real pipeline end to end: recommend → build → price → review → plan → result and outputs."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from cloudwright.design.build import build_design
from cloudwright.design.types import load_types
from cloudwright.errors import InputError
from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.recommend import recommend
from cloudwright.pipeline import run_design
from cloudwright.pricing.engine import price_design
from cloudwright.render import write_outputs
from cloudwright.render.icons import load_icons
from cloudwright.requirements import requirements_from_mapping

SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "design-result.schema.json").read_text())
SAAS = {
    "name": "saas",
    "application_type": "saas_platform",
    "expected_users": 50_000,
    "requests_per_second": 150,
    "budget_monthly_usd": 2_000,
    "team_size": 6,
    "aws_experience": "intermediate",
}


@pytest.fixture(scope="module")
def saas_result():
    return run_design(requirements_from_mapping(SAAS))


def test_result_follows_the_recommendation_and_the_schema(saas_result):
    req = requirements_from_mapping(SAAS)
    data = saas_result.to_dict()
    jsonschema.validate(data, SCHEMA)
    rec = recommend(req)
    assert data["pattern"]["id"] == rec.pattern.id
    assert [a["id"] for a in data["alternatives"]] == [a.id for a in rec.alternatives]
    assert len(data["alternatives"]) == len(load_patterns()) - 1
    assert data["review"] is not None and "findings" in data["review"]


def test_costs_come_from_the_pricing_engine(saas_result):
    req = requirements_from_mapping(SAAS)
    # the production design carries its DR strategy: the same design built again prices the same
    from cloudwright.dr import plan_dr

    plan = plan_dr(build_design(req, pattern_id=saas_result.pattern.id), req)
    assert plan is not None and saas_result.dr is not None and plan.strategy == saas_result.dr.strategy
    estimate = price_design(plan.design)
    assert estimate.monthly_usd == price_design(saas_result.design_obj).monthly_usd
    assert saas_result.estimate.monthly_usd == estimate.monthly_usd
    for r in saas_result.resources:
        assert r.monthly_usd == estimate.resource_cost(r.logical_id)


def test_checklist_and_roadmap_name_only_real_resources(saas_result):
    ids = {r.logical_id for r in saas_result.resources}
    assert [p.phase for p in saas_result.checklist] == [
        "Planning",
        "Foundation",
        "Core Services",
        "Security",
        "Monitoring",
        "CI/CD",
    ]
    named = {x for p in saas_result.checklist for t in p.tasks for x in t.resources}
    named |= {x for p in saas_result.roadmap for t in p.items for x in t.resources}
    assert named and named <= ids | {"design"}
    core = {x for t in saas_result.checklist[2].tasks for x in t.resources}
    assert len(core) >= 3


def test_serverless_design_has_no_vpc_tasks():
    result = run_design(
        requirements_from_mapping({**SAAS, "expected_users": 2000}), pattern_id="serverless-web"
    )
    foundation = result.checklist[1].tasks
    if not result.network.vpcs:
        assert not any("Create the VPC" in t.task for t in foundation)
        assert result.network.nat.count == 0


def test_overrun_is_reported_in_full():
    result = run_design(requirements_from_mapping({**SAAS, "budget_monthly_usd": 1}))
    b = result.budget
    assert b.over_budget and b.verdict == "over-budget"
    assert b.estimate_usd == result.estimate.monthly_usd > Decimal(1)
    assert b.overrun_usd == result.estimate.monthly_usd - 1


def test_forced_pattern_keeps_the_recommendation_in_the_alternatives():
    req = requirements_from_mapping(SAAS)
    recommended = recommend(req, flips=False).pattern.id
    forced = "ha-ec2-web" if recommended != "ha-ec2-web" else "serverless-web"
    result = run_design(req, pattern_id=forced)
    assert result.pattern.id == forced
    assert result.pattern.reasons[0].startswith("forced")
    assert recommended in [a.id for a in result.alternatives]
    assert forced not in [a.id for a in result.alternatives]
    assert any("forced" in w for w in result.warnings)


def test_unknown_pattern_and_free_tier_are_input_errors():
    req = requirements_from_mapping(SAAS)
    with pytest.raises(InputError, match="unknown pattern"):
        run_design(req, pattern_id="mainframe")
    with pytest.raises(InputError, match="free-tier"):
        run_design(req, free_tier="forever")


def test_outputs_are_byte_identical_across_runs(tmp_path):
    req = requirements_from_mapping(SAAS)
    a, b = tmp_path / "a", tmp_path / "b"
    files_a, _ = write_outputs(run_design(req), a)
    files_b, _ = write_outputs(run_design(req), b)
    names = sorted(p.name for p in files_a)
    assert names == sorted(p.name for p in files_b)
    assert {"report.md", "report.html", "design.json", "diagram.dot", "diagram.mmd", "template.yaml"} <= set(
        names
    )
    for name in names:
        if name == "diagram.png":  # raster output of the same SVG; compared through the DOT and SVG
            continue
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


REQUIREMENT_SETS = [
    {},
    {
        "compliance": ["SOC2", "PCI-DSS"],
        "audience_regions": ["north-america", "europe"],
        "availability_target": 99.99,
    },
    {"compliance": ["HIPAA"], "application_type": "saas_platform"},
]


def test_every_type_any_pattern_uses_has_a_catalogue_and_an_icon_entry():
    types, icons = load_types(), load_icons()
    seen: dict[str, str] = {}
    for extra in REQUIREMENT_SETS:
        req = requirements_from_mapping({**SAAS, **extra})
        for pid in load_patterns():
            for env in ("dev", "prod"):
                try:
                    design = build_design(req, pattern_id=pid, environment=env)
                except InputError:  # e.g. a pattern that cannot be HIPAA-eligible
                    continue
                for r in design.resources:
                    seen.setdefault(r.type, pid)
    missing = sorted(f"{t} (in {p})" for t, p in seen.items() if t not in types)
    assert not missing, missing
    no_icon = sorted(f"{t} (in {p})" for t, p in seen.items() if t not in icons)
    assert not no_icon, no_icon


@pytest.mark.slow
def test_outputs_do_not_depend_on_hash_seed(tmp_path):
    import os
    import subprocess
    import sys

    args = [
        "--expected-users",
        "50000",
        "--requests-per-second",
        "150",
        "--budget-monthly-usd",
        "2000",
        "--compliance",
        "SOC2",
        "-f",
        "json",
    ]
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        code = "from cloudwright.cli import main; main()"
        cmd = [sys.executable, "-c", code, "design", *args, "-o", str(tmp_path / seed)]
        subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=300)
    for path in sorted((tmp_path / "1").iterdir()):
        assert path.read_bytes() == (tmp_path / "2" / path.name).read_bytes(), path.name


def test_public_build_design_recommends_when_no_pattern_is_given():
    import cloudwright
    from cloudwright.patterns.recommend import recommend
    from cloudwright.requirements import load_requirements

    req = load_requirements("examples/saas-startup.yaml")
    chosen = recommend(req).pattern.id
    implicit = cloudwright.build_design(req)
    explicit = cloudwright.build_design(req, chosen)
    assert implicit.origin == f"pattern:{chosen}"
    assert implicit.model_dump_json() == explicit.model_dump_json()


@pytest.mark.parametrize("pattern_id", ["three-tier-fargate", "serverless-web", "eks-platform"])
def test_resource_views_equal_the_validated_ones(pattern_id):
    """The result's resources are built without re-validating their JSON; they equal validated views,
    hold copies (not the design's own dicts), and a value validation would convert is validated."""
    from cloudwright.design.types import type_info
    from cloudwright.pipeline import _resource_view
    from cloudwright.result import ResourceView

    req = requirements_from_mapping({"name": "views", "expected_users": 50_000})
    design = build_design(req, pattern_id, "prod")
    for r in design.resources:
        view = _resource_view(r, None, type_info(r.type).category)
        validated = ResourceView(**{k: getattr(view, k) for k in ResourceView.model_fields})
        assert view.model_dump() == validated.model_dump()
        assert view.model_fields_set == validated.model_fields_set
        assert r.properties == view.properties and (not r.properties or r.properties is not view.properties)
    r = design.resources[0].model_copy(update={"properties": {"Tags": ("a", "b")}})
    view = _resource_view(r, None, "x")
    assert view.properties == {"Tags": ["a", "b"]}  # the tuple went through the validator
