"""docs/patterns.md is generated from the YAML catalogue and must not drift."""

from __future__ import annotations

from pathlib import Path

from cloudwright.patterns.docs import render_patterns_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_patterns_doc_matches_the_catalogue():
    doc = ROOT / "docs" / "patterns.md"
    expected = render_patterns_markdown()
    assert doc.read_text(encoding="utf-8") == expected, (
        "docs/patterns.md is stale: run `python -m cloudwright.patterns.docs > docs/patterns.md`"
    )
