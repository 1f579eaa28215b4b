"""cloudwright: requirements → recommended pattern → sized resource graph → price → review → render/deploy.

The public API is curated here; heavy modules load on first use.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "Requirements": ("cloudwright.requirements", "Requirements"),
    "load_requirements": ("cloudwright.requirements", "load_requirements"),
    "requirements_from_mapping": ("cloudwright.requirements", "requirements_from_mapping"),
    "Design": ("cloudwright.design.model", "Design"),
    "Resource": ("cloudwright.design.model", "Resource"),
    "recommend": ("cloudwright.patterns.recommend", "recommend"),
    "load_patterns": ("cloudwright.patterns.catalog", "load_patterns"),
    "build_design": ("cloudwright.pipeline", "build_design"),
    "price_design": ("cloudwright.pricing.engine", "price_design"),
    "review_design": ("cloudwright.review.engine", "review_design"),
    "run_design": ("cloudwright.pipeline", "run_design"),
    "review_file": ("cloudwright.pipeline", "review_file"),
    "render_template": ("cloudwright.cfn.writer", "render_template"),
    "import_template": ("cloudwright.design.cfn_import", "import_template"),
    "CloudwrightError": ("cloudwright.errors", "CloudwrightError"),
    "InputError": ("cloudwright.errors", "InputError"),
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(name)
