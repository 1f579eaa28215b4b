"""Read a CloudFormation template into a :class:`Design` for pricing.

Uses :func:`cloudwright.design.cfn_import.import_template` when it is available; until then (or if it
is missing) a minimal private reader handles YAML (short-form tags such as ``!Ref``, ``!GetAtt``,
``!Sub``) and JSON templates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from cloudwright.design.model import Design, Placement, Resource
from cloudwright.errors import TemplateError


def load_template(path_or_text: str | Path, region: str | None = None) -> Design:
    try:
        from cloudwright.design import cfn_import
    except ImportError:  # pragma: no cover - only before the importer exists
        return read_template(path_or_text, region=region)
    design: Design = cfn_import.import_template(path_or_text, region=region)
    if region:
        for r in design.resources:
            r.placement.region = region
    return design


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that turns CloudFormation short-form tags into long-form intrinsics."""


def _construct_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Any:
    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if tag_suffix == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


def parse_template_text(text: str, source: str = "template") -> dict[str, Any]:
    text_stripped = text.lstrip()
    try:
        doc = json.loads(text) if text_stripped.startswith("{") else yaml.load(text, Loader=_CfnLoader)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise TemplateError(f"not a valid YAML/JSON template: {exc}", path=source) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("Resources"), dict):
        raise TemplateError("a CloudFormation template needs a Resources mapping", path=source)
    return doc


def read_template(path_or_text: str | Path, region: str | None = None) -> Design:
    source = "template"
    text = str(path_or_text)
    if isinstance(path_or_text, Path) or ("\n" not in text and Path(text).exists()):
        p = Path(path_or_text)
        source = str(p)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise TemplateError(f"cannot read template: {exc}", path=source) from exc
    elif "\n" not in text and not text.lstrip().startswith("{"):
        raise TemplateError("template file not found", path=text)
    doc = parse_template_text(text, source)
    reg = region or "us-east-1"
    resources = []
    for logical_id, body in doc["Resources"].items():
        if not isinstance(body, dict) or "Type" not in body:
            raise TemplateError(f"resource {logical_id} has no Type", path=source)
        depends = body.get("DependsOn") or []
        resources.append(
            Resource(
                logical_id=str(logical_id),
                type=str(body["Type"]),
                properties=dict(body.get("Properties") or {}),
                placement=Placement(region=reg),
                depends_on=[depends] if isinstance(depends, str) else list(depends),
                condition=body.get("Condition"),
                metadata={"template_metadata": body.get("Metadata")} if body.get("Metadata") else {},
            )
        )
    return Design(
        name=Path(source).stem if source != "template" else "template",
        description=str(doc.get("Description", "")),
        region=reg,
        origin=f"template:{source}",
        resources=resources,
        parameters=dict(doc.get("Parameters") or {}),
        conditions=dict(doc.get("Conditions") or {}),
        outputs=dict(doc.get("Outputs") or {}),
        mappings=dict(doc.get("Mappings") or {}),
    )
