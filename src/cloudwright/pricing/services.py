"""Which catalogue rows a cost model can query: by service code, or by the CloudFormation type whose
cost model names the service codes it prices."""

from __future__ import annotations

from cloudwright.errors import InputError
from cloudwright.pricing.catalog import Catalog, PriceRow


def rows_for(what: str, region: str, catalog: Catalog) -> list[PriceRow]:
    """Rows for a service code, or the rows a CFN type's cost model can query (by service code)."""
    if "::" not in what:
        return [r for r in catalog.region_rows(region) if r.servicecode == what]
    from cloudwright.pricing.registry import load_cost_models, services_of

    if what not in load_cost_models():
        from cloudwright.pricing.coverage import classify

        raise InputError(
            f"{what} has no cost model (classification: {classify(what)})", field="type", value=what
        )
    services = set(services_of(what))  # declared with the cost model (``@cost_model(..., service=...)``)
    return [r for r in catalog.region_rows(region) if r.servicecode in services]
