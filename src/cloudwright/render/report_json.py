"""JSON report: the canonical result's serialisation (the contract in docs/json-schema.md)."""

from __future__ import annotations

import json

from cloudwright.result import DesignResult


def render_json(result: DesignResult) -> str:
    return json.dumps(result.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
