"""Requirements loading: friendly errors (field, value, allowed), seed keys, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgets import examples
from cloudwright.errors import InputError
from cloudwright.requirements import (
    FIELD_NAMES,
    Requirements,
    load_requirements,
    parse_document,
    requirements_from_mapping,
)

SEED_KEYS = {
    "application_type": "web_application",
    "expected_users": 1000,
    "requests_per_second": 10,
    "budget_monthly_usd": 500,
    "team_size": 3,
    "aws_experience": "beginner",
    "compliance": [],
    "data_size_gb": 10,
}


def test_a_file_with_only_the_seed_keys_loads_with_documented_defaults(tmp_path):
    path = tmp_path / "seed.yaml"
    path.write_text("\n".join(f"{k}: {json.dumps(v)}" for k, v in SEED_KEYS.items()), encoding="utf-8")
    req = load_requirements(path)
    assert req.expected_users == 1000 and req.region == "us-east-1"
    assert [str(e) for e in req.environments] == ["dev", "staging", "prod"]
    assert req.peak_rps == pytest.approx(30.0)
    assert req.requests_per_month == pytest.approx(10 * 730 * 3600)


def test_json_files_load_too(tmp_path):
    path = tmp_path / "req.json"
    path.write_text(json.dumps(SEED_KEYS), encoding="utf-8")
    assert load_requirements(path).team_size == 3


@pytest.mark.parametrize(
    ("data", "field", "value", "allowed"),
    [
        ({"application_type": "blog"}, "application_type", "blog", "web_application"),
        ({"expected_users": -5}, "expected_users", -5, "≥ 0"),
        ({"aws_experience": "guru"}, "aws_experience", "guru", "advanced"),
        ({"compliance": ["FEDRAMP"]}, "compliance", "FEDRAMP", "HIPAA"),
        ({"team_size": "three"}, "team_size", "three", "whole number"),
        ({"availability_target": 100.5}, "availability_target", 100.5, "≤ 99.999"),
        ({"environments": ["qa"]}, "environments", "qa", "staging"),
        ({"compute_preference": "mainframe"}, "compute_preference", "mainframe", "kubernetes"),
        ({"region": "moon-1"}, "region", "moon-1", "us-east-1"),
    ],
)
def test_bad_values_name_field_value_and_allowed(data, field, value, allowed):
    with pytest.raises(InputError) as exc:
        requirements_from_mapping(data)
    err = exc.value
    assert err.field.startswith(field)
    assert err.value == value or str(value) in str(err)
    allowed_text = err.allowed if isinstance(err.allowed, str) else ", ".join(err.allowed or [])
    assert allowed in allowed_text
    line = str(err)
    assert field in line and allowed in line


def test_unknown_keys_are_rejected_with_the_list_of_fields():
    with pytest.raises(InputError) as exc:
        requirements_from_mapping({"users": 10})
    assert exc.value.field == "users"
    assert set(FIELD_NAMES) <= set(exc.value.allowed or [])


def test_several_problems_are_reported_together():
    with pytest.raises(InputError) as exc:
        requirements_from_mapping({"expected_users": -1, "team_size": 0})
    assert len(exc.value.problems) == 2
    assert "expected_users" in str(exc.value) and "team_size" in str(exc.value)


def test_malformed_yaml_points_at_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("application_type: web_application\nexpected_users: [1, 2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.yaml:\d+:\d+: malformed YAML"):
        load_requirements(path)


def test_missing_file_and_non_mapping_documents():
    with pytest.raises(InputError, match="file not found"):
        load_requirements(Path("/nonexistent/req.yaml"))
    with pytest.raises(InputError, match="mapping"):
        requirements_from_mapping([1, 2, 3])


def test_aliases_are_normalised():
    req = requirements_from_mapping(
        {"compliance": "hipaa, pci", "environments": "production", "aws_experience": " Advanced "}
    )
    assert [str(c) for c in req.compliance] == ["HIPAA", "PCI-DSS"]
    assert [str(e) for e in req.environments] == ["prod"]
    assert str(req.aws_experience) == "advanced"


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=examples(200), deadline=None)
@given(st.dictionaries(st.sampled_from([*FIELD_NAMES, "extra", "requirements"]), JSONISH, max_size=6))
def test_arbitrary_mappings_never_crash(data):
    try:
        assert isinstance(requirements_from_mapping(data), Requirements)
    except InputError as exc:
        assert str(exc)


@settings(max_examples=examples(200), deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_crashes(text):
    try:
        requirements_from_mapping(parse_document(text))
    except InputError as exc:
        assert str(exc)
