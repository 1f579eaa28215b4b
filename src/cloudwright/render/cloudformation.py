"""Compatibility name for the CloudFormation writer, which lives beside the reader in
:mod:`cloudwright.cfn.writer`."""

from cloudwright.cfn.writer import (
    FORMAT_VERSION,
    PRIMARY_FILENAME,
    SUPPRESSIONS,
    TAG_PARAMETERS,
    Suppression,
    dump_yaml,
    references,
    render_template,
    render_templates,
    secondary_regions,
    stack_region,
    tag_style,
    template_dict,
    template_filename,
)

__all__ = [
    "FORMAT_VERSION",
    "PRIMARY_FILENAME",
    "SUPPRESSIONS",
    "TAG_PARAMETERS",
    "Suppression",
    "dump_yaml",
    "references",
    "render_template",
    "render_templates",
    "secondary_regions",
    "stack_region",
    "tag_style",
    "template_dict",
    "template_filename",
]
