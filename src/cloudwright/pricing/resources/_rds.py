"""RDS/Aurora helpers: engine families as the catalogue names them."""

from __future__ import annotations

OPEN_SOURCE_ENGINES = {"mysql", "postgres", "mariadb"}
#: Price List ``databaseEngine`` of the open-source engines (their instance prices differ by engine).
ENGINE_NAMES = {"mysql": "MySQL", "postgres": "PostgreSQL", "mariadb": "MariaDB"}


def is_aurora(engine: str) -> bool:
    return engine.startswith("aurora")


def aurora_engine_name(engine: str) -> str:
    """Catalogue ``databaseEngine`` for an Aurora engine (Aurora PostgreSQL or Aurora MySQL)."""
    return "Aurora PostgreSQL" if engine == "aurora-postgresql" else "Aurora MySQL"


def engine_family(engine: str) -> str:
    return "open-source" if engine in OPEN_SOURCE_ENGINES else engine


def instance_attrs(engine: str) -> dict[str, str]:
    """Catalogue attributes that pick an RDS (non-Aurora) instance row for ``engine``."""
    attrs = {"engineFamily": engine_family(engine), "deploymentOption": "Single-AZ"}
    if engine in ENGINE_NAMES:
        attrs["databaseEngine"] = ENGINE_NAMES[engine]
    return attrs
