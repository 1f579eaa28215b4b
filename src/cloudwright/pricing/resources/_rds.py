"""RDS/Aurora helpers: engine families as the catalogue names them."""

from __future__ import annotations

OPEN_SOURCE_ENGINES = {"mysql", "postgres", "mariadb"}


def is_aurora(engine: str) -> bool:
    return engine.startswith("aurora")


def aurora_engine_name(engine: str) -> str:
    """Catalogue ``databaseEngine`` for an Aurora engine (only Aurora PostgreSQL figures are sourced)."""
    return "Aurora PostgreSQL" if engine == "aurora-postgresql" else "Aurora MySQL"


def engine_family(engine: str) -> str:
    return "open-source" if engine in OPEN_SOURCE_ENGINES else engine
