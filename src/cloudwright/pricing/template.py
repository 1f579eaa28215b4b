"""Read a CloudFormation template into a :class:`Design` for pricing (through the one template importer)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from cloudwright.design.model import Design


def load_template(
    path_or_text: str | Path, region: str | None = None, parameters: Mapping[str, str] | None = None
) -> Design:
    """Import a template; with ``region`` every resource is priced in that region; ``parameters``
    override parameter defaults (``--param``)."""
    from cloudwright.design import cfn_import

    design: Design = cfn_import.import_template(path_or_text, region=region, parameters=parameters)
    if region:
        for r in design.resources:
            r.placement.region = region
    return design
