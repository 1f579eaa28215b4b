"""Golden files for the hand-made design: review the diff when a report changes on purpose.

Regenerate with ``CLOUDWRIGHT_UPDATE_GOLDENS=1 pytest tests/render/test_golden.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cloudwright.render import render_report

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize(
    ("fmt", "name"), [("markdown", "sample.md"), ("dot", "sample.dot"), ("mermaid", "sample.mmd")]
)
def test_golden(result, fmt, name, monkeypatch):
    import cloudwright.render.diagram as diagram

    monkeypatch.setattr(diagram, "icon_root", lambda: None)  # golden DOT without the optional icon set
    text = render_report(result, fmt)
    assert isinstance(text, str)
    path = GOLDEN / name
    if os.environ.get("CLOUDWRIGHT_UPDATE_GOLDENS"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; review and regenerate"
