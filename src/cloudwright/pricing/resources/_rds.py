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


#: Price List ``licenseModel`` for CloudFormation ``LicenseModel`` values.
LICENSE_NAMES = {"license-included": "License included", "bring-your-own-license": "Bring your own license"}
#: Licence model when ``LicenseModel`` is not set: RDS for SQL Server is offered licence-included only.
#: Other commercial engines (Oracle) offer more than one, so an unset LicenseModel leaves the price unknown.
DEFAULT_LICENSE = {
    e: "License included" for e in ("sqlserver-ex", "sqlserver-web", "sqlserver-se", "sqlserver-ee")
}


def is_commercial(engine: str) -> bool:
    return not is_aurora(engine) and engine not in OPEN_SOURCE_ENGINES


def license_model(engine: str, license_prop: str | None) -> str:
    """Catalogue ``licenseModel`` of a commercial engine; ``not set`` matches no row."""
    if license_prop:
        return LICENSE_NAMES.get(license_prop.lower(), license_prop)
    return DEFAULT_LICENSE.get(engine, "not set")


def instance_attrs(engine: str, license_prop: str | None = None, multi_az: bool = False) -> dict[str, str]:
    """Catalogue attributes that pick an RDS (non-Aurora) instance row for ``engine``.

    Open-source engines are priced from the Single-AZ row (Multi-AZ bills two instances); commercial
    engines ask for their licence model and their own Multi-AZ row (none is in the built-in catalogue).
    """
    attrs = {"engineFamily": engine_family(engine), "deploymentOption": "Single-AZ"}
    if engine in ENGINE_NAMES:
        attrs["databaseEngine"] = ENGINE_NAMES[engine]
    if is_commercial(engine):
        attrs["licenseModel"] = license_model(engine, license_prop)
        if multi_az:
            attrs["deploymentOption"] = "Multi-AZ"
    return attrs
