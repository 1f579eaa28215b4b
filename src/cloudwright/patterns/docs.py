"""Generate ``docs/patterns.md`` from the catalogue (a test keeps the file in sync).

Run ``python -m cloudwright.patterns.docs > docs/patterns.md`` after editing a pattern file.
"""

from __future__ import annotations

from typing import Any

from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.model import CONDITIONS, Pattern
from cloudwright.patterns.scoring import BASE
from cloudwright.units import usd

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

`cloudwright.patterns.recommend.recommend(requirements)` designs and prices the candidates; it never picks
by a score.

1. **Hard gates** (before any price), read from each pattern's data:
   * `serves.application_types`, `serves.interactions`, `serves.accelerators`, `serves.media` — the
     requirement's value must be listed (an internal web tool is never answered with an IoT or analytics
     pattern, whatever the load). Under HIPAA a media kind counts as served only when the service that
     provides it is confirmed eligible (video calls: Kinesis Video Streams);
   * compliance: under HIPAA every service in `services` must be eligible in `data/eligibility.yaml`
     (with the evidence and date of each answer), and the built design is checked again resource by
     resource;
   * `compute_preference`, when not `auto`, must match the pattern's `compute`;
   * `team_gate`: a team below its experience or size is not handed the pattern unless it is forced
     with `--pattern`; the report says why and what it would take.

   When no pattern passes, the compute preference, then media, accelerator, interaction and application
   type are set aside in that order to show the closest design, and the result's `fit` says so
   (`partial`, or `none` with gaps such as "needs GPU inference; no pattern in the catalogue provides
   it"). Compliance and the team gate are never set aside.
2. **Design, size and price** every candidate with the same pipeline, and check it against the targets:
   availability (the pattern's designed-for `availability.max_target`), p95 latency (`latency_floor`),
   audiences on a continent with no Region of the design (their latency cannot be told, so not met),
   the team against `operational_burden` (size and experience), RTO and RPO (computed on the built
   design from `data/slas/recovery.yaml`) and `allowed_regions` (every resource and replica Region).
3. **Choose** the cheapest candidate meeting every target; ties go to the lower operational burden, then
   the id. When none meets every target, the one missing the fewest is chosen and the target named.
   When the catalogue lacks most prices for the Region, costs are not compared and the lowest burden
   decides (stated in `fit`).

Each candidate is also rebuilt and re-priced at 0.5×, 2×, 5× and 10× the stated load (cost
sensitivity); the crossover is the load at which the cheapest candidate meeting the targets changes.
"What would change the answer" is read off this search: a cheaper candidate held back by one target,
a pattern ruled out only by the team gate or the compute preference, a load crossover, and the cost
floor (`budget.floor_usd`) when no candidate meeting the targets fits the budget.

The fit criteria and cost profile below feed a soft score (base {BASE:g}) that is shown for context
only. Services AWS has retired (`end_of_support` in `data/eligibility.yaml`) never appear in a
pattern; the catalogue loader rejects a file that names them.

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
    sv = p.serves
    lines += [
        f"**Serves:** application types {', '.join(sv.application_types)}; interactions "
        f"{', '.join(sv.interactions)}; accelerators {', '.join(sv.accelerators)}; "
        f"media {', '.join(sv.media)}",
        "",
    ]
    if p.latency_floor:
        lf = p.latency_floor
        lines += [f"**Latency floor:** p95 {lf.p95_ms} ms — {lf.basis} (source: {lf.source})", ""]
    if p.team_gate:
        tg = p.team_gate
        lines += [
            f"**Team gate:** {tg.min_experience} AWS experience and a team of {tg.min_team_size}+ "
            f"(override: `--pattern {p.id}`) — {tg.why}",
            "",
        ]
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
            f"**Ranking cost profile:** floor {usd(cost.floor_usd, 0)}/month, "
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
