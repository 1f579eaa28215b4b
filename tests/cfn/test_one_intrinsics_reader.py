"""Only :mod:`cloudwright.cfn` reads intrinsic functions.

Every other module may *write* them (``{"Ref": x}`` as a dict key, in the builders) but must ask
:mod:`cloudwright.cfn.intrinsics` to read them: no comparing keys with ``"Ref"`` / ``"Fn::…"``, no
``value["Fn::GetAtt"]``, no ``.get("Ref")``, no ``"Fn::Sub" in value``, no ``startswith("Fn::")`` and no
regular expression over ``${…}`` substitutions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "cloudwright"
READER = SRC / "cfn"


def _intrinsic_name(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and (node.value == "Ref" or node.value.startswith("Fn::"))
    )


def parsing_sites(tree: ast.AST) -> list[tuple[int, str]]:
    """Lines where an intrinsic's name is used to read a value rather than to build one."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for op in operands:
                names = [op] if _intrinsic_name(op) else []
                if isinstance(op, ast.Tuple | ast.List | ast.Set):
                    names = [e for e in op.elts if _intrinsic_name(e)]
                for n in names:
                    found.append((node.lineno, f"compares with {n.value!r}"))  # type: ignore[attr-defined]
        elif isinstance(node, ast.Subscript) and _intrinsic_name(node.slice):
            found.append((node.lineno, f"subscript [{node.slice.value!r}]"))  # type: ignore[attr-defined]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("get", "pop", "startswith", "setdefault") and any(
                _intrinsic_name(a) for a in node.args
            ):
                found.append((node.lineno, f".{node.func.attr}() with an intrinsic name"))
            if node.func.attr in ("compile", "search", "match", "findall", "finditer", "sub") and any(
                isinstance(a, ast.Constant) and isinstance(a.value, str) and r"\$\{" in a.value
                for a in node.args
            ):
                found.append((node.lineno, "regular expression over ${…} substitutions"))
    return sorted(found)


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if READER not in p.parents)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_outside_the_reader_parses_intrinsics(path: Path):
    sites = parsing_sites(ast.parse(path.read_text(encoding="utf-8")))
    assert sites == [], f"{path.relative_to(SRC)} reads intrinsics itself: {sites}"


def test_the_detector_finds_each_way_of_reading_an_intrinsic():
    code = (
        'if key == "Ref": pass\n'
        'x = value["Fn::GetAtt"]\n'
        'y = value.get("Ref")\n'
        'z = "Fn::Sub" in value\n'
        'w = key.startswith("Fn::")\n'
        'v = key in ("Ref", "Fn::GetAtt")\n'
        'import re; re.findall(r"\\$\\{([A-Za-z]+)\\}", t)\n'
        'ok = {"Ref": "Building", "Fn::Sub": "is fine"}\n'
    )
    lines = sorted({line for line, _ in parsing_sites(ast.parse(code))})
    assert lines == [1, 2, 3, 4, 5, 6, 7]
