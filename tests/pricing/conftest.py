"""Pricing test fixtures.

Golden files are regenerated with
``CLOUDWRIGHT_UPDATE_GOLDENS=1 .venv/bin/pytest tests/pricing/test_golden.py`` (or
``.venv/bin/python tests/pricing/update_goldens.py``); review the diff before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never read a developer's imported or fetched prices: every test gets an empty home and cache."""
    home = tmp_path / "cloudwright-home"
    monkeypatch.setenv("CLOUDWRIGHT_HOME", str(home))
    monkeypatch.setenv("CLOUDWRIGHT_CACHE", str(tmp_path / "cloudwright-cache"))  # no fetched snapshots
    return home
