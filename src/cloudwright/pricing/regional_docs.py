"""Generate the Region coverage matrix in ``docs/pricing.md`` from the built-in price data.

``python -m cloudwright.pricing.regional_docs docs/pricing.md`` rewrites the block between the
``<!-- coverage:begin -->`` and ``<!-- coverage:end -->`` markers; a test keeps it current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cloudwright.pricing.catalog import builtin_region_rows, builtin_rows, regional_regions, regional_rows

BEGIN = "<!-- coverage:begin -->"
END = "<!-- coverage:end -->"

#: The Regions every pattern is designed and priced in by the test suite.
TEST_REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-central-1",
    "eu-north-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "ap-south-1",
    "ca-central-1",
    "sa-east-1",
)

#: Matrix columns: (label, service code, product family) of the regional tables.
COLUMNS = (
    ("EC2 instances (Linux)", "AmazonEC2", "Compute Instance"),
    ("ElastiCache nodes", "AmazonElastiCache", "Cache Instance"),
    ("RDS / Aurora instances", "AmazonRDS", "Database Instance"),
    ("Lambda", "AWSLambda", "Serverless"),
    ("Data transfer", "AWSDataTransfer", "Data Transfer"),
    ("Step Functions Standard", "AmazonStates", "AWS Step Functions"),
)


def _cell(region: str, service: str, family: str) -> str:
    rows = [r for r in regional_rows(region) if r.servicecode == service and r.product_family == family]
    if not rows:
        return "—"
    dates = sorted({r.effective_date for r in rows})
    span = dates[0] if len(dates) == 1 else f"{dates[0]} … {dates[-1]}"
    return f"{span} ({len(rows)})"


def _other(region: str) -> str:
    main = {(svc, fam) for _, svc, fam in COLUMNS}
    by: dict[str, list[str]] = {}
    for r in regional_rows(region):
        if (r.servicecode, r.product_family) not in main:
            by.setdefault(r.servicecode, []).append(r.effective_date)
    if not by:
        return "—"
    return "; ".join(f"{svc}: {len(d)}, {min(d)}" for svc, d in sorted(by.items()))


def coverage_markdown() -> str:
    snapshot, date = builtin_rows()
    out = [
        "Built-in regional tables (`src/cloudwright/data/prices/regional/<region>.csv`). Each cell gives "
        "the source date(s) and the number of price rows; `—` means no built-in source. *Other* lists "
        "single-Region datapoints (service: rows, date).",
        "",
        "| Region | " + " | ".join(c[0] for c in COLUMNS) + " | Other |",
        "|---|" + "---|" * (len(COLUMNS) + 1),
    ]
    for region in regional_regions():
        cells = [_cell(region, svc, fam) for _, svc, fam in COLUMNS] + [_other(region)]
        mark = " (test Region)" if region in TEST_REGIONS else ""
        out.append(f"| {region}{mark} | " + " | ".join(cells) + " |")
    us = sorted({r.servicecode for r in snapshot})
    out += [
        "",
        f"us-east-1 also has the curated snapshot of {date} ({len(snapshot)} rows, {len(us)} services: "
        + ", ".join(us)
        + ").",
        "",
        "### Remaining gaps in the test Regions",
        "",
        "Services the us-east-1 snapshot prices but the built-in data has no source for in that Region. "
        'Their lines say "no price for <region> in the built-in catalogue" and are listed in the '
        "estimate's `unpriced[]`; the command fetches them from the AWS Price List:",
        "",
    ]
    families = sorted({(r.servicecode, r.product_family) for r in snapshot})
    gaps: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for region in TEST_REGIONS:
        have = {(r.servicecode, r.product_family) for r in builtin_region_rows(region)}
        missing = tuple(f for f in families if f not in have)
        if missing:
            gaps.setdefault(missing, []).append(region)
    for missing, regions in gaps.items():
        by_service: dict[str, list[str]] = {}
        for svc, fam in missing:
            by_service.setdefault(svc, []).append(fam or "all")
        out.append(
            f"**{', '.join(regions)}** lack: "
            + "; ".join(f"{s} ({', '.join(f)})" for s, f in by_service.items())
            + "."
        )
        out.append("")
        flags = " ".join(f"--service {s}" for s in by_service)
        for region in regions:
            out.append(f"- `cloudwright prices fetch --region {region} {flags}`")
        out.append("")
    out.append("")
    return "\n".join(out)


def rewrite(text: str) -> str:
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{coverage_markdown()}{END}{tail}"


if __name__ == "__main__":  # pragma: no cover
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/pricing.md")
    path.write_text(rewrite(path.read_text(encoding="utf-8")), encoding="utf-8")
