"""CloudWatch alarm: standard or high-resolution (Period below 60 s)."""

from __future__ import annotations

from decimal import Decimal

from cloudwright.design.model import Resource, list_or_empty
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, cost_model
from cloudwright.pricing.resources._common import charge, num


@cost_model("AWS::CloudWatch::Alarm", service="AmazonCloudWatch")
def alarm(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Metric-math alarms (Metrics) are priced per metric referenced."""
    period = num(ctx, r.prop("Period"), 60) or Decimal(60)
    metrics = r.prop("Metrics")
    count = (
        Decimal(sum(1 for m in list_or_empty(metrics) if isinstance(m, dict) and m.get("MetricStat")))
        if metrics
        else Decimal(1)
    )
    high = period < 60
    return [
        charge(
            ("High-resolution" if high else "Standard")
            + " alarm"
            + (f" ({count} metrics)" if count != 1 else ""),
            max(count, Decimal(1)),
            "alarm-metrics",
            ctx.q(
                "AmazonCloudWatch",
                usagetype="re:(^|-)CW:HighResAlarmMonitorUsage$" if high else "re:(^|-)CW:AlarmMonitorUsage$",
            ),
            pool=None if high else "cloudwatch-alarms",
        )
    ]
