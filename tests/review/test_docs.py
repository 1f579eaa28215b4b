"""The review's documentation lists every check and every compliance control."""

from __future__ import annotations

from pathlib import Path

from cloudwright.review.compliance import frameworks, load_framework
from cloudwright.review.registry import load_checks

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_check_is_documented() -> None:
    text = (DOCS / "checks.md").read_text(encoding="utf-8")
    missing = [cid for cid in load_checks() if f"| {cid} |" not in text]
    assert not missing, f"add to docs/checks.md: {missing}"


def test_every_compliance_control_is_documented() -> None:
    text = (DOCS / "compliance.md").read_text(encoding="utf-8")
    for name in frameworks():
        assert f"### {name}:" in text
        for c in load_framework(name)["controls"]:
            assert f"| {c['id']} |" in text, f"{name} {c['id']} missing from docs/compliance.md"


def test_the_dev_allow_list_is_documented() -> None:
    from cloudwright.review.allowlist import expected_findings

    text = (DOCS / "checks.md").read_text(encoding="utf-8")
    for cid, reason in expected_findings("dev").items():
        assert f"| {cid} | {reason} |" in text
