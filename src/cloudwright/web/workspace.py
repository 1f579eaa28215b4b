"""What the workspace does with the library: run a design into a version, render its files, compare two.

Only public library entry points are used (pipeline, pricing, review, render), so the web layer never
restates how a design is built or priced.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from cloudwright.requirements import Requirements, requirements_from_mapping
from cloudwright.web.store import NewVersion

#: Downloadable files of a version: name → media type. ``template.<region>.yaml`` are added for every
#: secondary Region; the diagram images need Graphviz on the server.
MEDIA_TYPES = {
    "template.yaml": "application/yaml",
    "report.md": "text/markdown; charset=utf-8",
    "report.html": "text/html; charset=utf-8",
    "design.json": "application/json",
    "diagram.svg": "image/svg+xml",
    "diagram.png": "image/png",
    "diagram.mmd": "text/plain; charset=utf-8",
    "estimate.csv": "text/csv; charset=utf-8",
}
ESTIMATE_COLUMNS = (
    "logical_id",
    "type",
    "description",
    "quantity",
    "unit",
    "unit_price",
    "monthly_usd",
    "status",
    "price_source",
    "price_date",
    "note",
)


def run(
    requirements: Requirements,
    environment: str,
    *,
    pattern: str | None = None,
    usage: dict[str, dict[str, Any]] | None = None,
) -> Any:
    """Design, price and review; ``usage`` overrides usage keys per logical id before pricing."""
    from cloudwright.pipeline import run_design

    if not usage:
        return run_design(requirements, environment=environment, pattern_id=pattern)
    from cloudwright.design.build import build_design
    from cloudwright.errors import InputError
    from cloudwright.patterns.catalog import load_patterns
    from cloudwright.patterns.recommend import recommend
    from cloudwright.pipeline import assemble
    from cloudwright.pricing.engine import PricingOptions, price_design
    from cloudwright.result import DisasterRecovery
    from cloudwright.review.engine import review_design
    from cloudwright.units import ENVIRONMENTS

    if environment not in ENVIRONMENTS:
        raise InputError("unknown environment", field="environment", value=environment, allowed=ENVIRONMENTS)
    patterns = load_patterns()
    if pattern is not None and pattern not in patterns:
        raise InputError("unknown pattern", field="pattern", value=pattern, allowed=sorted(patterns))
    recommendation = recommend(requirements)
    chosen = pattern or recommendation.pattern.id
    design = build_design(requirements, pattern_id=chosen, environment=environment)
    from cloudwright.dr import plan_dr

    pricing = PricingOptions(usage={"resource_usage": usage})
    dr = plan_dr(design, requirements, pricing=pricing)
    if dr is not None:
        design = dr.design
    known = {r.logical_id for r in design.resources}
    unknown = sorted(set(usage) - known)
    if unknown:
        raise InputError(
            "usage names a resource the design does not have",
            field=f"usage.{unknown[0]}",
            value=unknown[0],
            allowed=sorted(known),
        )
    estimate = dr.estimate if dr is not None else price_design(design, pricing)
    review = review_design(design, requirements, estimate=estimate)
    return assemble(
        requirements,
        design,
        estimate,
        pattern=patterns[chosen],
        recommendation=recommendation,
        review=review,
        forced=pattern is not None,
        dr=DisasterRecovery.model_validate(dr.to_dict()) if dr is not None else None,
    )


def estimate_csv(result: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(ESTIMATE_COLUMNS)
    from cloudwright.units import plain_usd

    def cell(li: dict[str, Any], column: str) -> object:
        value = li.get(column)
        if column == "monthly_usd":  # the amount as the CLI's CSV writes it (cents, never -0.00)
            return plain_usd(value)
        return "" if value is None else value

    for li in result["estimate"]["line_items"]:
        writer.writerow([cell(li, c) for c in ESTIMATE_COLUMNS])
    writer.writerow(
        ["TOTAL", "", "", "", "", "", plain_usd(result["estimate"]["monthly_usd"]), "", "", "", ""]
    )
    return buf.getvalue()


def render_files(result: Any) -> dict[str, tuple[str, bytes]]:
    """Every download of a version, rendered once when it is saved."""
    from cloudwright.cfn.writer import render_templates
    from cloudwright.render import render_report
    from cloudwright.render.diagram import dot_available, render_png

    def text(fmt: str) -> bytes:
        out = render_report(result, fmt)
        return out if isinstance(out, bytes) else out.encode("utf-8")

    files: dict[str, tuple[str, bytes]] = {
        "report.md": (MEDIA_TYPES["report.md"], text("markdown")),
        "report.html": (MEDIA_TYPES["report.html"], text("html")),
        "design.json": (MEDIA_TYPES["design.json"], text("json")),
        "diagram.mmd": (MEDIA_TYPES["diagram.mmd"], text("mermaid")),
        "estimate.csv": (MEDIA_TYPES["estimate.csv"], estimate_csv(result.to_dict()).encode("utf-8")),
    }
    for name, body in render_templates(result.design_obj).items():
        files[name] = (MEDIA_TYPES["template.yaml"], body.encode("utf-8"))
    if dot_available():
        files["diagram.svg"] = (MEDIA_TYPES["diagram.svg"], text("svg"))
        png = render_png(result)
        if png is not None:
            files["diagram.png"] = (MEDIA_TYPES["diagram.png"], png)
    return files


def new_version(
    requirements: dict[str, Any],
    environment: str,
    *,
    usage: dict[str, dict[str, Any]] | None = None,
    note: str = "",
) -> NewVersion:
    """Run the pipeline and render every file; raises InputError on bad requirements or usage."""
    req = requirements_from_mapping(requirements)
    result = run(req, environment, usage=usage)
    return NewVersion(
        requirements=req.canonical(),
        usage=dict(sorted((usage or {}).items())),
        result=result.to_dict(),
        files=render_files(result),
        note=note,
    )


# ------------------------------------------------------------------------------------------------
# compare
# ------------------------------------------------------------------------------------------------
def _money(value: Any) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def _num(value: Decimal) -> float:
    return float(round(value, 2))


def diff(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """What changed from result ``a`` to result ``b``: cost per line and in total, resources, findings,
    pattern and requirements. Lists are sorted so the answer is deterministic."""
    lines_a = {(li["logical_id"], li["description"]): li for li in a["estimate"]["line_items"]}
    lines_b = {(li["logical_id"], li["description"]): li for li in b["estimate"]["line_items"]}
    cost_lines = []
    for key in sorted(set(lines_a) | set(lines_b)):
        la, lb = lines_a.get(key), lines_b.get(key)
        fa = _money(la["monthly_usd"]) if la and la.get("monthly_usd") is not None else None
        fb = _money(lb["monthly_usd"]) if lb and lb.get("monthly_usd") is not None else None
        if la and lb and fa == fb and la.get("quantity") == lb.get("quantity"):
            continue
        delta = (fb or Decimal(0)) - (fa or Decimal(0))
        cost_lines.append(
            {
                "logical_id": key[0],
                "description": key[1],
                "from_usd": None if fa is None else _num(fa),
                "to_usd": None if fb is None else _num(fb),
                "delta_usd": _num(delta),
                "change": "added" if la is None else "removed" if lb is None else "changed",
                "magnitude": _num(abs(delta)),
            }
        )
    res_a = {r["logical_id"]: r for r in a["resources"]}
    res_b = {r["logical_id"]: r for r in b["resources"]}
    changed = []
    for lid in sorted(set(res_a) & set(res_b)):
        ra, rb = res_a[lid], res_b[lid]
        what = [
            k for k in ("type", "properties", "usage", "placement", "depends_on") if ra.get(k) != rb.get(k)
        ]
        if what:
            changed.append({"logical_id": lid, "type": rb["type"], "changed": what})

    def findings(result: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
        review = result.get("review") or {}
        return {(f["check_id"], f.get("resource") or ""): f for f in review.get("findings") or []}

    found_a, found_b = findings(a), findings(b)

    def brief(f: dict[str, Any]) -> dict[str, Any]:
        return {k: f.get(k) for k in ("check_id", "resource", "severity", "title")}

    req_a, req_b = a.get("requirements") or {}, b.get("requirements") or {}
    return {
        "cost_from_usd": _num(_money(a["estimate"]["monthly_usd"])),
        "cost_to_usd": _num(_money(b["estimate"]["monthly_usd"])),
        "cost_delta_usd": _num(_money(b["estimate"]["monthly_usd"]) - _money(a["estimate"]["monthly_usd"])),
        "cost_lines": cost_lines,
        "resources_added": sorted(set(res_b) - set(res_a)),
        "resources_removed": sorted(set(res_a) - set(res_b)),
        "resources_changed": changed,
        "findings_new": [brief(found_b[k]) for k in sorted(set(found_b) - set(found_a))],
        "findings_fixed": [brief(found_a[k]) for k in sorted(set(found_a) - set(found_b))],
        "pattern_from": a["pattern"]["id"],
        "pattern_to": b["pattern"]["id"],
        "requirements_changed": {
            k: {"from": req_a.get(k), "to": req_b.get(k)}
            for k in sorted(set(req_a) | set(req_b))
            if req_a.get(k) != req_b.get(k)
        },
        "verdict_from": (a.get("budget") or {}).get("verdict"),
        "verdict_to": (b.get("budget") or {}).get("verdict"),
    }
