"""Shared helpers for the review tests: load a fixture template and run one check on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cloudwright.design.cfn_import import import_template
from cloudwright.design.model import Design
from cloudwright.requirements import Requirements, requirements_from_mapping

FIXTURES = Path(__file__).parent / "fixtures"
#: Fixed "today" so runtime-deprecation checks give the same answer on every day.
TODAY = date(2026, 11, 23)


@dataclass
class Fixture:
    design: Design
    requirements: Requirements | None
    expected_failures: set[str]


def load_fixture(path: Path) -> Fixture:
    design = import_template(path)
    block: dict[str, Any] = design.metadata.get("template_metadata", {}).get("cloudwright-review", {})
    req = block.get("requirements")
    return Fixture(
        design=design,
        requirements=requirements_from_mapping(req) if req is not None else None,
        expected_failures=set(block.get("expected_failures") or []),
    )


@pytest.fixture
def fixture_loader():
    return load_fixture
