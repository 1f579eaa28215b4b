"""Review a file: a requirements file (review the recommended design) or any CloudFormation template."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from cloudwright.errors import InputError
from cloudwright.review.model import Review
from cloudwright.units import ENVIRONMENTS


def review_file(
    path: str | Path,
    *,
    compliance: Sequence[str] = (),
    environment: str | None = None,
    external: bool = False,
    pattern_id: str | None = None,
    as_of: date | None = None,
    parameters: Mapping[str, str] | None = None,
) -> Review:
    """Load ``path``; requirements → build the recommended design; template → import it; then review."""
    from cloudwright.inputs import read_input
    from cloudwright.requirements import looks_like_requirements, requirements_from_mapping
    from cloudwright.review.engine import review_design

    p = Path(path)
    text = read_input(p, what="template", field="file")
    if environment is not None and environment not in ENVIRONMENTS:
        raise InputError("unknown environment", field="env", value=environment, allowed=ENVIRONMENTS)
    data = _parse_quietly(text, str(p))
    if looks_like_requirements(data):
        from cloudwright.design.build import build_design

        if parameters:
            raise InputError(
                "template parameters apply to CloudFormation templates, not to a requirements file",
                field="--param",
                value=next(iter(parameters)),
            )
        req = requirements_from_mapping(data)
        design = build_design(req, pattern_id=pattern_id, environment=environment or "prod")
        return review_design(design, req, compliance=compliance, external=external, today=as_of)
    from cloudwright.design.cfn_import import import_template

    design = import_template(p, parameters=parameters)
    if environment is not None:
        design.environment = environment
    return review_design(design, None, compliance=compliance, external=external, today=as_of)


def _parse_quietly(text: str, source: str) -> object:
    """Parse as plain YAML/JSON; CloudFormation short-form tags (``!Ref``) mean "a template"."""
    from cloudwright.requirements import parse_document

    try:
        return parse_document(text, source=source)
    except InputError:
        return None
