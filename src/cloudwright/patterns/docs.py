"""Generate ``docs/patterns.md`` from the catalogue (a test keeps the file in sync).

Run ``python -m cloudwright.patterns.docs > docs/patterns.md`` after editing a pattern file.
"""

from __future__ import annotations

from typing import Any

from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.model import CONDITIONS, Pattern
from cloudwright.patterns.recommend import BASE

_INTRO = f"""# Architecture patterns

cloudwright recommends one of the patterns below for a set of requirements and builds it into a sized
resource graph. Each pattern is one YAML file in `src/cloudwright/patterns/data/`, validated when the
catalogue loads; this page is generated from those files (`python -m cloudwright.patterns.docs`), and a
test fails when it is out of date.

```
cloudwright patterns                      # the catalogue, one line each
cloudwright patterns show serverless-web  # one pattern in full
```

## How a pattern is chosen

`cloudwright.patterns.recommend.recommend(requirements)` scores **every** pattern, starting from {BASE:g}:

* **Fit criteria** of the pattern (tables below): the weight is added when the criterion holds, the
  penalty subtracted when it does not. Criteria name requirement *features*: every requirements field
  plus derived ones (`peak_rps`, `experience_level`, `environment_count`, `audience_region_count`,
  `remote_audience_count`, `compliance_count`, `ingest_mb_per_s`, `requests_per_month`).
* **Scale**: users and peak requests/s above the pattern's range cost up to 40 points; below the range
  of a provisioned pattern up to 12 (over-building).
* **Availability**: a target above the pattern's designed maximum costs 35 points.
* **Operational burden**: 6 points per missing engineer (up to 24) and 14 per missing level of AWS
  experience; a low-burden pattern earns 6 with a beginner team.
* **Budget**: a rough prod cost (floor + per-million-requests + per-GB, plus internet egress and log
  ingestion) above the budget costs up to 45 points; headroom earns up to 8. This is a ranking heuristic
  built from the unit prices in each pattern's `cost.basis`; the estimate in the report comes from the
  pricing engine.
* **Compute preference**: +30 when it matches the pattern's compute model, −20 when it does not.
* **Audience**: audiences far from the primary Region cost 6 points each for patterns with no edge or
  second Region.
* **HIPAA**: a pattern with any service not confirmed HIPAA eligible (`data/eligibility.yaml`, with the
  evidence and date of each answer) is excluded; forcing one with `--pattern` is refused. A service the
  sources do not confirm — today AWS Fargate — counts as not eligible, so HIPAA workloads get ECS-free
  designs (EC2, EKS or serverless) until the table is re-checked against AWS's reference page.
* **End of support**: services AWS has retired (listed with their dates under `end_of_support` in
  `data/eligibility.yaml`) never appear in a pattern; the catalogue loader rejects a file that names them.

Ties are broken by pattern id. The result lists the winner's reasons, every other pattern with the
reasons it lost, and the requirement values at which the answer would flip — found by probing the
scorer (bisection on numbers, every alternative for choices and lists), not written by hand.

Component conditions (`when`): {", ".join(f"`{k}` — {v}" for k, v in CONDITIONS.items())}.
"""


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _fit_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def render_pattern(p: Pattern) -> str:
    lines = [f"## {p.name} (`{p.id}`)", "", p.summary.strip(), ""]
    lines += [f"**Seeds:** {', '.join(p.seeds)} — {p.traceability.strip()}", ""]
    lines += [f"**Compute:** {p.compute.replace('_', ' ')} · **VPC:** {'yes' if p.uses_vpc else 'no'}", ""]
    lines += ["**Use cases:** " + "; ".join(p.use_cases), ""]
    lines += ["**Fits when**", ""] + [f"- {x}" for x in p.fits_when] + [""]
    if p.not_for:
        lines += ["**Not for**", ""] + [f"- {x}" for x in p.not_for] + [""]
    lines += [
        "**Components**",
        "",
        "| builder | service | purpose | alternative considered | why this one | when |",
        "|---|---|---|---|---|---|",
    ]
    for c in p.components:
        when = ", ".join(c.when) or "always"
        row = (c.builder, c.service, c.purpose, c.alternative, c.why, when)
        lines.append("| " + " | ".join(_cell(x) for x in row) + " |")
    lines += ["", "**Pros**", ""] + [f"- {x}" for x in p.pros]
    lines += ["", "**Cons**", ""] + [f"- {x}" for x in p.cons] + [""]
    if p.scale:
        lines += [
            f"**Scale:** {p.scale.users[0]:,.0f}–{p.scale.users[1]:,.0f} users, "
            f"{p.scale.peak_rps[0]:,.0f}–{p.scale.peak_rps[1]:,.0f} peak requests/s "
            f"(source: {p.scale.source})",
            "",
        ]
    lines += ["**Scaling limits**", ""]
    lines += [f"- {lim.limit} (source: {lim.source})" for lim in p.scaling_limits]
    lines.append("")
    if p.availability:
        a = p.availability
        lines += [f"**Availability:** up to {a.max_target}% — {a.basis} (source: {a.source})", ""]
    if p.operational_burden:
        b = p.operational_burden
        lines += [
            f"**Operational burden:** {b.level} — {b.note} (team of {b.min_team_size}+, {b.min_experience})",
            "",
        ]
    if p.cost:
        cost = p.cost
        lines += [
            f"**Ranking cost profile:** floor ${cost.floor_usd:,.0f}/month, "
            f"${cost.per_million_requests_usd:g} per million requests, "
            f"${cost.per_gb_month_usd:g} per GB-month"
            + (
                f", ${cost.per_thousand_users_usd:g} per 1,000 users. "
                if cost.per_thousand_users_usd
                else ". "
            )
            + cost.basis.strip(),
            "",
        ]
    lines += ["**Fit criteria**", "", "| feature | test | value | weight | penalty | reason |"]
    lines.append("|---|---|---|---|---|---|")
    for f in p.fit:
        row = (f.feature, f.op, _fit_value(f.value), f"{f.weight:g}", f"{f.penalty:g}", f.reason)
        lines.append("| " + " | ".join(_cell(x) for x in row) + " |")
    lines.append("")
    return "\n".join(lines)


def render_patterns_markdown() -> str:
    patterns = load_patterns()
    out = [_INTRO, "## The catalogue", "", "| id | name | compute | burden | availability up to | seeds |"]
    out.append("|---|---|---|---|---|---|")
    for p in patterns.values():
        burden = p.operational_burden.level if p.operational_burden else ""
        avail = f"{p.availability.max_target}%" if p.availability else ""
        row = (f"`{p.id}`", p.name, p.compute.replace("_", " "), burden, avail, ", ".join(p.seeds))
        out.append("| " + " | ".join(_cell(x) for x in row) + " |")
    out.append("")
    for p in patterns.values():
        out.append(render_pattern(p))
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(render_patterns_markdown(), end="")
