"""OPS-ALARM-002: alarms that notify nobody."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.context import Outcome, ReviewContext
from cloudwright.review.registry import check


@check(
    id="OPS-ALARM-002",
    title="Every alarm notifies someone",
    severity="low",
    types=["AWS::CloudWatch::Alarm"],
    rationale="An alarm without actions changes state in the console and nobody hears it.",
    remediation="Set AlarmActions (and OKActions) to an SNS topic with a subscribed on-call channel.",
    references=["OPS08-BP04", "OPS10-BP02"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    for alarm in ctx.resources("AWS::CloudWatch::Alarm"):
        if alarm.prop("AlarmActions"):
            yield ctx.ok(alarm.logical_id)
        else:
            yield ctx.fail(alarm.logical_id, "no AlarmActions", "AlarmActions")
