"""Validate CloudFormation with the ecosystem's own tools: cfn-lint and checkov.

Both tools' results are mapped into one shape, :class:`ExternalFinding` (``tool, rule_id, severity,
level, resource, path, message``), that the review folds into its report as "external findings" and
``cloudwright validate`` prints as one summary.

* cfn-lint runs in-process through ``cfnlint.api.lint`` (errors → level ``error``, warnings →
  ``warning``, informational → ``info``).
* checkov runs as a subprocess (``checkov -d <dir> -o json --framework cloudformation --skip-download``)
  once per directory of templates: its start-up cost (a few seconds) is paid once, however many templates
  are checked. A failed check is level ``error`` when its severity is high or critical — the severity
  checkov reports, else the highest severity of cloudwright's own checks that cover the same checkov id
  — and level ``warning`` otherwise (hygiene). Checks suppressed in the resource's
  ``Metadata.checkov.skip`` with a comment are reported with level ``suppressed`` and the comment.

Nothing here reaches the network: checkov is told not to download anything.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from cloudwright.errors import TemplateError

Level = Literal["error", "warning", "info", "suppressed"]
_LEVEL_SEVERITY = {"error": "high", "warning": "medium", "info": "info", "suppressed": "info"}


@dataclass(frozen=True)
class ExternalFinding:
    """One result of cfn-lint or checkov on a template."""

    tool: Literal["cfn-lint", "checkov"]
    rule_id: str
    #: Severity on the review's scale (critical|high|medium|low|info).
    severity: str
    #: ``error`` (must fix), ``warning``, ``info`` or ``suppressed`` (checkov skip with a written reason).
    level: Level
    #: Logical id of the resource, when the finding is about one.
    resource: str | None
    #: Path into the template, e.g. ``["Resources", "Bucket", "Properties", "BucketEncryption"]``.
    path: tuple[str, ...]
    message: str
    line: int | None = None
    file: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = list(self.path)
        return d


@dataclass
class ValidationReport:
    """All findings of both tools for one or more templates."""

    findings: list[ExternalFinding] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[ExternalFinding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[ExternalFinding]:
        return [f for f in self.findings if f.level == "warning"]

    @property
    def suppressed(self) -> list[ExternalFinding]:
        return [f for f in self.findings if f.level == "suppressed"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "tools": list(self.tools),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "suppressed": len(self.suppressed),
            "findings": [f.to_dict() for f in self.findings],
        }


def _sorted(findings: Iterable[ExternalFinding]) -> list[ExternalFinding]:
    order = {"error": 0, "warning": 1, "info": 2, "suppressed": 3}
    return sorted(
        findings,
        key=lambda f: (f.file or "", order[f.level], f.tool, f.resource or "", f.rule_id, f.path, f.message),
    )


# --------------------------------------------------------------------------------------------------
# cfn-lint
# --------------------------------------------------------------------------------------------------
def lint_template(
    text: str, *, regions: Sequence[str] = ("us-east-1",), file: str | None = None
) -> list[ExternalFinding]:
    """Run cfn-lint on template text; every match becomes a finding."""
    from cfnlint.api import lint

    matches = lint(text, regions=list(regions))
    out: list[ExternalFinding] = []
    for m in matches:
        sev = str(getattr(m.rule, "severity", "error")).lower()
        level: Level = "error" if sev == "error" else "warning" if sev == "warning" else "info"
        path = tuple(str(p) for p in (getattr(m, "path", None) or []))
        resource = path[1] if len(path) > 1 and path[0] == "Resources" else None
        out.append(
            ExternalFinding(
                tool="cfn-lint",
                rule_id=str(m.rule.id),
                severity=_LEVEL_SEVERITY[level],
                level=level,
                resource=resource,
                path=path,
                message=str(m.message),
                line=getattr(m, "linenumber", None),
                file=file,
            )
        )
    return _sorted(out)


# --------------------------------------------------------------------------------------------------
# checkov
# --------------------------------------------------------------------------------------------------
def _checkov_command() -> list[str]:
    local = Path(sys.executable).parent / "checkov"
    if local.exists():
        return [str(local)]
    found = shutil.which("checkov")
    if found:
        return [found]
    return [sys.executable, "-m", "checkov.main"]


def checkov_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("checkov") is not None


def checkov_directory(
    directory: str | Path, *, severities: Mapping[str, str] | None = None
) -> dict[str, list[ExternalFinding]]:
    """Run checkov once over every template in a directory; findings keyed by file name.

    ``severities`` (checkov id → severity) rates the checks checkov reports without a severity of their
    own; the review's check registry provides it (:func:`cloudwright.review.registry.checkov_severities`).
    """
    directory = Path(directory)
    cmd = [
        *_checkov_command(),
        "-d",
        str(directory),
        "-o",
        "json",
        "--framework",
        "cloudformation",
        "--skip-download",
        "--skip-results-upload",
        "--compact",
    ]
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE", CHECKOV_NO_OUTPUT_COLOR="1", LOG_LEVEL="ERROR")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TemplateError(f"checkov could not run: {exc}") from None
    try:
        payload = json.loads(proc.stdout) if proc.stdout.strip() else {}
    except json.JSONDecodeError:
        raise TemplateError(
            f"checkov gave no JSON result: {(proc.stderr or proc.stdout).strip()[:300]}"
        ) from None
    reports = payload if isinstance(payload, list) else [payload]
    out: dict[str, list[ExternalFinding]] = {}
    for report in reports:
        if not isinstance(report, dict) or report.get("check_type", "cloudformation") != "cloudformation":
            continue
        results = report.get("results") or {}
        for key, level in (("failed_checks", "error"), ("skipped_checks", "suppressed")):
            for item in results.get(key) or []:
                finding = _checkov_finding(item, level, directory, severities)  # type: ignore[arg-type]
                out.setdefault(finding.file or "", []).append(finding)
    return {k: _sorted(v) for k, v in sorted(out.items())}


def _checkov_finding(
    item: dict[str, Any], level: Level, directory: Path, severities: Mapping[str, str] | None = None
) -> ExternalFinding:
    resource_ref = str(item.get("resource") or "")
    logical_id = resource_ref.rsplit(".", 1)[-1] if "." in resource_ref else (resource_ref or None)
    abs_path = item.get("file_abs_path") or item.get("file_path") or ""
    try:
        rel = str(Path(abs_path).resolve().relative_to(directory.resolve()))
    except ValueError:
        rel = str(item.get("file_path") or "").lstrip("/")
    result = item.get("check_result") or {}
    keys = result.get("evaluated_keys") or []
    path: tuple[str, ...] = ("Resources", logical_id) if logical_id else ()
    if keys and logical_id:
        path = path + tuple(str(keys[0]).split("/"))
    message = str(item.get("check_name") or "")
    if level == "suppressed":
        message = f"{message} — suppressed: {result.get('suppress_comment') or 'no reason given'}"
    lines = item.get("file_line_range") or [None]
    rule_id = str(item.get("check_id"))
    reported = item.get("severity")
    severity = str(reported).lower() if reported else checkov_severity(rule_id, severities)
    if level == "error" and severity not in ("high", "critical"):
        level = "warning"
    return ExternalFinding(
        tool="checkov",
        rule_id=rule_id,
        severity=severity if level != "suppressed" else "info",
        level=level,
        resource=logical_id,
        path=path,
        message=message,
        line=lines[0] if isinstance(lines, list) and lines else None,
        file=rel,
    )


def checkov_severity(rule_id: str, severities: Mapping[str, str] | None = None) -> str:
    """Severity of a checkov check without one of its own (offline checkov reports none): its entry in
    ``severities`` (the highest severity of cloudwright's checks that name it), else ``low`` (hygiene)."""
    return (severities or {}).get(rule_id.upper(), "low")


def checkov_template(
    text: str, *, filename: str = "template.yaml", severities: Mapping[str, str] | None = None
) -> list[ExternalFinding]:
    """Run checkov on one template's text."""
    with tempfile.TemporaryDirectory(prefix="cloudwright-checkov-") as tmp:
        (Path(tmp) / filename).write_text(text, encoding="utf-8")
        return checkov_directory(tmp, severities=severities).get(filename, [])


# --------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------
def external_findings(
    template_text: str,
    *,
    checkov: bool = True,
    regions: Sequence[str] = ("us-east-1",),
    severities: Mapping[str, str] | None = None,
) -> list[ExternalFinding]:
    """cfn-lint (and checkov) findings for one rendered template — what the review folds in."""
    findings = lint_template(template_text, regions=regions)
    if checkov and checkov_available():
        findings += checkov_template(template_text, severities=severities)
    return _sorted(findings)


def _region_of(text: str) -> str | None:
    try:
        from cloudwright.design.cfn_import import parse_template

        meta = parse_template(text).get("Metadata") or {}
        region = (meta.get("cloudwright") or {}).get("region") if isinstance(meta, dict) else None
        return str(region) if region else None
    except Exception:
        return None


def validate_files(
    paths: Sequence[str | Path],
    *,
    checkov: bool = True,
    progress: Callable[[str], None] | None = None,
    severities: Mapping[str, str] | None = None,
) -> ValidationReport:
    """Validate template files: cfn-lint on each (in its region), checkov once over all of them.
    ``progress`` is told what runs next; each step is also a :func:`cloudwright.progress.task` (the CLI
    shows them on the terminal). ``severities`` rates checkov's checks as in :func:`checkov_directory`."""
    from cloudwright import progress as steps

    report = ValidationReport(tools=["cfn-lint", *(["checkov"] if checkov else [])])
    texts: dict[str, str] = {}
    from cloudwright.inputs import check_aliases, read_input

    for p in paths:
        path = Path(p)
        texts[str(path)] = read_input(path, what="template", field="template")
        check_aliases(texts[str(path)], source=str(path), field="template")
    names: dict[str, str] = {}
    for i, (name, text) in enumerate(texts.items()):
        if progress is not None:
            progress(f"cfn-lint {name}")
        with steps.task(f"cfn-lint {name}"):
            region = _region_of(text) or "us-east-1"
            report.findings += lint_template(text, regions=[region], file=name)
        names[f"t{i:03d}{Path(name).suffix or '.yaml'}"] = name
    if checkov and texts:
        if not checkov_available():
            raise TemplateError("checkov is not installed (pip install checkov), or run with --no-checkov")
        if progress is not None:
            progress(f"checkov over {len(texts)} template(s) (takes a few seconds)")
        with (
            steps.task(f"checkov over {len(texts)} template(s)"),
            tempfile.TemporaryDirectory(prefix="cloudwright-checkov-") as tmp,
        ):
            for tmpname, name in names.items():
                (Path(tmp) / tmpname).write_text(texts[name], encoding="utf-8")
            for tmpname, items in checkov_directory(tmp, severities=severities).items():
                original = names.get(tmpname, tmpname)
                report.findings += [ExternalFinding(**{**f.__dict__, "file": original}) for f in items]
    report.findings = _sorted(report.findings)
    return report
