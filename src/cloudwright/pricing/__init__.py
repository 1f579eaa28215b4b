"""Pricing: cost models per CloudFormation type, a dated and sourced price catalogue, and the engine.

Public entry points (imported lazily so ``cloudwright --help`` stays fast)::

    from cloudwright.pricing.engine import PricingOptions, price_design
    from cloudwright.pricing.usage import load_usage_file
    from cloudwright.pricing.pricebook import load_price_book

See docs/pricing.md.
"""
