"""The cyclic collector is paused during a design search and restored afterwards."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from cloudwright.gcpause import paused_collection

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_nested_pauses_restore_the_collector() -> None:
    assert gc.isenabled()
    with paused_collection():
        assert not gc.isenabled()
        with paused_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block found it disabled: leaves it so
    assert gc.isenabled()


def test_restored_after_an_error() -> None:
    with pytest.raises(RuntimeError), paused_collection():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_left_disabled_when_the_caller_disabled_it() -> None:
    gc.disable()
    try:
        with paused_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_search_runs_paused_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    import cloudwright.design.build as build
    from cloudwright.pipeline import run_design
    from cloudwright.requirements import load_requirements

    seen: list[bool] = []
    real = build.build_design

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "build_design", spy)
    run_design(load_requirements(EXAMPLES / "saas-startup.yaml"))
    assert seen and not any(seen)
    assert gc.isenabled()


@pytest.mark.parametrize("example", ["dr-pilot-light", "global-saas", "order-microservices"])
def test_a_design_leaves_no_reference_cycles(example: str) -> None:
    """Everything a design search allocates is freed by reference counting as soon as it is dropped: no
    reference cycle is left for the collector (freeing a search's cyclic garbage cost a DR example's
    design about a quarter of its CPU). Fails when e.g. a recursive nested function closes over a design."""
    from cloudwright.pipeline import run_design
    from cloudwright.requirements import load_requirements

    req = load_requirements(EXAMPLES / f"{example}.yaml")
    run_design(req)  # first use: process-wide caches are filled
    gc.collect()
    gc.disable()
    try:
        for env in ("prod", "dev"):
            result = run_design(req, env)
            del result
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0
