"""Kinesis Video Streams with WebRTC: active signaling channels, signaling messages and TURN minutes."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey(
        "monthly_active_channels",
        "channels",
        "Signaling channels with any activity in the month (the pool the application reuses)",
    ),
    UsageKey("monthly_signaling_messages", "messages/month", "Signaling messages (offers, answers, ICE)"),
    UsageKey("monthly_turn_minutes", "minutes/month", "Participant-minutes relayed through TURN"),
)


@cost_model("AWS::KinesisVideo::SignalingChannel", service="AmazonKinesisVideo", usage=USAGE, usage_only=True)
def signaling_channel(r: Resource, ctx: ModelContext) -> list[Charge]:
    """Per active channel-month, per signaling message and per TURN streaming minute."""
    svc = "AmazonKinesisVideo"
    return [
        charge(
            "Active signaling channels",
            ctx.num("monthly_active_channels"),
            "channel-months",
            ctx.q(svc, usagetype="re:(^|-)WebRTC-ActiveChannels$"),
            "monthly_active_channels",
        ),
        charge(
            "Signaling messages",
            ctx.num("monthly_signaling_messages"),
            "messages",
            ctx.q(svc, usagetype="re:(^|-)WebRTC-SignalingMessages$"),
            "monthly_signaling_messages",
        ),
        charge(
            "TURN streaming minutes",
            ctx.num("monthly_turn_minutes"),
            "minutes",
            ctx.q(svc, usagetype="re:(^|-)WebRTC-TURNMinutes$"),
            "monthly_turn_minutes",
        ),
    ]
