"""Builders declare a typed options model; a pattern's ``options:`` are checked against it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import cloudwright.design.build as build
from cloudwright.design.build import (
    NO_OPTIONS,
    BuilderOptions,
    NoOptions,
    build_design,
    check_catalogue,
    describe_options,
    load_components,
)
from cloudwright.errors import InputError
from cloudwright.patterns.catalog import load_patterns
from cloudwright.patterns.model import Pattern
from cloudwright.requirements import requirements_from_mapping


def _with_options(pattern_id: str, builder: str, options: dict[str, object]) -> dict[str, Pattern]:
    """The catalogue with one component's options replaced."""
    pattern = load_patterns()[pattern_id]
    components = [
        c.model_copy(update={"options": options}) if c.builder == builder else c for c in pattern.components
    ]
    return {**load_patterns(), pattern_id: pattern.model_copy(update={"components": components})}


def _typed() -> list[tuple[str, type[BuilderOptions]]]:
    return [(s.id, s.options) for s in load_components().values()]


def test_options_models_forbid_unknown_options_and_describe_every_field() -> None:
    for builder_id, model in _typed():
        assert issubclass(model, BuilderOptions), builder_id
        assert model.model_config.get("extra") == "forbid", builder_id
        for name, info in model.model_fields.items():
            assert info.description, f"{builder_id}: option {name} has no docstring"
        # the defaults are valid options
        assert model.model_validate({}) == model(), builder_id


def test_builders_without_options_share_the_empty_model() -> None:
    none = [s.id for s in load_components().values() if s.options is NoOptions]
    assert {"kms", "aurora", "waf"} <= set(none)
    assert load_components()["kms"].parse_options({}) is not None
    assert NoOptions() == NO_OPTIONS


def test_every_pattern_gives_its_builders_options_they_accept() -> None:
    check_catalogue(load_patterns())  # raises InputError naming the pattern and component otherwise
    for pattern in load_patterns().values():
        for comp in pattern.components:
            spec = load_components()[comp.builder]
            parsed = spec.parse_options(comp.options, pattern_id=pattern.id)
            assert isinstance(parsed, spec.options)
            assert parsed.model_dump(exclude_unset=True) == dict(comp.options), (pattern.id, comp.builder)


def test_an_unknown_option_names_the_pattern_component_option_and_what_is_allowed() -> None:
    with pytest.raises(InputError) as err:
        check_catalogue(_with_options("ha-ec2-web", "dns", {"routng": "latency"}))
    text = str(err.value)
    assert "pattern ha-ec2-web" in text and "component dns" in text
    assert "options.routng: unknown option" in text
    assert "routing: 'simple' | 'latency' | 'failover' = 'simple'" in text
    assert err.value.exit_code == 2


def test_an_ill_typed_option_is_a_clear_error() -> None:
    with pytest.raises(InputError) as err:
        check_catalogue(_with_options("ha-ec2-web", "rds", {"read_replicas": "many"}))
    assert err.value.field == "pattern ha-ec2-web: component rds options.read_replicas"
    assert err.value.value == "many"
    assert "'auto' | int = 'auto'" in str(err.value)
    with pytest.raises(InputError, match=r"options\.nat: .*'per-az', 'single' or 'none'"):
        check_catalogue(_with_options("ha-ec2-web", "network", {"nat": "sometimes"}))


def test_a_builder_without_options_refuses_any() -> None:
    with pytest.raises(InputError, match=r"component kms options\.size: unknown option .* takes no options"):
        check_catalogue(_with_options("well-architected-foundation", "kms", {"size": 1}))


def test_several_bad_options_are_listed_together() -> None:
    with pytest.raises(InputError) as err:
        check_catalogue(_with_options("ha-ec2-web", "security-groups", {"app_port": 0, "port": 1}))
    assert [p.field for p in err.value.problems] == [
        "pattern ha-ec2-web: component security-groups options.app_port",
        "pattern ha-ec2-web: component security-groups options.port",
    ]


def test_describe_options_spells_types_and_defaults() -> None:
    assert describe_options(load_components()["network"].options) == [
        "nat: 'per-az' | 'single' | 'none' | None = None",
        "kubernetes_tags: bool = False",
        "interface_endpoints: list[str] = []",
        "flow_logs: bool = True",
    ]


def test_the_builder_gets_its_typed_options() -> None:
    seen: list[object] = []
    spec = load_components()["dns"]
    original = spec.fn
    try:
        object.__setattr__(spec, "fn", lambda ctx, options: seen.append(options))
        build_design(requirements_from_mapping({"name": "shop"}), "ha-ec2-web", "dev")
    finally:
        object.__setattr__(spec, "fn", original)
    assert seen == [spec.options.model_validate({"routing": "failover"})]


def test_a_bad_option_stops_the_cli_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import cloudwright.patterns.catalog as catalog
    from cloudwright.cli import app

    patterns = _with_options("ha-ec2-web", "dns", {"routing": "weighted"})
    monkeypatch.setattr(catalog, "load_patterns", lambda: patterns)
    build._checked_catalogue.cache_clear()
    try:
        result = CliRunner().invoke(
            app, ["design", "--expected-users", "500", "--pattern", "ha-ec2-web", "-f", "json"]
        )
    finally:
        build._checked_catalogue.cache_clear()
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "component dns options.routing" in result.output


def test_every_declared_option_is_documented() -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        f"{builder_id}.{name}"
        for builder_id, model in _typed()
        for name in model.model_fields
        if f"| `{builder_id}` | `{name}` |" not in doc
    ]
    assert not missing, f"options missing from docs/architecture.md (Component options): {missing}"
