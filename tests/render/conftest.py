"""Fixtures for the report and diagram tests (the hand-made design lives in render_samples.py)."""

from __future__ import annotations

import pytest
from render_samples import sample_design, sample_estimate, sample_pattern, sample_recommendation

from cloudwright.requirements import requirements_from_mapping


@pytest.fixture
def result():
    from cloudwright.pipeline import assemble

    req = requirements_from_mapping({"name": "shop", "budget_monthly_usd": 50, "expected_users": 20000})
    return assemble(
        req,
        sample_design(),
        sample_estimate(),
        pattern=sample_pattern(),
        recommendation=sample_recommendation(),
    )
