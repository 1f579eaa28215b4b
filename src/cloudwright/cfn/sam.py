"""The SAM transform (``AWS::Serverless-2016-10-31``) through ``samtranslator``, the library
CloudFormation itself runs: every ``AWS::Serverless::*`` resource becomes the resources it creates
(functions, roles, permissions, APIs, stages, deployments, URLs, state machines …).

Offline and deterministic: AWS managed policy names come from the map bundled with samtranslator (no
IAM call), the region is the design's, and local code paths (``CodeUri: src/``, as ``sam build`` and
``sam package`` read them) are replaced by an S3 location named after the path — the code itself is
never read, and pricing and review do not need it.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from typing import Any

from cloudwright.errors import TemplateError

#: SAM type → properties that may name local files (packaged by ``sam package``).
_LOCAL_PATHS: dict[str, tuple[str, ...]] = {
    "AWS::Serverless::Function": ("CodeUri",),
    "AWS::Serverless::LayerVersion": ("ContentUri",),
    "AWS::Serverless::Api": ("DefinitionUri",),
    "AWS::Serverless::HttpApi": ("DefinitionUri",),
    "AWS::Serverless::StateMachine": ("DefinitionUri",),
    "AWS::Serverless::GraphQLApi": ("SchemaUri",),
    "AWS::Serverless::Application": ("Location",),
}
_PLACEHOLDER_BUCKET = "cloudwright-local-code"


def _local(value: Any) -> bool:
    return isinstance(value, str) and not value.startswith(("s3://", "https://", "http://"))


def _package_locally(template: dict[str, Any]) -> None:
    """What ``sam package`` does to local paths, without uploading: an S3 location per path."""
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return
    globals_fn = (
        ((template.get("Globals") or {}).get("Function") or {})
        if isinstance(template.get("Globals"), dict)
        else {}
    )
    if isinstance(globals_fn, dict) and _local(globals_fn.get("CodeUri")):
        globals_fn["CodeUri"] = f"s3://{_PLACEHOLDER_BUCKET}/{globals_fn['CodeUri']}"
    for body in resources.values():
        if not isinstance(body, dict):
            continue
        props = body.get("Properties")
        rtype = body.get("Type")
        if not isinstance(props, dict) or rtype not in _LOCAL_PATHS:
            continue
        for prop in _LOCAL_PATHS[str(rtype)]:
            value = props.get(prop)
            if not _local(value):
                continue
            if rtype == "AWS::Serverless::Application":
                props[prop] = f"https://{_PLACEHOLDER_BUCKET}.s3.amazonaws.com/{value}"
            elif rtype == "AWS::Serverless::GraphQLApi":
                props[prop] = f"s3://{_PLACEHOLDER_BUCKET}/{value}"
            else:
                props[prop] = f"s3://{_PLACEHOLDER_BUCKET}/{value}"
        if (
            rtype == "AWS::Serverless::Function"
            and "CodeUri" not in props
            and "InlineCode" not in props
            and props.get("PackageType") != "Image"
            and not globals_fn.get("CodeUri")
        ):
            props["CodeUri"] = f"s3://{_PLACEHOLDER_BUCKET}/."


def expand_sam(
    template: dict[str, Any],
    *,
    parameter_values: Mapping[str, str],
    region: str,
    source: str,
    raw: Any = None,
) -> dict[str, Any]:
    """The template after the SAM transform (plain dicts). Raises TemplateError with SAM's reason."""
    import boto3
    from samtranslator.model.exceptions import ExceptionWithMessage, InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    from cloudwright.cfn.reader import line_of, plain

    for name in ("samtranslator", "botocore", "boto3"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    tpl = copy.deepcopy(template)
    _package_locally(tpl)
    values: dict[str, Any] = {}
    for name, spec in (tpl.get("Parameters") or {}).items():
        if isinstance(spec, dict) and "Default" in spec:
            values[name] = spec["Default"]
    values.update(parameter_values)
    session = boto3.session.Session(region_name=region)
    translator = Translator(managed_policy_map=None, sam_parser=Parser(), boto_session=session)
    try:
        out = translator.translate(tpl, parameter_values=values)
    except InvalidDocumentException as exc:
        causes = sorted(str(c.message) for c in exc.causes) or [str(exc.message)]
        first = causes[0]
        lid = first.split("[", 1)[1].split("]", 1)[0] if first.startswith("Resource with id [") else None
        line = line_of(raw, "Resources", lid) if raw is not None and lid else None
        more = f" (and {len(causes) - 1} more)" if len(causes) > 1 else ""
        raise TemplateError(f"SAM transform: {first}{more}", path=source, line=line) from None
    except ExceptionWithMessage as exc:
        raise TemplateError(f"SAM transform: {exc.message}", path=source) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TemplateError(f"SAM transform failed: {type(exc).__name__}: {exc}", path=source) from None
    if not isinstance(out, dict):
        raise TemplateError("SAM transform gave no template", path=source)
    result: dict[str, Any] = plain(out)
    return result
