"""Mermaid flowchart text of the design (same clusters and costs as the Graphviz diagram)."""

from __future__ import annotations

import re

from cloudwright.design.types import type_info
from cloudwright.render.diagram import cost_label, drawn
from cloudwright.result import DesignResult, ResourceView


def _id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _text(text: str) -> str:
    return text.replace('"', "#quot;")


def _node(r: ResourceView, indent: str) -> str:
    info = type_info(r.type)
    return (
        f'{indent}{_id(r.logical_id)}["{_text(r.label)}<br/>{_text(info.label)}<br/>{_text(cost_label(r))}"]'
    )


def render_mermaid(result: DesignResult) -> str:
    nodes = drawn(result)
    ids = {r.logical_id for r in nodes}
    lines = ["flowchart LR"]
    glob = [r for r in nodes if r.placement.tier in ("global", "edge")]
    if glob:
        lines.append('  subgraph global["Global / edge"]')
        lines += [_node(r, "    ") for r in glob]
        lines.append("  end")
    rest = [r for r in nodes if r.placement.tier not in ("global", "edge")]
    for region in sorted({str(r.placement.region) for r in rest}):
        in_region = [r for r in rest if r.placement.region == region]
        lines.append(f'  subgraph region_{_id(region)}["Region {region}"]')
        lines += [_node(r, "    ") for r in in_region if not r.placement.vpc]
        for vpc in sorted({str(r.placement.vpc) for r in in_region if r.placement.vpc}):
            lines.append(f'    subgraph vpc_{_id(region)}_{_id(vpc)}["VPC {vpc}"]')
            groups: dict[tuple[str, str], list[ResourceView]] = {}
            for r in in_region:
                if r.placement.vpc != vpc:
                    continue
                azs = list(r.placement.azs)
                where = azs[0] if len(azs) == 1 else "across AZs"
                groups.setdefault((where, str(r.placement.tier or "private")), []).append(r)
            for (where, tier), members in sorted(groups.items()):
                lines.append(f'      subgraph g_{_id(vpc)}_{_id(where)}_{_id(tier)}["{where} · {tier}"]')
                lines += [_node(r, "        ") for r in members]
                lines.append("      end")
            lines.append("    end")
        lines.append("  end")
    arrows = {"event": "-.->", "network": "-.-", "reference": "-.-"}
    for e in sorted(result.edges, key=lambda e: (e.source, e.target, e.kind, e.label)):
        if e.source in ids and e.target in ids:
            arrow = arrows.get(e.kind, "-->")
            label = f"|{_text(e.label)}|" if e.label else ""
            lines.append(f"  {_id(e.source)} {arrow}{label} {_id(e.target)}")
    return "\n".join(lines) + "\n"
