"""The design graph and the code that builds it."""

from cloudwright.design.model import Design, Edge, Placement, Resource

__all__ = ["Design", "Edge", "Placement", "Resource"]
