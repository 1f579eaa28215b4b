"""Media building blocks a pattern adds when the requirements ask for media: the ``live-streaming`` builder.

Amazon IVS low-latency channel for one-to-many live video: broadcasters send RTMPS to the channel's
ingest endpoint, viewers play it with the IVS player. Sized from the hours streamed and the audience
(:func:`cloudwright.design.sizing.live_stream_hours`).
"""

from __future__ import annotations

from typing import Any

from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, component

SRC_IVS_CHANNEL_TYPES = "https://docs.aws.amazon.com/ivs/latest/LowLatencyUserGuide/channel-types.html"


@component("live-streaming")
def live_streaming(ctx: BuildContext, options: dict[str, Any]) -> None:
    """Options: ``stream_hours_per_month`` (default 60), ``live_viewer_share`` (default 0.1)."""
    cid = "live-streaming"
    hours = sizing.live_stream_hours(
        ctx.requirements,
        ctx.load_factor,
        stream_hours=float(options.get("stream_hours_per_month", sizing.LIVE_STREAM_HOURS)),
        viewer_share=float(options.get("live_viewer_share", sizing.LIVE_VIEWER_SHARE)),
    )
    ctx.add(
        "LiveChannel",
        "AWS::IVS::Channel",
        {
            "Name": {"Fn::Sub": "${AWS::StackName}-live"},
            "Type": "STANDARD",
            "LatencyMode": "LOW",
            "Authorized": False,
            "InsecureIngest": False,
        },
        usage={
            "monthly_input_hours": hours["input"].value,
            "monthly_output_hours": hours["output"].value,
        },
        label="IVS live channel (low latency)",
        role="live video",
        tier="regional",
        component_id=cid,
        rationale="Managed ingest, transcoding into an adaptive ladder and global delivery with 2-5 s "
        "latency; RTMPS ingest only. Playback is public: set Authorized and sign playback tokens for "
        "paid or private streams.",
        sizing=[
            hours["input"].note(),
            hours["output"].note(),
            {
                "rule": "channel type",
                "value": "STANDARD (transcoded ladder up to 1080p)",
                "source": SRC_IVS_CHANNEL_TYPES,
            },
        ],
    )
    ctx.design.outputs.setdefault(
        "LiveIngestEndpoint",
        {
            "Description": "RTMPS ingest host for the broadcaster",
            "Value": {"Fn::GetAtt": ["LiveChannel", "IngestEndpoint"]},
        },
    )
    ctx.design.outputs.setdefault(
        "LivePlaybackUrl",
        {
            "Description": "HLS playback URL for the IVS player",
            "Value": {"Fn::GetAtt": ["LiveChannel", "PlaybackUrl"]},
        },
    )
    ctx.warn(
        "live-streaming: create a stream key for LiveChannel (console or CreateStreamKey) and keep it out of "
        "the template; IVS prices are not in the built-in catalogue (price unknown): import the AmazonIVS "
        "offer file or add a price-book entry"
    )
