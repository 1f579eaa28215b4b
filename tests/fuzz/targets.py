"""The fuzz targets: each runs one input through the CLI exactly as a user would and judges the result.

``KINDS`` maps a failure file's prefix (``tests/fuzz/failures/<kind>-<hash>.<ext>``) to its target, so a
stored failure replays through the same path that found it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from fuzz.harness import check_clean, check_design_json, check_estimate_json, invoke


def run_requirements(tmp: Path, text: str, suffix: str = ".yaml") -> int:
    path = tmp / f"requirements{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    args = ["design", str(path), "--format", "json"]
    result = invoke(args)
    check_clean(result, args)
    if result.exit_code == 0:
        check_design_json(result.stdout)
    return int(result.exit_code)


def _run_template(tmp: Path, text: str, suffix: str, command: str) -> int:
    path = tmp / f"template{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    if command == "estimate":
        args = ["estimate", str(path), "--format", "json"]
    elif command == "review":
        args = ["review", str(path), "--format", "json"]
    else:
        args = ["import", str(path), "--json"]
    result = invoke(args)
    check_clean(result, args)
    if result.exit_code == 0 and command == "estimate":
        check_estimate_json(json.loads(result.stdout))
    return int(result.exit_code)


def run_template_estimate(tmp: Path, text: str, suffix: str = ".yaml") -> int:
    return _run_template(tmp, text, suffix, "estimate")


def run_template_review(tmp: Path, text: str, suffix: str = ".yaml") -> int:
    return _run_template(tmp, text, suffix, "review")


def run_template_import(tmp: Path, text: str, suffix: str = ".yaml") -> int:
    return _run_template(tmp, text, suffix, "import")


def run_offer(tmp: Path, text: str, suffix: str = ".json") -> int:
    path = tmp / f"offer{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    home = tmp / "home"
    args = ["prices", "import", str(path), "--home", str(home)]
    result = invoke(args)
    check_clean(result, args)
    if result.exit_code == 0:
        root = (home / "prices" / "aws").resolve()
        written = [p for p in home.rglob("*") if p.is_file()]
        assert written, "an import that succeeds writes a file"
        for p in written:
            assert p.resolve().is_relative_to(root), p
            for row in json.loads(p.read_text(encoding="utf-8"))["rows"]:
                for tier in row["tiers"]:
                    assert float(tier["usd"]) >= 0 and float(tier["usd"]) != float("inf")
    return int(result.exit_code)


KINDS: dict[str, Callable[[Path, str, str], int]] = {
    "requirements": run_requirements,
    "template_estimate": run_template_estimate,
    "template_review": run_template_review,
    "template_import": run_template_import,
    "offer": run_offer,
}
