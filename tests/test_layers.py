"""The layer contract ([tool.importlinter] in pyproject.toml): it places every module of the package, and
it fails on an upward import (checked on a copy of the source with one planted)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "cloudwright"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return [[m.strip() for m in re.split(r"[|:]", layer)] for layer in contract["layers"]]


def _submodules(package: Path) -> set[str]:
    """Direct submodules of a package folder (``pkg.mod`` for ``mod.py`` and ``pkg/``)."""
    prefix = ".".join(package.relative_to(PACKAGE.parent).parts)
    out = {f"{prefix}.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__"}
    out |= {f"{prefix}.{p.name}" for p in package.iterdir() if (p / "__init__.py").is_file()}
    return out


def test_every_module_is_placed_once():
    placed = [m for layer in _layers() for m in layer]
    assert len(placed) == len(set(placed)), sorted(m for m in placed if placed.count(m) > 1)
    missing = []
    for module in sorted(_submodules(PACKAGE)):
        if module in placed:
            continue
        # a package placed module by module (it straddles a layer): every one of its modules is placed
        folder = PACKAGE.parent.joinpath(*module.split("."))
        if (
            folder.is_dir()
            and _submodules(folder) <= set(placed)
            and any(p.startswith(module + ".") for p in placed)
        ):
            continue
        missing.append(module)
    assert not missing, f"not in the layer contract of pyproject.toml: {missing}"


def _lint(src: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(src))
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not LINT_IMPORTS.is_file():
        pytest.skip("import-linter is not installed (pip install -e '.[dev]')")
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(PACKAGE, src / "cloudwright", ignore=shutil.ignore_patterns("__pycache__", "data"))
    return src


def test_the_source_keeps_the_contract(source_copy: Path):
    result = _lint(source_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "upward"),
    [
        # a lazy import inside a function counts as much as one at the top
        ("design/build.py", "def _planted():\n    from cloudwright.render import render_report\n"),
        ("cfn/reader.py", "from cloudwright.cfn.writer import render_template\n"),
        ("errors.py", "import cloudwright.units\n"),
    ],
)
def test_an_upward_import_breaks_the_contract(source_copy: Path, tmp_path: Path, module: str, upward: str):
    src = tmp_path / "src"
    shutil.copytree(source_copy, src)
    target = src / "cloudwright" / module
    target.write_text(target.read_text(encoding="utf-8") + "\n\n" + upward, encoding="utf-8")
    result = _lint(src)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    assert module.removesuffix(".py").replace("/", ".") in result.stdout
