"""CloudWatch dashboard: per dashboard-month."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, cost_model
from cloudwright.pricing.resources._common import charge


@cost_model("AWS::CloudWatch::Dashboard", service="AmazonCloudWatch")
def dashboard(r: Resource, ctx: ModelContext) -> list[Charge]:
    """3 dashboards free under the always-free tier."""
    return [
        charge(
            "Dashboard",
            Decimal(1),
            "dashboards",
            ctx.q("AmazonCloudWatch", usagetype="re:(^|-)DashboardsUsageHour-Basic$"),
            pool="cloudwatch-dashboards",
        )
    ]
