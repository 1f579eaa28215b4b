"""Component builders stay readable: no function in a component module grows past 80 lines
(split it into named helpers, or hold its CloudFormation fragment as data)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

COMPONENTS = Path(__file__).parents[2] / "src" / "cloudwright" / "design" / "components"
MAX_LINES = 80

#: Every component module is held to the limit.
MODULES = tuple(sorted(p.name for p in COMPONENTS.glob("*.py")))


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > MAX_LINES:
                out.append(f"{path.name}:{node.lineno} {node.name} ({lines} lines)")
    return out


@pytest.mark.parametrize("module", MODULES)
def test_no_function_over_the_limit(module: str) -> None:
    assert not _long_functions(COMPONENTS / module)


def test_the_check_sees_a_long_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    long = tmp_path / "long.py"
    long.write_text(f"def builder():\n{body}\n", encoding="utf-8")
    assert _long_functions(long) == [f"long.py:1 builder ({MAX_LINES + 1} lines)"]
    short = tmp_path / "short.py"
    short.write_text("def builder():\n    return 1\n", encoding="utf-8")
    assert _long_functions(short) == []


def test_every_component_module_is_checked() -> None:
    assert {"graphql.py", "iot.py", "lambdas.py", "media.py", "workflows.py", "network.py"} <= set(MODULES)
