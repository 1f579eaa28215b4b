"""Fuzzing every input path through the CLI: exit 0 or 2, never a traceback; successes keep invariants.

``make test`` runs a fixed, derandomised budget per target; ``make fuzz`` runs a long campaign that stores
any failing input under tests/fuzz/failures/ (replayed by test_replay_failures.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzz.harness import budget, record
from fuzz.strategies import offer_documents, requirement_documents, template_documents
from fuzz.targets import KINDS


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDWRIGHT_HOME", str(tmp_path / "cloudwright-home"))


def _run(kind: str, text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory(prefix="cw-fuzz-") as tmp:
        try:
            KINDS[kind](Path(tmp), text, suffix)
        except BaseException:
            record(kind, text, suffix)
            raise


@budget(80, "requirements")
@given(requirement_documents())
def test_requirement_documents(doc: tuple[str, str]) -> None:
    _run("requirements", *doc)


@budget(30, "templates")
@given(template_documents(), st.sampled_from(["template_estimate", "template_review", "template_import"]))
def test_template_mutations(doc: tuple[str, str], kind: str) -> None:
    _run(kind, *doc)


@budget(200, "offers")
@given(offer_documents())
def test_offer_files(doc: tuple[str, str]) -> None:
    _run("offer", *doc)
