"""Every requirements field is settable from ``cloudwright design``, with its help text, under the flag
generated from the model; the flags of earlier releases still work as hidden aliases."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

import click
import pytest
import typer
from annotated_types import Ge, Gt, Le
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from typer.testing import CliRunner

from budgets import examples
from cloudwright.cli import app
from cloudwright.commands.requirement_flags import LEGACY_FLAGS, _unwrap, overrides, requirement_flags
from cloudwright.requirements import Requirements, requirements_from_mapping


def _fields() -> list[tuple[str, Any]]:
    out = []
    for name, info in Requirements.model_fields.items():
        kind, _ = _unwrap(info.annotation)
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            out += [(f"{name}.{sub}", sub_info) for sub, sub_info in kind.model_fields.items()]
        else:
            out.append((name, info))
    return out


FIELDS = _fields()


def _flag(path: str) -> str:
    return "--" + path.replace(".", "-").replace("_", "-")


def _sample(info: Any) -> tuple[list[str], Any]:
    """CLI arguments for a value different from the field's default, and the value expected."""
    kind, many = _unwrap(info.annotation)
    default = info.get_default(call_default_factory=True)
    if isinstance(kind, type) and issubclass(kind, Enum):
        members = list(kind)
        if many:
            chosen = [m for m in members if m not in (default or ())][:2] or members[:1]
            return [",".join(m.value for m in chosen)], tuple(chosen)
        member = next(m for m in reversed(members) if m != default)
        return [member.value], member
    if many:  # allowed_regions: Region codes
        return ["eu-west-1", "eu-central-1"], ("eu-west-1", "eu-central-1")
    if kind is str:
        return (
            (["ap-southeast-2"], "ap-southeast-2")
            if "region" in (info.description or "").lower()
            else (
                ["flag-app"],
                "flag-app",
            )
        )
    lo = next(
        (float(m.ge if isinstance(m, Ge) else m.gt) for m in info.metadata if isinstance(m, Ge | Gt)), 0.0
    )
    hi = next((float(m.le) for m in info.metadata if isinstance(m, Le)), lo + 100)
    value = kind((lo + hi) / 2)
    if value == default:
        value = kind(value + 1)
    return [str(value)], value


def _command() -> Any:
    group: Any = typer.main.get_command(app)
    return group.commands["design"]


def test_the_model_has_the_fields_this_test_expects():
    assert len(FIELDS) >= 30  # 29 top-level fields + the 3 batch fields - batch itself


@pytest.mark.parametrize(("path", "info"), FIELDS, ids=[p for p, _ in FIELDS])
def test_every_requirement_field_is_a_flag_with_help(path, info):
    cmd = _command()
    options = {opt: p for p in cmd.params for opt in p.opts}
    assert _flag(path) in options, f"no flag for {path}"
    param = options[_flag(path)]
    assert param.help and (info.description or "").split(".")[0] in param.help
    assert not param.hidden
    args, expected = _sample(info)
    argv: list[str] = []
    for a in args:
        argv += [_flag(path), a]
    ctx = cmd.make_context("design", argv)
    req = requirements_from_mapping({}, overrides=overrides(ctx.params))
    block, _, sub = path.rpartition(".")
    got = getattr(getattr(req, block), sub) if block else getattr(req, path)
    assert got == expected, (path, got, expected)


@pytest.mark.parametrize(("old", "path"), sorted(LEGACY_FLAGS.items()))
def test_earlier_flag_names_still_work_hidden(old, path):
    cmd = _command()
    options = {opt: p for p in cmd.params for opt in p.opts}
    assert options[old].hidden
    info = dict(FIELDS)[path]
    args, expected = _sample(info)
    argv: list[str] = []
    for a in args:
        argv += [old, a]
    req = requirements_from_mapping({}, overrides=overrides(cmd.make_context("design", argv).params))
    block, _, sub = path.rpartition(".")
    assert (getattr(getattr(req, block), sub) if block else getattr(req, path)) == expected


def test_help_lists_the_generated_flags_and_hides_the_aliases():
    out = CliRunner().invoke(app, ["design", "--help"], env={"COLUMNS": "200"}).output
    for path, _ in FIELDS:
        assert _flag(path) in out, path
    assert not re.search(r"--users\b", out)
    assert len(requirement_flags()) == len(FIELDS) + len(LEGACY_FLAGS)


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["--expected-users", "abc"], "expected_users"),
        (["--aws-experience", "guru"], "aws_experience"),
        (["--availability-target", "120"], "availability_target"),
        (["--users", "5", "--expected-users", "6"], "--users"),
    ],
)
def test_a_bad_flag_value_exits_2_with_one_line(argv, field):
    result = CliRunner().invoke(app, ["design", *argv])
    assert result.exit_code == 2
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and field in lines[0], result.output


def test_a_deprecated_alias_warns_and_names_its_replacement(tmp_path):
    result = CliRunner().invoke(
        app,
        ["design", "--users", "500", "--rps", "2", "--budget", "300", "-f", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    for old, new in (("--users", "--expected-users"), ("--rps", "--requests-per-second")):
        assert f"warning: {old} is deprecated and will be removed; use {new}" in result.stderr
    assert "deprecated" not in result.stdout
    plain = CliRunner().invoke(app, ["design", "--expected-users", "500", "-f", "json"])
    assert "deprecated" not in plain.stderr


_FLAGS = [f for f in requirement_flags() if not f.hidden]


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picks=st.lists(
        st.tuples(
            st.sampled_from(_FLAGS),
            st.one_of(
                st.text(max_size=12),
                st.integers(-(10**18), 10**18).map(str),
                st.floats(allow_nan=True, allow_infinity=True).map(str),
                st.sampled_from(["us-east-1", "eu", "hipaa", "websocket", "gpu", "batch", "1e999", ""]),
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_flag_value_is_accepted_or_refused_with_an_input_error(picks):
    """Whatever text reaches the generated flags, the result is a Requirements or an InputError naming
    the field (the CLI prints it with exit 2) — never another exception, which would be a traceback."""
    from cloudwright.errors import InputError

    argv: list[str] = []
    for flag, value in picks:
        argv += [flag.flag, value]
    try:
        params = _command().make_context("design", argv).params
    except click.exceptions.ClickException:
        return  # e.g. a value that looks like an option: click's own one-line usage error, exit 2
    try:
        requirements_from_mapping({}, overrides=overrides(params))
    except InputError as exc:
        message = str(exc)
        named = {f.path.rpartition(".")[2] for f in _FLAGS} | {f.flag for f in _FLAGS}
        assert any(name in message for name in named), message  # names the field or flag it refuses
