"""Progress: drawn on a terminal while a long step runs, a no-op otherwise (and never for JSON)."""

from __future__ import annotations

import io

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
