"""Which catalogue rows a cost model can query: by service code, or by the CloudFormation type whose
cost model names the service codes it prices."""

from __future__ import annotations

from cloudwright.errors import InputError
from cloudwright.pricing.catalog import Catalog, PriceRow


def rows_for(what: str, region: str, catalog: Catalog) -> list[PriceRow]:
    """Rows for a service code, or the rows a CFN type's cost model can query (by service code)."""
    if "::" not in what:
        return [r for r in catalog.region_rows(region) if r.servicecode == what]
    from cloudwright.pricing.registry import load_cost_models

    model = load_cost_models().get(what)
    if model is None:
        from cloudwright.pricing.coverage import classify

        raise InputError(
            f"{what} has no cost model (classification: {classify(what)})", field="type", value=what
        )
    services = _services_of(model.module)
    return [r for r in catalog.region_rows(region) if r.servicecode in services]


def _services_of(module: str) -> set[str]:
    import importlib
    import inspect
    import re

    src = inspect.getsource(importlib.import_module(module))
    found = set(re.findall(r'q\(\s*"([A-Za-z0-9]+)"', src)) | set(re.findall(r'svc = "([A-Za-z0-9]+)"', src))
    helpers = {"_ec2": "AmazonEC2", "_elasticache": "AmazonElastiCache", "_dynamodb": "AmazonDynamoDB"}
    for name, svc in helpers.items():
        if f"resources.{name} import" in src:
            found.add(svc)
    return found
