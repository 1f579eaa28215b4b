"""One money and line formatter: ``estimate`` and ``design`` print the same cost line identically.

The design of an example is written with ``design -o``; its template is then priced with ``estimate``.
The same line (a free-tier credit and a normal charge) must show the same quantity, unit price and monthly
amount on the terminal and in Markdown, and a credit is ``-$3.00`` (never ``$-3.00`` nor ``-$0.00``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cloudwright.cli import app
from cloudwright.units import line_cost, plain_usd, quantity, signed_usd, unit_price, usd

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "saas-startup.yaml"
CREDIT = "Free tier: CloudWatch dashboards (always free)"
CHARGE = "Customer managed key"
WIDE = {"COLUMNS": "400"}


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=WIDE)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("design")
    common = [str(EXAMPLE), "--free-tier", "always-free"]
    design_md = _run("design", *common, "-f", "markdown", "-o", str(out))
    design_table = _run("design", *common)
    template = str(out / "template.yaml")
    return {
        "design-markdown": design_md,
        "design-table": design_table,
        "estimate-markdown": _run("estimate", template, "--free-tier", "always-free", "-f", "markdown"),
        "estimate-table": _run("estimate", template, "--free-tier", "always-free"),
    }


def _cells(text: str, description: str, sep: str) -> list[str]:
    """The cells of the first table row whose line-item cell starts with ``description``."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.split(sep)]
        if any(c.startswith(description) for c in cells):
            return cells
    raise AssertionError(f"no row for {description!r}")


def _markdown_line(text: str, description: str, *, estimate: bool) -> tuple[str, str, str]:
    """(quantity with unit, unit price, monthly) of one line in a Markdown table."""
    cells = _cells(text, description, "|")
    i = next(n for n, c in enumerate(cells) if c.startswith(description))
    if estimate:  # | Resource | Line item | Quantity | Unit | Unit price | Monthly | …
        qty, unit, price, monthly = cells[i + 1 : i + 5]
        return f"{qty} {unit}", price, monthly
    qty, price, monthly = cells[i + 1 : i + 4]  # | Resource | Line item | Quantity | Unit price | Monthly | …
    return qty, price.split("/")[0], monthly


def _table_line(text: str, description: str, *, estimate: bool) -> tuple[str, str, str]:
    """(quantity with unit, unit price, monthly) of one line in a rich table."""
    cells = [c for c in _cells(text, description, "│") if c]
    i = next(n for n, c in enumerate(cells) if c.startswith(description))
    qty, price, monthly = cells[i + 1 : i + 4]
    return qty, price.split("/")[0], monthly


@pytest.mark.parametrize("description", [CREDIT, CHARGE])
def test_estimate_and_design_print_a_line_identically(outputs, description):
    md = _markdown_line(outputs["estimate-markdown"], description, estimate=True)
    assert _markdown_line(outputs["design-markdown"], description, estimate=False) == md
    table = _table_line(outputs["estimate-table"], description, estimate=True)
    assert _table_line(outputs["design-table"], description, estimate=False) == table
    assert md == table
    if description == CREDIT:
        assert md == ("-1 dashboards", "$3.00", "-$3.00")


def test_no_output_writes_a_sign_after_the_dollar(outputs):
    for name, text in outputs.items():
        assert "$-" not in text, name
        assert "-$0.00" not in text, name


def test_money_formats():
    assert usd(Decimal("-0.2")) == "-$0.20"
    assert usd(Decimal("-0.001")) == "$0.00"
    assert usd(Decimal("1234.5")) == "$1,234.50"
    assert usd(Decimal("4999.5"), 0) == "$5,000"
    assert usd(None) == "—"
    assert usd(Decimal("Infinity")) == "unknown"
    assert signed_usd(Decimal("1")) == "+$1.00"
    assert signed_usd(Decimal("-301.5")) == "-$301.50"
    assert signed_usd(Decimal("-0.004")) == "$0.00"
    assert plain_usd(Decimal("-1234.567")) == "-1234.57"
    assert plain_usd(Decimal("-0.001")) == "0.00"
    assert unit_price(Decimal("0.0000166667")) == "$0.0000166667"
    assert unit_price(Decimal("0.2600")) == "$0.26"
    assert unit_price(Decimal("32.4")) == "$32.40"
    assert quantity(Decimal("1234")) == "1,234"
    assert quantity(Decimal("0.95367")) == "0.9537"
    assert quantity(Decimal("-9.7656")) == "-9.7656"
    assert line_cost("usage-unknown", None) == "depends on usage"
    assert line_cost("price-unknown", None) == "price unknown"
    assert line_cost("priced", Decimal("-9")) == "-$9.00"


def test_one_owner_for_environments_free_tier_and_month_hours():
    import re

    from cloudwright.requirements import Environment
    from cloudwright.units import ENVIRONMENTS, FREE_TIER_CHOICES, HOURS_PER_MONTH, MONTH_HOURS

    assert tuple(e.value for e in Environment) == ENVIRONMENTS
    assert FREE_TIER_CHOICES == ("none", "always-free", "new-account")
    assert HOURS_PER_MONTH == MONTH_HOURS
    src = Path(__file__).resolve().parents[1] / "src" / "cloudwright"
    written: list[str] = []
    for path in sorted(src.rglob("*.py")):
        if path.name == "units.py":
            continue
        code = "\n".join(
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith("#")
        )
        if re.search(r"(?<![\w.])730(?![\w.])", re.sub(r'""".*?"""', "", code, flags=re.S)):
            written.append(f"{path.relative_to(src)}: 730")
        if re.search(r"""["']dev["'],\s*["']staging["'],\s*["']prod["']""", code):
            written.append(f"{path.relative_to(src)}: environments")
        if re.search(r"""["']always-free["'],\s*["']new-account["']""", code):
            written.append(f"{path.relative_to(src)}: free-tier choices")
    assert not written, written
