"""Rendering data of the type catalogue: the AWS icon of each CloudFormation type (``render/icons.yaml``)
and the colour of each category (:data:`cloudwright.design.types.CATEGORIES`)."""

from __future__ import annotations

from functools import cache
from importlib import resources as importlib_resources
from types import MappingProxyType

CATEGORY_COLOURS = {
    "analytics": "#8C4FFF",
    "api": "#E7157B",
    "compute": "#ED7100",
    "containers": "#ED7100",
    "database": "#C925D1",
    "edge": "#8C4FFF",
    "identity": "#DD344C",
    "integration": "#E7157B",
    "iot": "#01A88D",
    "management": "#E7157B",
    "network": "#8C4FFF",
    "security": "#DD344C",
    "storage": "#7AA116",
    "other": "#5A6B86",
}


@cache
def load_icons() -> MappingProxyType[str, str]:
    """CloudFormation type → icon path inside the icon set, from ``render/icons.yaml``."""
    from cloudwright import yamlfast

    text = importlib_resources.files("cloudwright.render").joinpath("icons.yaml").read_text(encoding="utf-8")
    data = yamlfast.safe_load(text) or {}
    out: dict[str, str] = {}
    for cfn_type, icon in sorted((data.get("icons") or {}).items()):
        if not isinstance(icon, str):
            raise ValueError(f"icons.yaml: {cfn_type}: the icon must be a path, not {icon!r}")
        out[cfn_type] = icon
    return MappingProxyType(out)


def icon_of(cfn_type: str) -> str:
    """The icon path of a type ("" when the catalogue has none: the node is drawn as a coloured box)."""
    return load_icons().get(cfn_type, "")
