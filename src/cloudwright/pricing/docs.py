"""Generate ``docs/usage-keys.md`` from the cost models' usage specs (the single declaration).

``python -m cloudwright.pricing.docs > docs/usage-keys.md``; a test keeps the page current.
"""

from __future__ import annotations

from cloudwright.pricing.coverage import FREE_TYPES
from cloudwright.pricing.registry import load_cost_models, topy
from cloudwright.pricing.usage import INFRACOST_NOT_APPLIED


def usage_keys_markdown() -> str:
    models = load_cost_models()
    out = [
        "# Usage keys",
        "",
        "Usage keys describe how much a resource is used. They live on `Resource.usage` in generated",
        "designs and in usage files (`cloudwright estimate --usage-file`; a template for a stack comes from",
        "`cloudwright usage template.yaml`).",
        "Names follow infracost's usage-file names where infracost has an equivalent. Figures are monthly",
        "unless the unit says otherwise. A missing key means *unknown*: the estimate then shows",
        '"depends on usage: $X per unit" for that line instead of pricing it at $0.',
        "",
        "This page is generated from the cost models (`python -m cloudwright.pricing.docs`).",
        "",
        "Design-wide: `data_transfer_out_gb` in `Design.assumptions` (internet egress, GB/month) is priced",
        "as the design-level line `DataTransferOut` (`AWS::DataTransfer::Internet`).",
        "",
    ]
    for cfn_type, model in models.items():
        kind = "usage-only" if model.usage_only else "priced"
        out.append(f"## {cfn_type}")
        out.append("")
        out.append(f"Cost model `cloudwright.pricing.resources.{topy(cfn_type)}` ({kind}). {model.doc}")
        out.append("")
        if model.usage:
            out.append("| Key | Unit | Description |")
            out.append("|---|---|---|")
            for u in model.usage:
                out.append(f"| `{u.key}` | {u.unit} | {u.description} |")
        else:
            out.append("No usage keys: priced from the resource's properties.")
        pending = INFRACOST_NOT_APPLIED.get(cfn_type)
        if pending:
            out.append("")
            out.append(
                "Accepted from infracost usage files but not applied yet (a value given shows a "
                "price-unknown line and the estimate is incomplete): "
                + ", ".join(f"`{k}`" for k in sorted(pending))
                + "."
            )
        out.append("")
    out.append("## Resource types with no charge of their own")
    out.append("")
    out.append(", ".join(f"`{t}`" for t in sorted(FREE_TYPES)))
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(usage_keys_markdown(), end="")
