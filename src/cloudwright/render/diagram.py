"""The architecture diagram, drawn from the design graph.

We emit DOT ourselves, in sorted order, with clusters Region ▸ VPC ▸ AZ ▸ subnet tier taken from each
resource's ``placement``; every node shows its monthly cost from the estimate. Graphviz's ``dot``
turns it into SVG/PNG. When the AWS icon set of the ``diagrams`` package is installed, nodes carry AWS
icons, inlined into the SVG as data URIs so the file is self-contained; otherwise nodes are boxes
coloured by category. Supporting resources (``diagram: false`` in the type catalogue) are not drawn.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

from cloudwright.design.types import type_info
from cloudwright.render.icons import CATEGORY_COLOURS, icon_of
from cloudwright.result import DesignResult, ResourceView
from cloudwright.units import usd

_TIER_ORDER = {"public": 0, "private": 1, "data": 2, "regional": 3, "edge": 4, "global": 5}
FONT = "Helvetica"


class DiagramUnavailable(Exception):
    """Graphviz is not installed (SVG/PNG cannot be drawn; DOT and Mermaid still can)."""


@cache
def icon_root() -> Path | None:
    """Folder of the AWS icon set shipped by the ``diagrams`` package, if installed (not imported)."""
    import importlib.util

    spec = importlib.util.find_spec("diagrams")
    if spec is None or not spec.origin:
        return None
    root = Path(spec.origin).resolve().parent.parent / "resources"
    return root if (root / "aws").is_dir() else None


def dot_available() -> bool:
    return shutil.which("dot") is not None


def drawn(result: DesignResult) -> list[ResourceView]:
    return [r for r in result.resources if type_info(r.type).diagram]


def cost_label(r: ResourceView) -> str:
    if r.monthly_usd is None:
        return "not priced"
    if r.monthly_usd == 0:
        return {"free": "free", "usage-only": "usage-based"}.get(r.cost_status, f"{usd(0)}/mo")
    return f"{usd(r.monthly_usd)}/mo"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _cid(*parts: str) -> str:
    return "cluster_" + "_".join(re.sub(r"[^A-Za-z0-9]", "_", p) for p in parts)


def _node(r: ResourceView, icons: Path | None, indent: str) -> str:
    info, icon = type_info(r.type), icon_of(r.type)
    colour = CATEGORY_COLOURS.get(info.category, CATEGORY_COLOURS["other"])
    name, service, cost = _html(r.label), _html(info.label), _html(cost_label(r))
    if icons is not None and icon and (icons / icon).is_file():
        label = (
            '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            f'<TR><TD FIXEDSIZE="TRUE" WIDTH="44" HEIGHT="44"><IMG SRC="{icon}" SCALE="TRUE"/></TD></TR>'
            f"<TR><TD>{name}</TD></TR>"
            f'<TR><TD><FONT POINT-SIZE="8" COLOR="#545b64">{service}</FONT></TD></TR>'
            f'<TR><TD><FONT POINT-SIZE="9" COLOR="#1d8102">{cost}</FONT></TD></TR></TABLE>>'
        )
        return f"{indent}{_q(r.logical_id)} [shape=plain, label={label}];"
    label = (
        f'<<B>{name}</B><BR/><FONT POINT-SIZE="8">{service}</FONT><BR/><FONT POINT-SIZE="9">{cost}</FONT>>'
    )
    return (
        f'{indent}{_q(r.logical_id)} [shape=box, style="rounded,filled", color="{colour}", '
        f'fillcolor="{colour}22", label={label}];'
    )


def render_dot(result: DesignResult, *, icons: Path | bool | None = True) -> str:
    """DOT text for the design, deterministic (nodes and clusters sorted)."""
    root = icon_root() if icons is True else (icons or None)
    nodes = drawn(result)
    ids = {r.logical_id for r in nodes}
    title = (
        f"{result.name} — {result.pattern.name} ({result.environment}) · "
        f"{usd(result.estimate.monthly_usd)}/month"
    )
    lines = [
        "digraph cloudwright {",
        f"  graph [rankdir=LR, fontname={_q(FONT)}, fontsize=13, labelloc=t, label={_q(title)}, "
        'nodesep=0.35, ranksep=0.8, pad=0.3, newrank=true, compound=true, bgcolor="white"];',
        f"  node [fontname={_q(FONT)}, fontsize=10];",
        f'  edge [fontname={_q(FONT)}, fontsize=8, color="#7d8998", arrowsize=0.7];',
    ]
    global_nodes = [r for r in nodes if r.placement.tier in ("global", "edge")]
    if global_nodes:
        lines.append(f"  subgraph {_cid('global')} {{")
        lines.append('    label="Global / edge"; style="rounded,dashed"; color="#8c4fff";')
        lines += [_node(r, root, "    ") for r in global_nodes]
        lines.append("  }")
    regional = [r for r in nodes if r not in global_nodes]
    vpc_cidrs = {v.logical_id: v.cidr for v in result.network.vpcs}
    for region in sorted({str(r.placement.region) for r in regional}):
        in_region = [r for r in regional if r.placement.region == region]
        lines.append(f"  subgraph {_cid('region', region)} {{")
        lines.append(
            f'    label={_q("Region " + region)}; style="rounded"; color="#147eba"; fontcolor="#147eba";'
        )
        lines += [_node(r, root, "    ") for r in in_region if not r.placement.vpc]
        for vpc in sorted({str(r.placement.vpc) for r in in_region if r.placement.vpc}):
            in_vpc = [r for r in in_region if r.placement.vpc == vpc]
            vlabel = f"VPC {vpc}" + (f" {vpc_cidrs[vpc]}" if vpc in vpc_cidrs else "")
            lines.append(f"    subgraph {_cid('vpc', region, vpc)} {{")
            lines.append(f'      label={_q(vlabel)}; style="rounded"; color="#7aa116"; fontcolor="#3f5d0b";')
            single: dict[str, list[ResourceView]] = {}
            multi: dict[str, list[ResourceView]] = {}
            for r in in_vpc:
                azs = list(r.placement.azs)
                tier = str(r.placement.tier or "private")
                if len(azs) == 1:
                    single.setdefault(azs[0], []).append(r)
                else:
                    multi.setdefault(tier, []).append(r)
            for tier in sorted(multi, key=lambda t: (_TIER_ORDER.get(t, 9), t)):
                lines.append(f"      subgraph {_cid('tier', region, vpc, 'all', tier)} {{")
                lines.append(
                    f'        label={_q(tier + " subnets · across AZs")}; style="dashed"; color="#879196";'
                )
                lines += [_node(r, root, "        ") for r in multi[tier]]
                lines.append("      }")
            for az in sorted(single):
                lines.append(f"      subgraph {_cid('az', region, vpc, az)} {{")
                lines.append(f'        label={_q("AZ " + az)}; style="dashed"; color="#147eba";')
                tiers: dict[str, list[ResourceView]] = {}
                for r in single[az]:
                    tiers.setdefault(str(r.placement.tier), []).append(r)
                for tier in sorted(tiers, key=lambda t: (_TIER_ORDER.get(t, 9), t)):
                    lines.append(f"        subgraph {_cid('tier', region, vpc, az, tier)} {{")
                    lines.append(f'          label={_q(tier + " subnet")}; style="filled"; color="#f2f8f0";')
                    lines += [_node(r, root, "          ") for r in tiers[tier]]
                    lines.append("        }")
                lines.append("      }")
            lines.append("    }")
        lines.append("  }")
    styles = {
        "event": 'style="dashed"',
        "data": 'color="#c925d1"',
        "network": 'style="dotted"',
        "reference": 'style="dotted"',
    }
    for e in sorted(result.edges, key=lambda e: (e.source, e.target, e.kind, e.label)):
        if e.source in ids and e.target in ids:
            attrs = [f"label={_q(e.label)}"] if e.label else []
            if e.kind in styles:
                attrs.append(styles[e.kind])
            lines.append(
                f"  {_q(e.source)} -> {_q(e.target)}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";"
            )
    hidden = len(result.resources) - len(nodes)
    if hidden:
        lines.append(
            f'  legend [shape=note, fontsize=9, color="#879196", '
            f"label={_q(f'{hidden} supporting resources (routes, policies, alarms…) are in the report')}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


_IMG = re.compile(
    r'<image xlink:href="([^"]+)" width="([^"]+)" height="([^"]+)" '
    r'preserveAspectRatio="[^"]+" x="([^"]+)" y="([^"]+)"/>'
)


def _run_dot(dot_text: str, fmt: str) -> bytes:
    exe = shutil.which("dot")
    if exe is None:
        raise DiagramUnavailable("Graphviz 'dot' is not installed")
    args = [exe, f"-T{fmt}"]
    root = icon_root()
    if root is not None:
        args.append(f"-Gimagepath={root}")
    proc = subprocess.run(args, input=dot_text.encode("utf-8"), capture_output=True, check=False, timeout=120)
    if proc.returncode != 0:
        raise DiagramUnavailable(f"dot failed: {proc.stderr.decode('utf-8', 'replace').strip()[:300]}")
    return proc.stdout


def render_svg(result: DesignResult) -> bytes | None:
    """Self-contained SVG (icons inlined as data URIs), or None when Graphviz is missing."""
    if not dot_available():
        return None
    svg = _run_dot(render_dot(result), "svg").decode("utf-8")
    svg = re.sub(r"<!-- Generated by graphviz[^>]*-->\n", "", svg)
    root = icon_root()
    defs: dict[tuple[str, str, str], str] = {}

    def repl(m: re.Match[str]) -> str:
        href, w, h, x, y = m.groups()
        key = (href, w, h)
        if key not in defs:
            defs[key] = f"icon{len(defs)}"
        return f'<use xlink:href="#{defs[key]}" x="{x}" y="{y}"/>'

    svg = _IMG.sub(repl, svg)
    if defs and root is not None:
        parts = ["<defs>"]
        for (href, w, h), ident in defs.items():
            data = base64.b64encode((root / href).read_bytes()).decode("ascii")
            parts.append(
                f'<image id="{ident}" width="{w}" height="{h}" preserveAspectRatio="xMinYMin meet" '
                f'xlink:href="data:image/png;base64,{data}"/>'
            )
        parts.append("</defs>")
        idx = svg.index(">", svg.index("<svg")) + 1
        svg = svg[:idx] + "\n" + "".join(parts) + svg[idx:]
    return svg.encode("utf-8")


def render_png(result: DesignResult) -> bytes | None:
    if not dot_available():
        return None
    return _run_dot(render_dot(result), "png")
