"""Review a design: Well-Architected checks, compliance evidence, availability, quotas and fixes' costs.

Public API: :func:`review_design`, :func:`load_checks`, the renderers
(:func:`review_markdown`, :func:`review_html`, :func:`review_json`, :func:`review_sarif`) and the models
(:class:`Review`, :class:`Finding`). Modules load on first use.
"""

from __future__ import annotations

from typing import Any

_LAZY = {
    "review_design": ("cloudwright.review.engine", "review_design"),
    "load_checks": ("cloudwright.review.registry", "load_checks"),
    "review_markdown": ("cloudwright.review.render", "review_markdown"),
    "review_html": ("cloudwright.review.render", "review_html"),
    "review_json": ("cloudwright.review.render", "review_json"),
    "review_sarif": ("cloudwright.review.render", "review_sarif"),
    "Review": ("cloudwright.review.model", "Review"),
    "Finding": ("cloudwright.review.model", "Finding"),
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(name)
