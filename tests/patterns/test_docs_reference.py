"""docs/requirements.md and docs/sizing.md cover every field, rule and quota."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

from cloudwright import quotas
from cloudwright.design import sizing
from cloudwright.requirements import Requirements

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_requirements_doc_lists_every_field_with_its_default():
    text = (DOCS / "requirements.md").read_text(encoding="utf-8").split("## Derived figures")[0]
    rows = {
        line.split("|")[1].strip().strip("`"): line for line in text.splitlines() if line.startswith("| `")
    }
    for name, info in Requirements.model_fields.items():
        assert name in rows, name
        default = info.default
        if isinstance(default, tuple):
            shown = "[" + ", ".join(str(x) for x in default) + "]"
        elif hasattr(default, "value"):
            shown = default.value
        else:
            shown = json.dumps(default).strip('"')
        assert f"`{shown}`" in rows[name], (name, shown)


def test_sizing_doc_covers_every_rule_and_quota():
    text = (DOCS / "sizing.md").read_text(encoding="utf-8")
    rules = [
        name
        for name, fn in inspect.getmembers(sizing, inspect.isfunction)
        if fn.__module__ == sizing.__name__ and not name.startswith("_")
        and name not in ("load_for", "design_assumptions", "quota_warning")
    ]  # fmt: skip
    for name in rules:
        assert f"`{name}`" in text, name
    for key in quotas.load_quotas():
        stem = key.rsplit("_", 1)[0]
        assert key in text or stem in text, key
