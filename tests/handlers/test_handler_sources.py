"""Every shipped handler is small enough to inline and imports only the standard library and boto3."""

from __future__ import annotations

import ast
import sys

import pytest

from cloudwright.design.handlers import HANDLERS, MAX_INLINE_BYTES, load_handler


@pytest.mark.parametrize("name", sorted(HANDLERS))
def test_handler_is_inlinable_and_dependency_free(name: str) -> None:
    text = load_handler(name)
    assert len(text.encode("utf-8")) <= MAX_INLINE_BYTES
    tree = ast.parse(text)
    handlers = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "handler"]
    assert handlers and [a.arg for a in handlers[0].args.args] == ["event", "context"]
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    assert roots <= set(sys.stdlib_module_names) | {"boto3", "botocore"}


def test_unknown_handler_is_an_error() -> None:
    with pytest.raises(KeyError):
        load_handler("nope")
