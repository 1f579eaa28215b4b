"""The pattern catalogue: validated, traceable patterns; no end-of-support service anywhere."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from cloudwright.eligibility import end_of_support, services
from cloudwright.patterns.catalog import KNOWN_BUILDERS, forbidden_mentions, load_patterns, validate_pattern
from cloudwright.patterns.model import Pattern

TEN = {
    "serverless-web",
    "three-tier-fargate",
    "multi-region-active-active",
    "serverless-mobile-appsync",
    "event-driven-microservices",
    "realtime-analytics-pipeline",
    "iot-platform",
    "ha-ec2-web",
    "eks-platform",
    "well-architected-foundation",
}
#: Patterns for workload shapes beyond request/response web back ends.
WORKLOAD_SHAPES = {
    "batch-etl",
    "content-site",
    "gpu-inference",
    "realtime-websocket",
    "realtime-websocket-fleet",
}


def test_the_public_pattern_ids_are_present_and_sorted():
    patterns = load_patterns()
    assert set(patterns) == TEN | WORKLOAD_SHAPES
    assert list(patterns) == sorted(patterns)


@pytest.mark.parametrize("pid", sorted(TEN | WORKLOAD_SHAPES))
def test_every_pattern_is_complete_and_traceable(pid):
    p = load_patterns()[pid]
    assert p.seeds and set(p.seeds) <= {"000", "001", "002", "003"}
    for seed in p.seeds:
        assert f"seed {seed}" in p.traceability.lower() or f"seed {seed}" in p.traceability
    assert p.fits_when and p.use_cases and p.pros and p.cons
    assert p.scaling_limits and all(lim.source for lim in p.scaling_limits)
    assert p.operational_burden is not None and p.availability is not None and p.cost is not None
    assert p.cost.basis
    for comp in p.components:
        assert comp.builder in KNOWN_BUILDERS
        assert comp.alternative and comp.why, f"{pid}/{comp.builder} lacks the alternative considered"
    known = services()
    assert set(p.services) <= set(known)


def test_loader_rejects_a_pattern_with_an_unknown_builder_or_feature():
    good = load_patterns()["serverless-web"].model_dump()
    bad = dict(good, components=[dict(good["components"][0], builder="not-a-builder")])
    with pytest.raises(ValueError, match="unknown builder"):
        validate_pattern(Pattern.model_validate(bad), source="serverless-web.yaml")
    bad = dict(good, fit=[dict(good["fit"][0], feature="shoe_size")])
    with pytest.raises(ValueError, match="unknown feature"):
        validate_pattern(Pattern.model_validate(bad), source="serverless-web.yaml")
    with pytest.raises(ValueError, match="does not match the file name"):
        validate_pattern(Pattern.model_validate(good), source="other.yaml")


def test_loader_rejects_end_of_support_services():
    good = load_patterns()["iot-platform"].model_dump()
    with pytest.raises(ValueError, match="end-of-support"):
        validate_pattern(Pattern.model_validate(good), source="iot-platform.yaml", text="uses IoT Analytics")


def test_no_end_of_support_service_appears_in_any_pattern_file():
    folder = resources.files("cloudwright.patterns").joinpath("data")
    texts = {e.name: e.read_text(encoding="utf-8") for e in folder.iterdir() if e.name.endswith(".yaml")}
    assert len(texts) == len(TEN | WORKLOAD_SHAPES)
    names = [svc["name"] for svc in end_of_support().values()]
    assert {"AWS IoT Analytics", "AWS IoT Events", "Amazon Pinpoint"} <= set(names)
    for name, text in texts.items():
        assert forbidden_mentions(text) == [], name
        for n in names:
            short = n.split(" ", 1)[1]
            assert not re.search(re.escape(short), text, re.IGNORECASE), (name, n)


def test_forbidden_mentions_detects_each_end_of_support_service():
    assert forbidden_mentions("route to Amazon Pinpoint") == ["Amazon Pinpoint"]
    assert forbidden_mentions("iot-events detector") == ["AWS IoT Events"]
    assert forbidden_mentions("IoT Core rules to Data Firehose") == []


def test_summary_dict_is_json_ready():
    for p in load_patterns().values():
        json.dumps(p.summary_dict())
