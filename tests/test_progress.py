"""Progress: drawn on a terminal while a long step runs, a no-op otherwise (and never for JSON)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rich.console import Console

from cloudwright import progress


def test_steps_are_no_ops_unless_progress_is_shown() -> None:
    step = progress.task("anything", total=3)
    step.advance()
    step.done()
    with progress.shown(enabled=False):
        assert progress._current.get() is None
    with progress.shown():  # stderr is not a terminal under pytest
        assert progress._current.get() is None


def test_a_review_draws_its_steps_on_a_terminal() -> None:
    from cloudwright.design.model import Design, Resource
    from cloudwright.review.engine import review_design

    seen: list[str] = []
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=100)
    design = Design(resources=[Resource(logical_id="Web", type="AWS::EC2::Instance")])
    with progress.shown(console=console):
        live = progress._current.get()
        assert live is not None
        real_add = live.add_task

        def spy(description, **kwargs):
            seen.append(description)
            return real_add(description, **kwargs)

        live.add_task = spy
        review_design(design)
    assert seen == ["Running checks on 1 resources", "Pricing the fixes"]
    assert progress._current.get() is None


def test_json_output_shows_no_progress(tmp_path) -> None:
    from typer.testing import CliRunner

    from cloudwright.cli import app

    src = tmp_path / "t.yaml"
    src.write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["review", str(src), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.output.lstrip().startswith("{")


def _spy_tasks(monkeypatch, console: Console) -> list[str]:
    """Descriptions of the steps drawn while progress is shown on ``console``."""
    seen: list[str] = []
    real_shown = progress.shown

    @contextmanager
    def shown(enabled: bool = True, **kwargs: object) -> Iterator[None]:
        with real_shown(enabled, console=console):
            live = progress._current.get()
            if live is not None:
                real_add = live.add_task

                def spy(description, **kwargs):
                    seen.append(description)
                    return real_add(description, **kwargs)

                live.add_task = spy
            yield

    monkeypatch.setattr(progress, "shown", shown)
    return seen


def test_an_estimate_draws_its_steps_on_a_terminal(tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from cloudwright.cli import app

    src = tmp_path / "t.yaml"
    src.write_text(TEMPLATE, encoding="utf-8")
    seen = _spy_tasks(monkeypatch, Console(file=io.StringIO(), force_terminal=True, width=100))
    result = CliRunner().invoke(app, ["estimate", str(src)])
    assert result.exit_code == 0, result.output
    assert seen == ["Reading the template", "Pricing 2 resources", "Laying out the estimate (table)"]
    assert result.stdout.lstrip().startswith("Cost estimate: t")  # the steps are not in the output
    seen.clear()
    as_json = CliRunner().invoke(app, ["estimate", str(src), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert seen == [] and as_json.stdout.lstrip().startswith("{")


TEMPLATE = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n  Q:\n    Type: AWS::SQS::Queue\n"


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["estimate", "{t}"], [True]),
        (["estimate", "{t}", "-f", "markdown"], [True]),
        (["estimate", "{t}", "--format", "json"], [False]),
        (["review", "{t}"], [True]),
        (["review", "{t}", "--format", "json"], [False]),
        (["import", "{t}"], [True]),
        (["import", "{t}", "--json"], [False]),
        pytest.param(["validate", "{t}", "--no-checkov"], [True], marks=pytest.mark.slow),
        pytest.param(["validate", "{t}", "--no-checkov", "--json"], [False], marks=pytest.mark.slow),
        pytest.param(["deploy", "{t}", "--json"], [False], marks=pytest.mark.slow),
        pytest.param(["design", "{news}", "-o", "{out}"], [True], marks=pytest.mark.slow),
        pytest.param(["design", "{news}", "-o", "{out}", "-f", "json"], [False], marks=pytest.mark.slow),
    ],
)
def test_progress_is_shown_except_for_json_output(tmp_path, monkeypatch, args, shown) -> None:
    """Every long command turns progress on for the terminal, and off for JSON (the deploy's own status
    line too)."""
    from rich.console import Console as RichConsole
    from typer.testing import CliRunner

    from cloudwright.cli import app

    src = tmp_path / "t.yaml"
    src.write_text(TEMPLATE, encoding="utf-8")
    calls: list[bool] = []
    real_shown = progress.shown

    def record(enabled: bool = True, **kwargs):
        calls.append(enabled)
        return real_shown(enabled, **kwargs)

    monkeypatch.setattr(progress, "shown", record)
    statuses: list[str] = []
    real_status = RichConsole.status
    monkeypatch.setattr(
        RichConsole, "status", lambda self, text, **kw: statuses.append(text) or real_status(self, text, **kw)
    )
    news = Path(__file__).resolve().parents[1] / "examples" / "news-site.yaml"
    result = CliRunner().invoke(app, [a.format(t=src, news=news, out=tmp_path / "out") for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert calls == shown
    if "--json" in args or "json" in args:
        assert statuses == []
        assert result.stdout.lstrip().startswith(("{", "[")), result.stdout


@pytest.mark.slow
def test_a_deploy_shows_its_status_on_the_terminal_only(tmp_path, monkeypatch) -> None:
    from rich.console import Console as RichConsole
    from typer.testing import CliRunner

    from cloudwright.cli import app

    src = tmp_path / "t.yaml"
    src.write_text(TEMPLATE, encoding="utf-8")
    statuses: list[str] = []
    real_status = RichConsole.status
    monkeypatch.setattr(
        RichConsole, "status", lambda self, text, **kw: statuses.append(text) or real_status(self, text, **kw)
    )
    result = CliRunner().invoke(app, ["deploy", str(src), "--stack-name", "s"])
    assert result.exit_code == 0, result.output
    assert statuses == ["Checking what the emulator can create…", "Deploying s to emulator…"]


@pytest.mark.slow
def test_validate_draws_each_tool_as_a_step(tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from cloudwright.cli import app

    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for path in (a, b):
        path.write_text(TEMPLATE, encoding="utf-8")
    seen = _spy_tasks(monkeypatch, Console(file=io.StringIO(), force_terminal=True, width=100))
    result = CliRunner().invoke(app, ["validate", str(a), str(b), "--no-checkov"])
    assert result.exit_code == 0, result.output
    assert seen == [f"cfn-lint {a}", f"cfn-lint {b}"]
