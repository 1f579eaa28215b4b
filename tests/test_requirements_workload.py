"""The workload-shape and residency fields: defaults, normalisation and clear errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budgets import examples
from cloudwright import regions
from cloudwright.errors import InputError
from cloudwright.requirements import (
    Accelerator,
    Interaction,
    Media,
    requirements_from_mapping,
)


def test_defaults_describe_a_plain_request_response_workload():
    req = requirements_from_mapping({})
    assert req.interaction is Interaction.REQUEST_RESPONSE
    assert req.accelerator is Accelerator.NONE and req.media is Media.NONE
    assert req.batch is None and req.concurrent_connections is None
    assert req.signed_in_share_percent == 100 and req.signed_in_users == req.expected_users
    assert req.allowed_regions == () and "us-east-1" in req.allowed_region_codes


def test_anonymous_share_reduces_identity_users():
    req = requirements_from_mapping({"expected_users": 200_000, "signed_in_share_percent": 2.5})
    assert req.signed_in_users == 5_000


def test_batch_block_is_required_for_batch_and_refused_otherwise():
    req = requirements_from_mapping(
        {"interaction": "batch", "batch": {"runs_per_day": 1, "input_gb_per_run": 2000, "window_hours": 6}}
    )
    assert req.batch is not None and req.batch.input_gb_per_run == 2000
    with pytest.raises(InputError, match=r"^batch: a batch workload needs"):
        requirements_from_mapping({"interaction": "batch"})
    with pytest.raises(InputError, match=r"^batch: only used when interaction is batch"):
        requirements_from_mapping({"batch": {"runs_per_day": 2}})
    with pytest.raises(InputError, match=r"batch\.window_hours"):
        requirements_from_mapping({"interaction": "batch", "batch": {"window_hours": 30}})


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"interaction": "carrier-pigeon"}, "interaction"),
        ({"accelerator": "tpu"}, "accelerator"),
        ({"media": "radio"}, "media"),
        ({"signed_in_share_percent": 101}, "signed_in_share_percent"),
        ({"concurrent_connections": -1}, "concurrent_connections"),
        ({"allowed_regions": ["mars"]}, "allowed_regions"),
        ({"region": "zz-fake-9"}, "region"),
    ],
)
def test_bad_workload_values_name_the_field(data, field):
    with pytest.raises(InputError) as info:
        requirements_from_mapping(data)
    assert str(info.value).startswith(f"{field}")


def test_allowed_regions_groups_expand_and_choose_the_primary():
    req = requirements_from_mapping({"allowed_regions": "EU"})
    assert req.allowed_regions == ("eu",)
    assert req.region == "eu-west-1"
    assert set(req.allowed_region_codes) == set(regions.members("eu"))
    assert all(code.startswith("eu-") for code in req.allowed_region_codes)
    req = requirements_from_mapping({"allowed_regions": ["eu-central-1", "eu-west-1"]})
    assert req.region == "eu-central-1"


def test_primary_region_outside_allowed_regions_is_refused():
    with pytest.raises(InputError, match=r"^region: us-east-1 is outside allowed_regions \(eu\)"):
        requirements_from_mapping({"allowed_regions": ["eu"], "region": "us-east-1"})


def test_every_region_belongs_to_exactly_one_known_group():
    for region in regions.REGIONS:
        assert region.group in regions.GROUPS
        assert region.code in regions.members(region.group)
    for group, default in regions.GROUP_DEFAULT.items():
        assert regions.group_of(default) == group


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(st.sampled_from([*regions.BY_CODE, *regions.GROUPS]), min_size=1, max_size=4))
def test_any_allowed_regions_list_gives_a_primary_inside_it(entries):
    req = requirements_from_mapping({"allowed_regions": entries})
    assert regions.allows(req.allowed_regions, req.region)
