"""Disaster recovery: strategies built, priced and chosen; residency; availability maths; templates."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from cloudwright import regions
from cloudwright.design.build import build_design
from cloudwright.design.model import Design
from cloudwright.dr import STRATEGIES, DrOption, choose, plan_dr, ranking_basis, secondary_region
from cloudwright.dr.stacks import apply_strategy
from cloudwright.dr.strategies import recovery
from cloudwright.pipeline import run_design
from cloudwright.requirements import Requirements, load_requirements, requirements_from_mapping

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WINNERS = {
    "backup-restore": "dr-backup-restore",
    "pilot-light": "dr-pilot-light",
    "warm-standby": "dr-warm-standby",
    "active-active": "global-saas",
}
_ARN_REGION = re.compile(r"arn:[^:]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):")


@cache
def _result(example: str):  # type: ignore[no-untyped-def]
    return run_design(load_requirements(EXAMPLES / f"{example}.yaml"))


def _used_regions(design: Design) -> set[str]:
    """Every Region a design runs in or copies data to: placements, replicas, copy/replication targets."""
    found = {r.placement.region for r in design.resources if regions.is_known(r.placement.region)}
    for r in design.resources:
        for rep in r.prop("Replicas") or []:
            if isinstance(rep, dict) and isinstance(rep.get("Region"), str):
                found.add(rep["Region"])
        found.update(m.group(1) for m in _ARN_REGION.finditer(str(r.properties)))
        if isinstance(r.prop("SourceRegion"), str):
            found.add(r.prop("SourceRegion"))
    return found


# --------------------------------------------------------------------------------------------------
# the choice
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_each_strategy_has_an_example_that_wins_it(strategy: str) -> None:
    result = _result(WINNERS[strategy])
    dr = result.to_dict()["dr"]
    assert dr["strategy"] == strategy
    assert [o["strategy"] for o in dr["options"]] == list(STRATEGIES)
    for o in dr["options"]:
        assert set(o) >= {"strategy", "monthly_usd", "rto_minutes", "rpo_minutes", "meets_targets"}
    chosen = next(o for o in dr["options"] if o["strategy"] == strategy)
    assert chosen["meets_targets"]
    assert (dr["rto_minutes"], dr["rpo_minutes"]) == (chosen["rto_minutes"], chosen["rpo_minutes"])
    if strategy != "active-active":  # the multi-Region pattern is active in every Region by construction
        cheaper = STRATEGIES[: STRATEGIES.index(strategy)]
        assert not any(o["meets_targets"] for o in dr["options"] if o["strategy"] in cheaper)
    assert len(dr["regions"]) >= 2 and dr["regions"][0] == result.region


def _option(strategy: str, usd: str, signature: tuple[tuple[str, str, str], ...] = ()) -> DrOption:
    from decimal import Decimal

    return DrOption(
        strategy=strategy,
        monthly_usd=Decimal(usd),
        complete=not signature,
        unpriced_lines=len(signature),
        rto_minutes=10.0,
        rpo_minutes=1.0,
        meets_targets=True,
        recovery={},
        signature=signature,
    )


def test_partial_totals_are_not_ranked_on_their_priced_part() -> None:
    # active-active looks cheaper only because its other-Region lines have no price
    pilot = _option("pilot-light", "351", (("KeyUsEast2", "Requests", "1"),))
    active = _option(
        "active-active", "234", (("ApiUsEast2", "Requests", "9"), ("KeyUsEast2", "Requests", "1"))
    )
    assert ranking_basis([pilot, active]) == "whitepaper-order"
    assert choose([pilot, active]).strategy == "pilot-light"
    # totals lacking exactly the same lines (or none) compare on their priced parts
    same = (("KeyUsEast2", "Requests", "1"),)
    assert (
        ranking_basis([_option("pilot-light", "351", same), _option("warm-standby", "300", same)]) == "totals"
    )
    assert choose([_option("pilot-light", "351"), _option("warm-standby", "300")]).strategy == "warm-standby"


def test_the_ranking_basis_is_in_the_json_and_the_reason_never_claims_an_unknown_cost_order() -> None:
    dr = _result("dr-pilot-light").to_dict()["dr"]
    assert dr["ranking_basis"] in ("totals", "whitepaper-order")
    assert all("complete" in o for o in dr["options"])
    if dr["ranking_basis"] == "whitepaper-order":
        assert "at a higher cost" not in dr["reason"] and "whitepaper" in dr["reason"]


def test_without_targets_the_cheapest_strategy_is_kept_and_said() -> None:
    dr = _result("saas-startup").to_dict()["dr"]
    assert dr["strategy"] == "backup-restore"
    assert dr["rto_target_minutes"] is None and "no rto_minutes" in dr["reason"]


def test_dev_has_no_second_region() -> None:
    req = load_requirements(EXAMPLES / "dr-warm-standby.yaml")
    result = run_design(req, environment="dev")
    assert result.dr is None
    assert {r.placement.region for r in result.resources} <= {req.region, "global"}


# --------------------------------------------------------------------------------------------------
# RTO / RPO come from the strategy's steps
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("pattern", ["serverless-web", "three-tier-fargate", "ha-ec2-web"])
def test_rto_rpo_come_from_the_strategy_never_a_flat_zero(pattern: str) -> None:
    req = load_requirements(EXAMPLES / "dr-pilot-light.yaml")
    design = build_design(req, pattern_id=pattern)
    previous = None
    for s in STRATEGIES:
        rec = recovery(apply_strategy(design, req, s, "us-east-2"), s)
        assert rec["rto_minutes"] > 0 and rec["rpo_minutes"] > 0
        assert rec["rto_minutes"] == pytest.approx(sum(step["minutes"] for step in rec["rto_steps"]))
        assert all(step["source"].startswith("https://") for step in rec["rto_steps"])
        if previous is not None:  # each strategy recovers at least as fast as the cheaper one
            assert rec["rto_minutes"] <= previous
        previous = rec["rto_minutes"]
    # the review's recovery figures include the Region outage, not only AZ failures
    result = _result("dr-pilot-light")
    recovery_view = result.review.recovery
    assert recovery_view is not None and recovery_view.region_failure is not None
    assert recovery_view.region_failure.strategy == "pilot-light"
    assert recovery_view.rto_minutes is not None
    assert recovery_view.rto_minutes >= recovery_view.region_failure.rto_minutes > 0


# --------------------------------------------------------------------------------------------------
# residency
# --------------------------------------------------------------------------------------------------
EU_CASES = [
    ("serverless-web", "eu-central-1", ["europe"]),
    ("three-tier-fargate", "eu-west-1", ["europe"]),
    ("multi-region-active-active", "eu-central-1", ["europe", "north-america", "asia-pacific"]),
]


def _eu_req(region: str, audiences: list[str]) -> Requirements:
    return requirements_from_mapping(
        {
            "name": "eu-shop",
            "application_type": "saas_platform",
            "expected_users": 200000,
            "region": region,
            "allowed_regions": ["eu"],
            "compliance": ["GDPR"],
            "audience_regions": audiences,
            "rto_minutes": 5,
            "rpo_minutes": 1,
        }
    )


@pytest.mark.parametrize(("pattern", "region", "audiences"), EU_CASES)
def test_allowed_regions_eu_never_yields_a_non_eu_region_replica_or_backup_copy(
    pattern: str, region: str, audiences: list[str]
) -> None:
    req = _eu_req(region, audiences)
    design = build_design(req, pattern_id=pattern)
    secondary = secondary_region(region, req.allowed_regions)
    assert secondary is not None and regions.group_of(secondary) == "eu"
    for s in STRATEGIES:
        variant = apply_strategy(design, req, s, secondary)
        used = _used_regions(variant)
        assert used and all(regions.group_of(r) == "eu" for r in used), (s, sorted(used))
    plan = plan_dr(design, req)
    assert plan is not None and all(regions.group_of(r) == "eu" for r in plan.regions)


def test_gdpr_cross_border_transfer_is_met_or_not_met_from_the_design() -> None:
    from cloudwright.review.compliance import evaluate
    from cloudwright.review.engine import review_design

    req = _eu_req("eu-central-1", ["europe", "north-america"])
    plan = plan_dr(build_design(req, pattern_id="serverless-web"), req)
    assert plan is not None
    review = review_design(plan.design, req)
    art44 = next(c for c in evaluate(["GDPR"], review, plan.design)[0].controls if c.id == "Art.44")
    assert art44.status == "met"
    # the same design copied to a US Region breaks it
    us = apply_strategy(build_design(req, pattern_id="serverless-web"), req, "warm-standby", "us-east-1")
    review = review_design(us, req)
    art44 = next(c for c in evaluate(["GDPR"], review, us)[0].controls if c.id == "Art.44")
    assert art44.status == "not met" and "SEC-RES-001" in art44.evidence


def test_secondary_region_choice() -> None:
    assert secondary_region("eu-central-1", ["eu"]) == "eu-west-1"
    assert secondary_region("us-east-1", []) == "us-east-2"
    assert secondary_region("eu-central-1", ["eu-central-1"]) is None
    assert secondary_region("us-gov-west-1", []) == "us-gov-east-1"  # same partition
    assert secondary_region("us-east-1", [], priced={"us-west-2"}) == "us-west-2"


# --------------------------------------------------------------------------------------------------
# availability
# --------------------------------------------------------------------------------------------------
def test_a_design_needing_9999_meets_it_or_names_the_dependency_that_prevents_it() -> None:
    result = _result("global-saas")
    availability = result.review.availability
    assert availability is not None and availability.target_percent == 99.99
    if availability.verdict != "meets target":
        assert availability.limiting_dependencies, availability
    # the design is active-active already: the review must not recommend it again
    finding = next((f for f in result.review.findings if f.check_id == "REL-SLA-002"), None)
    if finding is not None:
        assert "already runs active-active" in finding.message
    names = {c.name: c for c in availability.components}
    assert names["Amazon DynamoDB"].sla_percent == 99.999  # global tables at their own SLA
    assert names["Amazon Route 53"].sla_percent == 100.0
    spofs = {p.resource for p in availability.single_points_of_failure}
    assert "UserPool" in spofs


def test_aurora_counts_at_its_own_sla_not_single_az_rds() -> None:
    result = _result("web-shop")
    assert result.review.availability is not None
    comps = [c for c in result.review.availability.components if c.service == "aurora"]
    assert comps and comps[0].sla_percent == 99.99 and comps[0].date == "2022-05-19"


# --------------------------------------------------------------------------------------------------
# every Region priced at its own prices or said to have none
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_region_is_priced_at_its_own_prices_or_says_no_price(strategy: str) -> None:
    from cloudwright.pricing.catalog import load_catalog, regional_regions

    result = _result(WINNERS[strategy])
    design = result.design_obj
    priced_regions = set(load_catalog().regions()) | set(regional_regions())
    secondaries = {r.placement.region for r in design.resources} - {design.region, "global", "edge", ""}
    assert secondaries
    lines = {}
    for li in result.estimate.line_items:
        lines.setdefault(li.logical_id, []).append(li)
    for r in design.resources:
        if r.placement.region not in secondaries:
            continue
        assert r.logical_id in {x.logical_id for x in result.estimate.resources}
        for li in lines.get(r.logical_id, []):
            if li.status == "price-unknown":
                assert r.placement.region in (li.note or ""), li
            elif li.status == "priced" and li.monthly_usd:
                assert r.placement.region in priced_regions, (r.logical_id, li.description)
    by_region = next(o for o in result.to_dict()["dr"]["options"] if o["strategy"] == strategy)["by_region"]
    assert secondaries <= set(by_region)


# --------------------------------------------------------------------------------------------------
# templates: one per Region, cfn-lint + checkov clean, deployable on the emulator
# --------------------------------------------------------------------------------------------------
def test_one_template_per_region() -> None:
    from cloudwright.cfn.writer import render_templates

    files = render_templates(_result("global-saas").design_obj)
    assert sorted(files) == ["template.ap-southeast-1.yaml", "template.eu-west-1.yaml", "template.yaml"]


@pytest.mark.slow
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_strategy_templates_validate_and_deploy(strategy: str) -> None:
    """cfn-lint on each template in its Region and checkov over all (results cached by template, see
    tests/validator_cache.py), then every template deploys on the emulator."""
    import validator_cache
    from cloudwright.cfn.writer import render_templates
    from cloudwright.deploy.emulator import EmulatorTarget
    from cloudwright.yamlfast import safe_load

    files = render_templates(_result(WINNERS[strategy]).design_obj)
    assert len(files) >= 2
    regions = {name: safe_load(text)["Metadata"]["cloudwright"]["region"] for name, text in files.items()}
    findings = [
        f for name, text in sorted(files.items()) for f in validator_cache.lint(text, region=regions[name])
    ]
    findings += [f for fs in validator_cache.checkov(files).values() for f in fs]
    bad = [(f.file, f.rule_id, f.message) for f in findings if f.level in ("error", "warning")]
    assert not bad, bad
    for name, text in sorted(files.items()):
        region = regions[name]
        with EmulatorTarget(region) as target:
            assert target.deploy(text, f"dr-{strategy}").ok, name


@pytest.mark.parametrize(
    ("pattern", "compute"),
    [("three-tier-fargate", "AWS::ECS::Service"), ("ha-ec2-web", "AWS::AutoScaling::AutoScalingGroup")],
)
def test_warm_standby_of_a_database_design_runs_compute_and_a_replica(pattern: str, compute: str) -> None:
    from cloudwright.cfn.writer import render_templates

    req = load_requirements(EXAMPLES / "dr-warm-standby.yaml")
    design = apply_strategy(build_design(req, pattern_id=pattern), req, "warm-standby", "eu-west-1")
    secondary = [r for r in design.resources if r.placement.region == "eu-west-1"]
    assert any(r.type == compute for r in secondary)
    db = [r for r in secondary if r.type in ("AWS::RDS::DBCluster", "AWS::RDS::DBInstance")]
    assert db and all(r.prop("MasterUsername") is None for r in db)  # replicas, not new databases
    assert any(r.prop("GlobalClusterIdentifier") or r.prop("SourceDBInstanceIdentifier") for r in db), (
        "the recovery database replicates from the primary"
    )
    # the primary's RDS-managed secret stays in its Region: the recovery template asks for one, no default
    template = render_templates(design)["template.eu-west-1.yaml"]
    import yaml

    params = yaml.safe_load(template)["Parameters"]
    assert "DatabaseSecretArnEuWest1" in params and "Default" not in params["DatabaseSecretArnEuWest1"]
    assert "DatabaseSecretArnEuWest1" not in yaml.safe_load(render_templates(design)["template.yaml"]).get(
        "Parameters", {}
    )
