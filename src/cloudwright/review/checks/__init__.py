"""Logic checks, one module per check, grouped by pillar.

Collected by :func:`cloudwright.review.registry.load_checks`.
"""
