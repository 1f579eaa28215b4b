"""Component builders, one concept per module, each declared with :func:`cloudwright.design.build.component`.

A pattern file lists components by id; :func:`cloudwright.design.build.load_components` imports every
module here and collects the builders.
"""
