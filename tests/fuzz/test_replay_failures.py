"""Every input a fuzz campaign ever failed on, replayed through the target that found it."""

from __future__ import annotations

from pathlib import Path

import pytest

from fuzz.harness import FAILURES
from fuzz.targets import KINDS

CASES = sorted(p for p in FAILURES.glob("*-*.*") if p.is_file())


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDWRIGHT_HOME", str(tmp_path / "cloudwright-home"))


def test_every_failure_file_names_a_known_target() -> None:
    for path in CASES:
        assert path.name.split("-", 1)[0] in KINDS, path.name


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_replay(path: Path, tmp_path: Path) -> None:
    kind = path.name.split("-", 1)[0]
    KINDS[kind](tmp_path, path.read_text(encoding="utf-8", errors="surrogatepass"), path.suffix)
