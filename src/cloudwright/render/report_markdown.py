"""Markdown report: the same sections as HTML and the terminal, from one :class:`DesignResult`."""

from __future__ import annotations

from cloudwright.render.sections import Block, build_sections, review_sections
from cloudwright.result import DesignResult


def render_markdown(result: DesignResult) -> str:
    from cloudwright.render.mermaid import render_mermaid

    lines = [f"# {result.name}: {result.pattern.name} ({result.environment})", ""]
    for section in build_sections(result, review_sections=review_sections(result)):
        lines += [f"## {section.title}", ""]
        for block in section.blocks:
            if block.kind == "diagram":
                lines += ["```mermaid", render_mermaid(result).rstrip("\n"), "```", ""]
                lines += [
                    "The Graphviz drawing with AWS icons and costs is `diagram.svg` beside this report.",
                    "",
                ]
                continue
            lines += _block(block)
    text = "\n".join(lines).rstrip("\n") + "\n"
    return text


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _block(b: Block) -> list[str]:
    out: list[str] = []
    if b.title:
        out += [f"### {b.title}", ""]
    if b.kind in ("p",):
        out += [b.text, ""]
    elif b.kind == "note":
        out += [f"> {b.text}", ""]
    elif b.kind == "list":
        out += [f"- {item}" for item in b.items] + [""]
    elif b.kind == "checklist":
        out += [f"- [ ] {item}" for item in b.items] + [""]
    elif b.kind == "table":
        headers = b.headers if any(b.headers) else ["Item", "Value"]
        out.append("| " + " | ".join(_cell(h) for h in headers) + " |")
        out.append("|" + "|".join("---" for _ in headers) + "|")
        for row in b.rows:
            out.append("| " + " | ".join(_cell(c) for c in row) + " |")
        out.append("")
    elif b.kind == "raw":
        out += [b.markdown.rstrip("\n"), ""]
    return out
