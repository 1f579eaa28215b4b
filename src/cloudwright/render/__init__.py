"""Renderers: functions ``(DesignResult) -> str | bytes`` in one :data:`RENDERERS` table.

The CLI's ``--format``, the web UI's downloads and the API's ``?format=`` all index the same table.
Heavy libraries (Jinja2, Graphviz) are imported inside the renderers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cloudwright.errors import InputError


def _markdown(result: Any) -> str:
    from cloudwright.render.report_markdown import render_markdown

    return render_markdown(result)


def _html(result: Any) -> str:
    from cloudwright.render.report_html import render_html

    return render_html(result)


def _json(result: Any) -> str:
    from cloudwright.render.report_json import render_json

    return render_json(result)


def _dot(result: Any) -> str:
    from cloudwright.render.diagram import render_dot

    return render_dot(result)


def _mermaid(result: Any) -> str:
    from cloudwright.render.mermaid import render_mermaid

    return render_mermaid(result)


def _svg(result: Any) -> bytes:
    from cloudwright.render.diagram import DiagramUnavailable, render_svg

    out = render_svg(result)
    if out is None:
        raise DiagramUnavailable("Graphviz 'dot' is not installed")
    return out


#: Format name → renderer.
RENDERERS: dict[str, Callable[[Any], str | bytes]] = {
    "markdown": _markdown,
    "html": _html,
    "json": _json,
    "dot": _dot,
    "mermaid": _mermaid,
    "svg": _svg,
}


def render_report(result: Any, fmt: str) -> str | bytes:
    """Render ``result`` in ``fmt`` (``markdown``, ``html``, ``json``, ``dot``, ``mermaid``, ``svg``)."""
    aliases = {"md": "markdown", "mmd": "mermaid"}
    name = aliases.get(fmt, fmt)
    renderer = RENDERERS.get(name)
    if renderer is None:
        raise InputError("unknown format", field="format", value=fmt, allowed=sorted(RENDERERS))
    return renderer(result)


#: Every file ``write_outputs`` may write; a later run removes the ones it no longer writes.
OUTPUT_FILES = (
    "report.md",
    "report.html",
    "design.json",
    "diagram.dot",
    "diagram.mmd",
    "diagram.svg",
    "diagram.png",
    "template.yaml",
)


def write_outputs(result: Any, out_dir: str | Path) -> tuple[list[Path], list[str]]:
    """Write the report set to ``out_dir``: report.md, report.html, design.json, diagram.{dot,mmd,svg,png}
    and template.yaml (plus template.<region>.yaml per other Region). Returns the files written and notes
    about anything skipped.

    Everything is rendered first, then written as one atomic step (:func:`cloudwright.outputs.write_set`):
    an interrupted or concurrent run never leaves a mix of old and new files.
    """
    from cloudwright.cfn.writer import render_templates
    from cloudwright.outputs import write_set
    from cloudwright.render.diagram import dot_available, render_png, render_svg

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError("output path exists and is not a directory", field="--output", value=str(out))
    files: dict[str, str | bytes] = {}
    notes: list[str] = []
    files["report.md"] = _markdown(result)
    files["report.html"] = _html(result)
    files["design.json"] = _json(result)
    files["diagram.dot"] = _dot(result)
    files["diagram.mmd"] = _mermaid(result)
    if dot_available():
        svg = render_svg(result)
        png = render_png(result)
        if svg is not None:
            files["diagram.svg"] = svg
        if png is not None:
            files["diagram.png"] = png
    else:
        notes.append(
            "Graphviz 'dot' not found: diagram.svg and diagram.png skipped "
            "(diagram.dot and diagram.mmd written)"
        )
    # template.yaml for the primary Region and template.<region>.yaml for every other one; a Region an
    # earlier run wrote a template for and this one does not use is removed
    files.update(render_templates(result.design_obj))
    earlier = tuple(p.name for p in out.glob("template.*.yaml")) if out.is_dir() else ()
    written = write_set(out, files, owned=OUTPUT_FILES + earlier)
    return written, notes
