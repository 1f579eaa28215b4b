"""How each CloudFormation resource type takes tags, from a generated data file (no cfn-lint import).

``data/tag_styles.json`` is generated from the CloudFormation resource schemas bundled with cfn-lint
(us-east-1) by :func:`from_schemas`; a test regenerates it and compares, so a cfn-lint upgrade that
changes a type's tagging shows up as a failing test and a one-line regeneration:

    .venv/bin/python -m cloudwright.tagstyles > src/cloudwright/data/tag_styles.json
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

#: ``"list"`` (``[{Key, Value}]``), ``"list-propagate"`` (Auto Scaling, ``PropagateAtLaunch``) or ``"map"``.
STYLES = ("list", "list-propagate", "map")


@cache
def tag_styles() -> dict[str, str]:
    """Resource type → tag style, for every type that takes tags."""
    text = resources.files("cloudwright").joinpath("data/tag_styles.json").read_text("utf-8")
    styles: dict[str, str] = json.loads(text)["styles"]
    return styles


def tag_style(resource_type: str) -> str | None:
    """How ``resource_type`` takes tags (one of :data:`STYLES`), or None when it takes none."""
    return tag_styles().get(resource_type)


def schema_tag_style(schema: dict[str, Any]) -> str | None:
    """The tag style a CloudFormation resource schema declares for its ``Tags`` property."""
    prop = schema.get("properties", {}).get("Tags")
    if prop is None:
        return None

    def resolve(node: Any) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 10:
            node = schema.get("definitions", {}).get(str(node["$ref"]).rsplit("/", 1)[-1], {})
            seen += 1
        return node

    prop = resolve(prop)
    kind = prop.get("type")
    if kind == "array":
        item = resolve(prop.get("items", {}))
        fields = set(item.get("properties", {}))
        required = set(item.get("required", []))
        if {"Key", "Value"} <= fields:
            if "PropagateAtLaunch" in required:
                return "list-propagate"
            if required <= {"Key", "Value"}:
                return "list"
        return None
    if kind == "object" or (isinstance(kind, list) and "object" in kind):
        return "map"
    return None


def from_schemas(region: str = "us-east-1") -> dict[str, Any]:
    """The data file's content, computed from cfn-lint's bundled schemas (imports cfn-lint)."""
    from importlib.metadata import version

    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    styles: dict[str, str] = {}
    for rtype in sorted(PROVIDER_SCHEMA_MANAGER.get_resource_types(region)):
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, rtype).schema
        style = schema_tag_style(schema)
        if style is not None:
            styles[rtype] = style
    return {
        "source": f"CloudFormation resource schemas bundled with cfn-lint {version('cfn-lint')} ({region})",
        "styles": styles,
    }


if __name__ == "__main__":
    import sys

    json.dump(from_schemas(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
