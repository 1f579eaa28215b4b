"""The canonical result, its JSON contract and the Markdown/HTML/JSON reports built from it."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from render_samples import sample_design, sample_estimate

from cloudwright.design.plan import EndpointView, RuleView, checklist, network_plan
from cloudwright.pipeline import budget_verdict, estimate_view
from cloudwright.render import RENDERERS, render_report

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "design-result.schema.json").read_text())


def test_json_matches_documented_schema(result):
    data = json.loads(render_report(result, "json"))
    jsonschema.validate(data, SCHEMA)
    assert data["pattern"]["id"] == "three-tier-fargate"
    assert [a["id"] for a in data["alternatives"]] == ["serverless-web"]


def test_schema_rejects_a_result_missing_the_budget(result):
    data = result.to_dict()
    del data["budget"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_line_items_are_flat_with_logical_ids_and_sum_to_the_total(result):
    data = result.to_dict()
    lines = data["estimate"]["line_items"]
    assert {li["logical_id"] for li in lines} >= {"Alb", "Database", "NatGatewayA"}
    priced = sum(Decimal(str(li["monthly_usd"])) for li in lines if li["monthly_usd"] is not None)
    assert abs(priced - Decimal(str(data["estimate"]["monthly_usd"]))) <= Decimal("0.05")
    assert data["estimate"]["unpriced_lines"] == 2


def test_overrun_is_shown_not_clamped(result):
    b = result.to_dict()["budget"]
    assert b["over_budget"] is True
    assert b["monthly_usd"] == 50
    assert b["estimate_usd"] > b["monthly_usd"]
    assert Decimal(str(b["overrun_usd"])) == Decimal(str(b["estimate_usd"])) - Decimal(50)
    md = render_report(result, "markdown")
    assert "Over budget" in md and "$1.28" in md


@pytest.mark.parametrize(
    ("budget", "total", "verdict", "over"),
    [
        (100, "120.50", "over-budget", True),
        (100, "95", "within-budget", False),
        (100, "40", "within-budget", False),
        (0, "40", "no-budget", False),
    ],
)
def test_budget_verdicts(budget, total, verdict, over):
    est = estimate_view(sample_estimate())
    est.monthly_usd = Decimal(total)
    b = budget_verdict(budget, est)
    assert b.verdict == verdict and b.over_budget is over
    assert b.near_budget is (total == "95")
    if over:
        assert b.overrun_usd == Decimal(total) - budget and b.headroom_usd == 0
    elif budget:
        assert b.headroom_usd == budget - Decimal(total) and b.overrun_usd == 0


def test_usage_unknown_lines_say_so_with_their_unit_price(result):
    md = render_report(result, "markdown")
    # the unit price in its own column, the monthly column says the usage is unknown (as in `estimate`)
    assert "| depends on usage | $0.023/GB-months | depends on usage |" in md
    assert "2 line(s) are not in the total" in md


def test_markdown_has_every_section(result):
    md = render_report(result, "markdown")
    for title in (
        "## Summary",
        "## Why this pattern",
        "### Why not the others",
        "### What would change the answer",
        "## Services",
        "### Service selection",
        "## Cost estimate",
        "## Budget",
        "## Trade-offs and scaling",
        "## Network and security plan",
        "## Implementation checklist",
        "## Roadmap",
        "```mermaid",
    ):
        assert title in md, title
    for phase in ("Planning", "Foundation", "Core Services", "Security", "Monitoring", "CI/CD"):
        assert f"### {phase}" in md


def test_html_is_self_contained(result):
    html = render_report(result, "html")
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html and "<svg" in html
    assert 'href="http' not in html and "<script" not in html and "<link" not in html
    assert "Over budget" in html


def test_unknown_format_is_an_input_error(result):
    from cloudwright.errors import InputError

    with pytest.raises(InputError, match="allowed"):
        render_report(result, "pdf")


def test_renderers_table_lists_every_format():
    assert set(RENDERERS) >= {"markdown", "html", "json", "dot", "mermaid", "svg"}


def test_network_plan_reads_rules_roles_and_encryption_from_the_graph():
    plan = network_plan(sample_design())
    assert [s.logical_id for s in plan.subnets] == ["PublicSubnetA", "PublicSubnetB", "DataSubnetA"]
    app = next(g for g in plan.security_groups if g.logical_id == "AppSecurityGroup")
    assert app.ingress == [RuleView(protocol="tcp", ports="8080", peer="AlbSecurityGroup")]
    assert plan.iam_roles[0].assumed_by == ["lambda.amazonaws.com"]
    enc = {e.logical_id: e.settings for e in plan.encryption}
    assert "StorageEncrypted=true" in enc["Database"]
    assert plan.endpoints == [EndpointView(logical_id="S3Endpoint", service="s3", type="Gateway")]
    assert plan.nat.count == 1 and "shared" in plan.nat.strategy


def test_checklist_follows_the_resources():
    from cloudwright.requirements import requirements_from_mapping

    req = requirements_from_mapping({})
    design = sample_design()
    phases = {p.phase: p for p in checklist(design, req, pattern_name="x")}
    ids = {r.logical_id for r in design.resources}
    for p in phases.values():
        for t in p.tasks:
            assert set(t.resources) <= ids
    assert any("VPC" in t.task for t in phases["Foundation"].tasks)
    assert any(t.resources == ["Worker"] for t in phases["Core Services"].tasks)
    # without the VPC resources there is no VPC task, and the foundation says so
    design.resources = [r for r in design.resources if not r.type.startswith("AWS::EC2::")]
    phases = {p.phase: p for p in checklist(design, req, pattern_name="x")}
    assert not any("Create the VPC" in t.task for t in phases["Foundation"].tasks)
    assert any("No VPC" in t.task for t in phases["Foundation"].tasks)
    assert not any("security group" in t.task for t in phases["Security"].tasks)
