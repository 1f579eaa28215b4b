"""Diagram: DOT from the graph (sorted, clustered, costed), Mermaid, self-contained SVG, icons."""

from __future__ import annotations

import re

import pytest

from cloudwright.design.types import CATEGORIES, load_types
from cloudwright.render import render_report
from cloudwright.render.diagram import dot_available, icon_root, render_dot, render_svg
from cloudwright.render.icons import CATEGORY_COLOURS, load_icons


def test_dot_has_nested_clusters_and_costs(result):
    dot = render_dot(result, icons=False)
    region = dot.index("cluster_region_us_east_1")
    vpc = dot.index("cluster_vpc_us_east_1_Vpc")
    az = dot.index("cluster_az_us_east_1_Vpc_us_east_1a")
    tier = dot.index("cluster_tier_us_east_1_Vpc_us_east_1a_public")
    assert region < vpc < az < tier
    assert "$32.85/mo" in dot  # the NAT gateway's cost from the estimate
    assert '"Cdn" -> "Alb" [label="HTTPS"]' in dot
    assert '"Vpc"' not in dot  # the VPC is a cluster, not a node
    assert "supporting resources" in dot


def test_dot_edges_are_sorted(result):
    dot = render_dot(result, icons=False)
    edges = re.findall(r'^  "(\w+)" -> "(\w+)"', dot, flags=re.M)
    assert edges == sorted(edges) and len(edges) == 4


def test_mermaid_mirrors_the_graph(result):
    mmd = render_report(result, "mermaid")
    assert isinstance(mmd, str)
    assert mmd.startswith("flowchart LR")
    assert "Cdn -->|HTTPS| Alb" in mmd
    assert "$16.43/mo" in mmd


@pytest.mark.skipif(not dot_available(), reason="Graphviz dot not installed")
def test_svg_is_self_contained(result):
    svg = render_svg(result)
    assert svg is not None
    text = svg.decode()
    assert "<svg" in text
    hrefs = re.findall(r'xlink:href="([^"]+)"', text)
    assert all(h.startswith("#") or h.startswith("data:image/png;base64,") for h in hrefs)
    assert "site-packages" not in text and "/home/" not in text


def test_icons_yaml_entries_point_at_real_icons():
    root = icon_root()
    if root is None:
        pytest.skip("AWS icon set (diagrams package) not installed")
    missing = [f"{t}: {icon}" for t, icon in load_icons().items() if icon and not (root / icon).is_file()]
    assert not missing


def test_icons_and_type_catalogue_agree():
    # every icon belongs to a catalogued type, and every category has a diagram colour
    assert sorted(load_icons()) == sorted(load_types())
    assert set(CATEGORY_COLOURS) == set(CATEGORIES)


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "dot", "mermaid", "svg"])
def test_outputs_are_byte_identical_across_runs(result, fmt):
    if fmt == "svg" and not dot_available():
        pytest.skip("Graphviz dot not installed")
    assert render_report(result, fmt) == render_report(result, fmt)


def test_without_graphviz_svg_is_skipped_with_a_note(result, tmp_path, monkeypatch):
    import cloudwright.render.diagram as diagram
    from cloudwright.render import write_outputs

    monkeypatch.setattr(diagram.shutil, "which", lambda name: None)
    written, notes = write_outputs(result, tmp_path)
    names = {p.name for p in written}
    assert {"diagram.dot", "diagram.mmd", "report.html"} <= names
    assert "diagram.svg" not in names and "diagram.png" not in names
    assert any("dot" in n and "skipped" in n for n in notes)
    assert "Graphviz (<code>dot</code>) is not installed" in (tmp_path / "report.html").read_text()
