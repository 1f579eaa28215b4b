"""cfn-lint and checkov results for the validator tests, cached on disk by template content.

The results of a tool on a template depend only on the template text, the tool's version and the code
that maps its output (``cloudwright/validate.py``): the cache key is a hash of all of them, so a changed
template, an upgraded tool or a changed mapping runs the tool again. A hit returns the findings stored
by an earlier run, which the tests judge exactly as they judge fresh ones; a broken template is a new
template, never a hit.

checkov is run once over every template that misses (its start-up costs seconds). The cache lives under
``.pytest_cache/cloudwright-validators`` (``CLOUDWRIGHT_VALIDATOR_CACHE`` moves it; ``pytest
--cache-clear`` or deleting the folder empties it). The product's own entry points (``validate_files``,
``external_findings``, ``cloudwright validate``) are tested uncached in tests/cfn/test_validate.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.metadata import version
from pathlib import Path

from cloudwright import validate
from cloudwright.review.registry import checkov_severities
from cloudwright.validate import ExternalFinding, checkov_directory, lint_template

ROOT = Path(__file__).resolve().parents[1]


def _dir() -> Path:
    where = os.environ.get("CLOUDWRIGHT_VALIDATOR_CACHE") or ROOT / ".pytest_cache" / "cloudwright-validators"
    path = Path(where)
    path.mkdir(parents=True, exist_ok=True)
    return path


@cache
def _salt(tool: str) -> bytes:
    package = "cfn-lint" if tool == "cfn-lint" else "checkov"
    return f"{tool}\0{version(package)}\0".encode() + Path(validate.__file__).read_bytes()


def _key(tool: str, *parts: str) -> str:
    h = hashlib.sha256(_salt(tool))
    for part in parts:
        h.update(b"\0" + part.encode("utf-8"))
    return h.hexdigest()


def _load(key: str) -> list[ExternalFinding] | None:
    path = _dir() / f"{key}.json"
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [ExternalFinding(**{**row, "path": tuple(row["path"])}) for row in rows]


def _store(key: str, findings: Sequence[ExternalFinding]) -> None:
    directory = _dir()
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")  # atomic: xdist workers share the folder
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump([f.to_dict() for f in findings], fh, sort_keys=True)
    os.replace(tmp, directory / f"{key}.json")


def lint(text: str, *, region: str = "us-east-1") -> list[ExternalFinding]:
    """``lint_template(text, regions=[region])``, cached by template, region and cfn-lint version."""
    key = _key("cfn-lint", region, text)
    found = _load(key)
    if found is None:
        found = lint_template(text, regions=[region])
        _store(key, found)
    return found


def checkov(files: Mapping[str, str]) -> dict[str, list[ExternalFinding]]:
    """``checkov_directory`` over files named ``name → text``, rated by the check registry's severities:
    findings per file name (every name is a key, with ``[]`` for a clean file). One checkov run covers
    every file not cached yet."""
    severities = checkov_severities()
    rating = json.dumps(dict(severities), sort_keys=True)
    keys = {name: _key("checkov", rating, name, text) for name, text in files.items()}
    out: dict[str, list[ExternalFinding]] = {}
    missing = []
    for name, key in keys.items():
        found = _load(key)
        if found is None:
            missing.append(name)
        else:
            out[name] = found
    if missing:
        with tempfile.TemporaryDirectory(prefix="cw-checkov-") as tmp:
            for name in missing:
                (Path(tmp) / name).write_text(files[name], encoding="utf-8")
            results = checkov_directory(tmp, severities=severities)
        for name in missing:
            out[name] = results.get(name, [])
            _store(keys[name], out[name])
    return {name: out[name] for name in sorted(out)}
