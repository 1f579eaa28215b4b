"""libyaml and the pure-Python loader give identical data (and template line numbers) on every YAML file
the project ships or tests with, and malformed input keeps the pure-Python loader's messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cloudwright import yamlfast
from cloudwright.design import cfn_import

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(
    p
    for base in ("src/cloudwright", "examples", "tests")
    for p in (ROOT / base).rglob("*.y*ml")
    if p.suffix in (".yaml", ".yml")
)


def test_libyaml_is_used() -> None:
    assert yamlfast.FastSafeLoader is yaml.CSafeLoader


def test_the_corpus_is_large() -> None:
    assert len(FILES) > 150


def _lines(node: object) -> object:
    """Data with the line numbers the template loader records."""
    if isinstance(node, dict):
        extra = (getattr(node, "line", None), dict(getattr(node, "lines", {})))
        return (extra, {k: _lines(v) for k, v in node.items()})
    if isinstance(node, list):
        return [_lines(v) for v in node]
    return (type(node).__name__, node)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_both_loaders_read_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        slow = yaml.safe_load(text)
    except yaml.YAMLError:
        slow = "error"
    try:
        fast = yaml.load(text, Loader=yamlfast.FastSafeLoader)
    except yaml.YAMLError:
        fast = "error"
    assert _lines(fast) == _lines(slow)
    try:
        slow_t = yaml.load(text, Loader=cfn_import._loader(str(path), fast=False))
    except Exception as exc:  # any failure: both loaders must fail alike
        slow_t = f"{type(exc).__name__}: {exc}"
    try:
        fast_t = yaml.load(text, Loader=cfn_import._loader(str(path)))
    except Exception as exc:
        fast_t = f"{type(exc).__name__}: {exc}"
    if isinstance(slow_t, str) and isinstance(fast_t, str):
        return  # not a template either way
    assert _lines(fast_t) == _lines(slow_t)


@pytest.mark.parametrize(
    "text", ["a: [1, 2\nb: 3\n", "key: value\n  bad: indent\n", "- a\nb: c\n", "a: 'unterminated\n"]
)
def test_malformed_yaml_keeps_the_pure_python_message(text: str) -> None:
    from cloudwright.errors import InputError, TemplateError
    from cloudwright.requirements import parse_document

    with pytest.raises(yaml.YAMLError) as slow:
        yaml.safe_load(text)
    with pytest.raises(yaml.YAMLError) as fast:
        yamlfast.safe_load(text)
    assert str(fast.value) == str(slow.value)
    with pytest.raises(InputError) as err:
        parse_document(text, source="x.yaml")
    mark = slow.value.problem_mark  # type: ignore[attr-defined]
    assert f"x.yaml:{mark.line + 1}:{mark.column + 1}" in str(err.value)
    with pytest.raises(TemplateError) as terr:  # templates are decoded by cfn-lint's (libyaml) decoder
        cfn_import.parse_template(text, source="x.yaml")
    assert str(terr.value).startswith(f"x.yaml:{mark.line + 1}: invalid YAML: ")
