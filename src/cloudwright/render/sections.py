"""The report's content as plain blocks (paragraphs, lists, tables), shared by Markdown, HTML and the
terminal, so every surface says the same thing from the same :class:`~cloudwright.result.DesignResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cloudwright.design.plan import RuleView
from cloudwright.design.types import config_summary, short_value, type_info
from cloudwright.result import DesignResult, LineItemView
from cloudwright.review.model import Review, Severity
from cloudwright.units import JsonValue, line_cost, money, quantity, unit_price, usd


@dataclass
class Block:
    kind: str  # "p" | "list" | "table" | "checklist" | "raw" | "diagram" | "note"
    text: str = ""
    items: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    markdown: str = ""
    html: str = ""
    title: str = ""


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)


def _as_list(value: JsonValue) -> list[JsonValue]:
    return value if isinstance(value, list) else []


def _qty(value: Decimal | None) -> str:
    return quantity(value, none="depends on usage")


def _price(value: Decimal | None) -> str:
    return unit_price(value, none="price unknown")


def line_amount(li: LineItemView) -> str:
    return line_cost(li.status, li.monthly_usd)


def build_sections(result: DesignResult, *, review_sections: tuple[str, str] | None = None) -> list[Section]:
    return [
        _summary(result),
        _why(result),
        _services(result),
        _estimate(result),
        _budget(result),
        *([_disaster_recovery(result)] if result.dr else []),
        _tradeoffs(result),
        _network(result),
        *([_review(result, review_sections)] if result.review is not None else []),
        _checklist(result),
        _roadmap(result),
        _diagram(result),
        _assumptions(result),
    ]


def _summary(r: DesignResult) -> Section:
    req = r.requirements.canonical()
    primary = [x for x in r.resources if type_info(x.type).diagram]
    blocks = [
        Block(
            "p",
            text=f"**{r.pattern.name}** (`{r.pattern.id}`) for **{r.name}** — {r.pattern.summary}",
        ),
        Block(
            "table",
            headers=["", ""],
            rows=[
                ["Environment", f"{r.environment} in {r.region}"],
                [
                    "Application",
                    f"{req.get('application_type')}, {req.get('expected_users'):,} users, "
                    f"{req.get('requests_per_second')} req/s average",
                ],
                ["Resources", f"{len(r.resources)} ({len(primary)} services, the rest supporting)"],
                ["Estimated cost", r.estimate.total or f"{usd(r.estimate.monthly_usd)}/month"],
                ["Budget", r.budget.message],
                ["Fit", r.fit.status + (": " + "; ".join(r.fit.gaps) if r.fit.gaps else "")],
                *([["Review", _review_line(r.review)]] if r.review is not None else []),
            ],
        ),
    ]
    if r.warnings:
        blocks.append(Block("list", title="Warnings", items=[f"⚠ {w}" for w in r.warnings]))
    return Section("summary", "Summary", blocks)


def _review_line(review: Review) -> str:
    counts = review.counts()
    parts = [f"{counts[s.value]} {s.value}" for s in Severity if counts.get(s.value)]
    return "findings: " + (", ".join(parts) if parts else "none")


def _why(r: DesignResult) -> Section:
    blocks: list[Block] = []
    score = f" (score {r.pattern.score:g})" if r.pattern.score is not None else ""
    blocks.append(
        Block(
            "list", title=f"Why {r.pattern.name}{score}", items=r.pattern.reasons or ["(no reasons recorded)"]
        )
    )
    if r.alternatives:
        rows = [
            [
                f"{a.name or a.id} (`{a.id}`)",
                "—" if a.score is None else f"{a.score:g}",
                "; ".join(a.reasons[:3]),
            ]
            for a in r.alternatives
        ]
        blocks.append(
            Block("table", title="Why not the others", headers=["Pattern", "Score", "Reasons"], rows=rows)
        )
    blocks += candidate_blocks(r)
    if r.flips:
        blocks.append(
            Block("list", title="What would change the answer", items=[f.description for f in r.flips])
        )
    return Section("why", "Why this pattern", blocks)


def _factor(k: float) -> str:
    return f"{k:g}×"


def candidate_table(r: DesignResult) -> tuple[list[str], list[list[str]]]:
    """The designed candidates side by side: cost, targets, burden and cost at each load factor."""
    rows_src = [
        (
            r.pattern.id,
            r.pattern.monthly_usd,
            r.pattern.meets_targets,
            r.pattern.targets,
            r.pattern.burden,
            r.pattern.sensitivity,
            True,
        )
    ]
    rows_src += [
        (a.id, a.monthly_usd, a.meets_targets, a.targets, a.burden, a.sensitivity, False)
        for a in r.alternatives
        if a.candidate
    ]
    factors = sorted({c.load_factor for row in rows_src for c in row[5]})
    headers = ["Pattern", "Monthly", "Meets targets", "Burden"] + [
        f"at {_factor(k)} load" for k in factors if k != 1.0
    ]
    rows = []
    for pid, monthly, meets, targets, burden, sens, chosen in rows_src:
        if monthly is None:
            continue
        unmet = [t.target for t in targets if t.met is not True]
        verdict = "yes" if meets else "no: " + ", ".join(unmet)
        by_factor = {c.load_factor: c.monthly_usd for c in sens}
        rows.append(
            [f"{pid}{' (chosen)' if chosen else ''}", usd(monthly), verdict, burden]
            + [usd(by_factor.get(k)) if by_factor.get(k) is not None else "—" for k in factors if k != 1.0]
        )
    return headers, rows


def candidate_blocks(r: DesignResult) -> list[Block]:
    headers, rows = candidate_table(r)
    out: list[Block] = []
    if rows:
        out.append(
            Block("table", title="Candidates side by side (prod, monthly)", headers=headers, rows=rows)
        )
    if r.crossovers:
        out.append(
            Block("list", title="Where the ranking changes", items=[x.description for x in r.crossovers])
        )
    gated = [a for a in r.alternatives if a.gates and not a.candidate]
    if gated:
        out.append(
            Block(
                "table",
                title="Ruled out before design",
                headers=["Pattern", "Gate", "Why", "What it would take"],
                rows=[
                    [
                        a.id,
                        ", ".join(g.gate for g in a.gates),
                        "; ".join(g.reason for g in a.gates),
                        "; ".join(g.would_take for g in a.gates),
                    ]
                    for a in gated
                ],
            )
        )
    return out


def _services(r: DesignResult) -> Section:
    rows = []
    for x in r.resources:
        info = type_info(x.type)
        if not info.diagram:
            continue
        conf = ", ".join(config_summary(x.type, x.properties))
        sizing = "; ".join(
            f"{s.get('rule', '')}: {s.get('value', '')}"
            for s in _as_list(x.metadata.get("sizing"))
            if isinstance(s, dict)
        )
        why = x.rationale + (f" Sizing: {sizing}" if sizing else "")
        rows.append([f"{x.label} (`{x.logical_id}`)", info.label, conf, why.strip(), _cost(x)])
    blocks = [
        Block("table", headers=["Resource", "Service", "Configuration", "Rationale", "Monthly"], rows=rows)
    ]
    comp_rows = [
        [c.role or c.builder, c.service, c.purpose, c.alternative, c.why]
        for c in r.pattern.components
        if c.service or c.alternative
    ]
    if comp_rows:
        blocks.append(
            Block(
                "table",
                title="Service selection",
                headers=["Role", "Service", "Purpose", "Alternative considered", "Why this one"],
                rows=comp_rows,
            )
        )
    minor: dict[str, int] = {}
    for x in r.resources:
        if not type_info(x.type).diagram:
            minor[type_info(x.type).label] = minor.get(type_info(x.type).label, 0) + 1
    if minor:
        blocks.append(
            Block(
                "p",
                text="Supporting resources: "
                + ", ".join(f"{n} × {k}" for k, n in sorted(minor.items()))
                + ".",
            )
        )
    return Section("services", "Services", blocks)


def _cost(x: Any) -> str:
    from cloudwright.render.diagram import cost_label

    return cost_label(x).removesuffix("/mo")


def _estimate(r: DesignResult) -> Section:
    e = r.estimate
    rows = []
    for li in e.line_items:
        if li.status == "priced" and li.monthly_usd == 0 and li.quantity in (None, 0):
            continue
        rows.append(
            [
                f"`{li.logical_id}`",
                li.description,
                _qty(li.quantity) + (f" {li.unit}" if li.quantity is not None and li.unit else ""),
                _price(li.unit_price) + (f"/{li.unit}" if li.unit_price is not None and li.unit else ""),
                line_amount(li),
                _source(li),
            ]
        )
    blocks = [
        Block(
            "p",
            text=f"**{usd(e.monthly_usd)}/month** for {r.environment} ({e.hours_per_month:g} hours/month, "
            f"free tier: {e.free_tier}, price catalogue of {e.catalog_date or 'unknown date'}).",
        ),
        Block(
            "table",
            headers=["Resource", "Line item", "Quantity", "Unit price", "Monthly", "Source"],
            rows=rows,
        ),
    ]
    if not e.complete:
        blocks.append(
            Block(
                "note",
                text=f"Partial total: {e.total}. These resources have no price and are not in it: "
                + "; ".join(f"`{u.logical_id}` ({u.label})" for u in e.unpriced)
                + ".",
            )
        )
    if e.usage_unknown_lines:
        blocks.append(
            Block(
                "note",
                text=f"{e.usage_unknown_lines} line(s) are not in the total: their usage is unknown "
                "(shown as "
                "“depends on usage” with the unit price).",
            )
        )
    if e.unsupported_types:
        blocks.append(Block("note", text="Not priced (unsupported types): " + ", ".join(e.unsupported_types)))
    top = sorted(
        (x for x in e.resources if x.monthly_usd), key=lambda x: (-(x.monthly_usd or 0), x.logical_id)
    )[:8]
    if top:
        blocks.append(
            Block(
                "table",
                title="Largest costs",
                headers=["Resource", "Type", "Monthly"],
                rows=[[f"`{x.logical_id}`", x.type, usd(x.monthly_usd)] for x in top],
            )
        )
    return Section("estimate", "Cost estimate", blocks)


def _source(li: LineItemView) -> str:
    src = li.price_source or ""
    if li.price_date:
        src = f"{src} ({li.price_date})" if src else li.price_date
    if not li.verified:
        src += " — unverified"
    return src


def _budget(r: DesignResult) -> Section:
    b = r.budget
    rows = [
        ["Budget", usd(b.monthly_usd) if b.monthly_usd is not None else "none given"],
        ["Estimate", usd(b.estimate_usd) + ("" if b.complete else " (priced part only)")],
        ["Verdict", b.verdict],
    ]
    if b.over_budget:
        rows.append(["Overrun", usd(b.overrun_usd)])
    elif b.monthly_usd is not None:
        rows.append(["Headroom", usd(b.headroom_usd)])
    if b.utilisation_percent is not None:
        rows.append(["Share of budget", f"{money(b.utilisation_percent, 0)}%"])
    blocks = [Block("p", text=b.message), Block("table", headers=["", ""], rows=rows)]
    if b.floor_usd is not None:
        rows.append(["Cost floor", f"{usd(b.floor_usd)}/month ({b.floor_pattern})"])
        if b.monthly_usd is not None and b.floor_usd > b.monthly_usd:
            blocks.append(
                Block(
                    "list",
                    title=f"Nothing meeting the targets fits the budget; floor {usd(b.floor_usd)}",
                    items=[f"driven by {d}" for d in b.floor_drivers],
                )
            )
    return Section("budget", "Budget", blocks)


def _minutes(v: Any) -> str:
    if v is None:
        return "—"
    v = float(v)
    if v >= 60:
        return f"{v / 60:g} h" if v % 60 == 0 else f"{v:g} min ({v / 60:.1f} h)"
    if v < 1:
        return f"{v * 60:.0f} s"
    return f"{v:g} min"


def _disaster_recovery(r: DesignResult) -> Section:
    """The four DR strategies side by side (cost, RTO, RPO), the chosen one and its failover steps."""
    dr = r.dr
    assert dr is not None
    chosen = dr.strategy
    targets = f"targets RTO {_minutes(dr.rto_target_minutes)} / RPO {_minutes(dr.rpo_target_minutes)}"
    text = (
        f"Strategy: {chosen} across {', '.join(dr.regions)} — "
        f"RTO {_minutes(dr.rto_minutes)}, RPO {_minutes(dr.rpo_minutes)} ({targets}); "
        f"{dr.reason}."
    )
    rows = []
    for o in dr.options:
        cost = usd(o.monthly_usd)
        if o.unpriced_lines:
            cost += f" + {o.unpriced_lines} line(s) with no price"
        rows.append(
            [
                ("▶ " if o.strategy == chosen else "") + o.name,
                cost,
                _minutes(o.rto_minutes),
                _minutes(o.rpo_minutes),
                "yes" if o.meets_targets else "no",
                o.secondary,
            ]
        )
    blocks = [
        Block("p", text=text),
        Block(
            "table",
            title="Strategies compared",
            headers=["Strategy", "Monthly cost", "RTO", "RPO", "Meets targets", "Secondary Region runs"],
            rows=rows,
        ),
    ]
    opt = next((o for o in dr.options if o.strategy == chosen), None)
    if opt is not None:
        steps = [f"{s.step}: {_minutes(s.minutes)} — {s.how} ({s.source})" for s in opt.rto_steps]
        basis = opt.rpo_basis
        steps.append(f"RPO — {basis.step}: {_minutes(basis.minutes)} — {basis.how} ({basis.source})")
        blocks.append(Block("list", title="How the RTO and RPO are derived", items=steps))
        blocks.append(
            Block(
                "table",
                title="Cost by Region",
                headers=["Region", "Monthly cost", "Lines with no price"],
                rows=[
                    [k, usd(v.monthly_usd), str(v.unpriced_lines)] for k, v in sorted(opt.by_region.items())
                ],
            )
        )
    if dr.notes:
        blocks.append(Block("list", title="Notes", items=list(dr.notes)))
    return Section("disaster-recovery", "Disaster recovery", blocks)


def _tradeoffs(r: DesignResult) -> Section:
    p = r.pattern
    blocks = [Block("list", title="Pros", items=p.pros), Block("list", title="Cons", items=p.cons)]
    scale = [f"{k}: {v}" for k, v in p.scaling.items()]
    if p.operational_burden:
        scale.append(f"operational burden: {p.operational_burden}")
    if scale:
        blocks.append(Block("list", title="Scaling characteristics", items=scale))
    if p.scaling_limits:
        blocks.append(
            Block(
                "table",
                title="Scaling limits",
                headers=["Limit", "Source"],
                rows=[[s["limit"], s["source"]] for s in p.scaling_limits],
            )
        )
    if p.when_to_use or p.not_for:
        blocks.append(Block("list", title="Fits when", items=p.when_to_use))
        if p.not_for:
            blocks.append(Block("list", title="Not for", items=p.not_for))
    return Section("tradeoffs", "Trade-offs and scaling", [b for b in blocks if b.items or b.rows])


def _network(r: DesignResult) -> Section:
    n = r.network
    blocks: list[Block] = []
    if n.vpcs:
        blocks.append(Block("p", text="VPC: " + ", ".join(f"`{v.logical_id}` {v.cidr}" for v in n.vpcs)))
        blocks.append(
            Block(
                "table",
                title="Subnets",
                headers=["Subnet", "Tier", "AZ", "CIDR"],
                rows=[[f"`{s.logical_id}`", s.tier, s.az, s.cidr] for s in n.subnets],
            )
        )
        plan_nat = n.plan.get("nat") or {}
        why = f" ({plan_nat['why']})" if isinstance(plan_nat, dict) and plan_nat.get("why") else ""
        blocks.append(Block("p", text=f"NAT strategy: {n.nat.strategy}{why}."))
        flow = n.plan.get("flow_logs") or {}
        if isinstance(flow, dict) and flow.get("enabled"):
            blocks.append(
                Block(
                    "p",
                    text=f"VPC flow logs: {flow.get('traffic', 'ALL')} traffic to {flow.get('destination')}.",
                )
            )
        if n.endpoints:
            blocks.append(
                Block(
                    "list",
                    title="VPC endpoints",
                    items=[f"{e.service} ({e.type}) — `{e.logical_id}`" for e in n.endpoints],
                )
            )
    else:
        blocks.append(Block("p", text="No VPC: every service in this design is a regional managed service."))
    sg_rows = []
    for g in n.security_groups:
        for rule in g.ingress:
            sg_rows.append([f"`{g.logical_id}`", "in", _port(rule), rule.peer])
        for rule in g.egress:
            sg_rows.append([f"`{g.logical_id}`", "out", _port(rule), rule.peer])
    if sg_rows:
        blocks.append(
            Block(
                "table", title="Security group rules", headers=["Group", "Dir", "Port", "Peer"], rows=sg_rows
            )
        )
    if n.iam_roles:
        blocks.append(
            Block(
                "table",
                title="IAM roles",
                headers=["Role", "Assumed by", "Policies", "Actions"],
                rows=[
                    [
                        f"`{x.logical_id}`",
                        ", ".join(x.assumed_by),
                        ", ".join(x.managed_policies + x.inline_policies),
                        ", ".join(x.actions[:6]) + (" …" if len(x.actions) > 6 else ""),
                    ]
                    for x in n.iam_roles
                ],
            )
        )
    choices = _flatten(n.plan.get("encryption") or {})
    if choices:
        blocks.append(Block("list", title="Encryption choices", items=[f"{k}: {v}" for k, v in choices]))
    if n.encryption:
        blocks.append(
            Block(
                "table",
                title="Encryption",
                headers=["Resource", "Settings"],
                rows=[[f"`{x.logical_id}`", "; ".join(x.settings)] for x in n.encryption],
            )
        )
    return Section("network", "Network and security plan", blocks)


def _flatten(node: Any, prefix: str = "") -> list[tuple[str, str]]:
    """``{"database": {"at_rest": "KMS"}}`` → ``[("database at rest", "KMS")]``."""
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            key = f"{prefix} {k}".strip().replace("_", " ")
            out += _flatten(v, key) if isinstance(v, dict) else [(key, short_value(v))]
    return out


def _port(rule: RuleView) -> str:
    if rule.protocol == "all":
        return "all traffic"
    return f"{rule.protocol} {rule.ports}"


def _review(r: DesignResult, review_sections: tuple[str, str] | None) -> Section:
    if review_sections is not None:
        md, html = review_sections
        return Section("review", "Review", [Block("raw", markdown=md, html=html)])
    review = r.review
    assert review is not None
    findings = sorted(review.findings, key=lambda f: (f.severity.rank, f.check_id, f.resource))
    rows = [
        [
            f.severity.value,
            f.check_id,
            f"`{f.resource}`" if f.resource else "",
            f.title,
            f.remediation,
        ]
        for f in findings
    ]
    return Section(
        "review",
        "Review",
        [
            Block("p", text=_review_line(review).capitalize() + "."),
            Block("table", headers=["Severity", "Check", "Resource", "Finding", "Fix"], rows=rows),
        ],
    )


def _checklist(r: DesignResult) -> Section:
    blocks = []
    for phase in r.checklist:
        items = [
            t.task
            + (
                f" — {', '.join(f'`{x}`' for x in t.resources[:6])}"
                if t.resources and len(t.resources) <= 6
                else ""
            )
            for t in phase.tasks
        ]
        blocks.append(Block("checklist", title=phase.phase, items=items))
    return Section("checklist", "Implementation checklist", blocks)


def _roadmap(r: DesignResult) -> Section:
    blocks = []
    for i, phase in enumerate(r.roadmap, 1):
        blocks.append(
            Block(
                "checklist",
                title=f"Phase {i}: {phase.phase} ({phase.weeks}) — {phase.goal}",
                items=[t.task for t in phase.items],
            )
        )
    return Section("roadmap", "Roadmap", blocks)


def _diagram(r: DesignResult) -> Section:
    return Section("diagram", "Diagram", [Block("diagram")])


def _assumptions(r: DesignResult) -> Section:
    rows = [[k, short_value(v)] for k, v in r.assumptions.items()]
    usage_rows = []
    for x in r.resources:
        for k, v in sorted(x.usage.items()):
            usage_rows.append([f"`{x.logical_id}`", k, "unknown" if v is None else short_value(v)])
    blocks = []
    if rows:
        blocks.append(Block("table", headers=["Assumption", "Value"], rows=rows))
    if usage_rows:
        blocks.append(
            Block(
                "table",
                title="Usage per resource",
                headers=["Resource", "Usage key", "Value"],
                rows=usage_rows,
            )
        )
    req_rows = [
        [k, "not stated" if v is None else short_value(v)] for k, v in r.requirements.canonical().items()
    ]
    blocks.append(Block("table", title="Requirements", headers=["Field", "Value"], rows=req_rows))
    return Section("assumptions", "Assumptions", blocks)


def review_sections(result: DesignResult) -> tuple[str, str] | None:
    """The review's own Markdown and HTML sections, when the review module provides them."""
    if result.review is None:
        return None
    from cloudwright.review.render import review_html, review_markdown

    md = review_markdown(result.review, heading_level=2)
    md_lines = md.splitlines()
    if md_lines and md_lines[0].startswith("## "):  # our section already has the heading
        md = "\n".join(md_lines[1:]).strip("\n") + "\n"
    html = review_html(result.review)
    html = html.replace('<section class="review">', '<div class="review">', 1)
    html = html.replace("<h2>Review</h2>", "", 1)
    html = html.rstrip()
    if html.endswith("</section>"):
        html = html[: -len("</section>")] + "</div>"
    return md, html + "\n"
