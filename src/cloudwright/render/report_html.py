"""Self-contained HTML report (inline CSS, the SVG diagram inlined) rendered with Jinja2."""

from __future__ import annotations

import html
import re

from cloudwright.render.sections import build_sections, review_sections
from cloudwright.result import DesignResult

_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def inline(text: str) -> str:
    """Escape text and turn `code` and **bold** into HTML."""
    out = html.escape(str(text), quote=False)
    out = _CODE.sub(r"<code>\1</code>", out)
    return _BOLD.sub(r"<strong>\1</strong>", out)


def render_html(result: DesignResult) -> str:
    import jinja2

    from cloudwright.render.diagram import render_svg
    from cloudwright.render.mermaid import render_mermaid

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cloudwright.render", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = lambda t: jinja2.utils.markupsafe.Markup(inline(t))
    svg = render_svg(result)
    svg_text = None
    if svg is not None:
        text = svg.decode("utf-8")
        svg_text = jinja2.utils.markupsafe.Markup(text[text.index("<svg") :])
    template = env.get_template("report.html.j2")
    return template.render(
        r=result,
        sections=build_sections(result, review_sections=review_sections(result)),
        svg=svg_text,
        mermaid=render_mermaid(result),
    )
