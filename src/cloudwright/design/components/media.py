"""Media building blocks a pattern adds when the requirements ask for media.

* ``live-streaming``: Amazon IVS low-latency channel for one-to-many live video: broadcasters send RTMPS to
  the channel's ingest endpoint, viewers play it with the IVS player. Sized from the hours streamed and the
  audience (:func:`cloudwright.design.sizing.live_stream_hours`).
* ``video-on-demand``: uploads to S3 → MediaConvert HLS ladder → the site's CloudFront.
* ``video-calls``: Kinesis Video Streams WebRTC signaling channels (peer-to-peer calls, managed STUN/TURN),
  sized from users, calls and call length (:func:`cloudwright.design.sizing.video_call_usage`).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, BuilderOptions, NoOptions, component
from cloudwright.design.components.lambdas import skip
from cloudwright.units import MONTH_SECONDS

SRC_IVS_CHANNEL_TYPES = "https://docs.aws.amazon.com/ivs/latest/LowLatencyUserGuide/channel-types.html"
SRC_KVS_WEBRTC = (
    "https://docs.aws.amazon.com/kinesisvideostreams-webrtc-dg/latest/devguide/kvswebrtc-how-it-works.html"
)


class LiveStreamingOptions(BuilderOptions):
    """Options of ``live-streaming``."""

    stream_hours_per_month: float = Field(sizing.LIVE_STREAM_HOURS, ge=0)
    """Hours broadcast a month in prod (assumption)."""
    live_viewer_share: float = Field(sizing.LIVE_VIEWER_SHARE, ge=0, le=1)
    """Share of the users who watch the live streams (assumption)."""


@component("live-streaming", options=LiveStreamingOptions, uses=["kms_key"])
def live_streaming(ctx: BuildContext, options: LiveStreamingOptions) -> None:
    """Amazon IVS low-latency channel sized from the hours streamed and the audience."""
    cid = "live-streaming"
    hours = sizing.live_stream_hours(
        ctx.requirements,
        ctx.load_factor,
        stream_hours=options.stream_hours_per_month,
        viewer_share=options.live_viewer_share,
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


def _rendition(height: int, width: int, kbps: int) -> dict[str, Any]:
    return {
        "NameModifier": f"_{height}p",
        "ContainerSettings": {"Container": "M3U8"},
        "VideoDescription": {
            "Width": width,
            "Height": height,
            "CodecSettings": {
                "Codec": "H_264",
                "H264Settings": {
                    "RateControlMode": "QVBR",
                    "MaxBitrate": kbps * 1000,
                    "SceneChangeDetect": "TRANSITION_DETECTION",
                },
            },
        },
        "AudioDescriptions": [
            {
                "CodecSettings": {
                    "Codec": "AAC",
                    "AacSettings": {"Bitrate": 96000, "CodingMode": "CODING_MODE_2_0", "SampleRate": 48000},
                }
            }
        ],
    }


def _job_settings() -> dict[str, Any]:
    """HLS ladder 1080p / 720p / 480p (H.264 QVBR + AAC) written under video/ of the content bucket."""
    return {
        "OutputGroups": [
            {
                "Name": "HLS",
                "OutputGroupSettings": {
                    "Type": "HLS_GROUP_SETTINGS",
                    "HlsGroupSettings": {
                        "Destination": "s3://${ContentBucket}/video/",
                        "SegmentLength": 6,
                        "MinSegmentLength": 0,
                    },
                },
                "Outputs": [
                    _rendition(1080, 1920, 6000),
                    _rendition(720, 1280, 3500),
                    _rendition(480, 854, 1500),
                ],
            }
        ],
        "Inputs": [{"AudioSelectors": {"Audio Selector 1": {"DefaultSelection": "DEFAULT"}}}],
    }


def _add_upload_bucket(ctx: BuildContext, cid: str) -> None:
    """The masters bucket (kept 90 days); every object created is an EventBridge event."""
    from cloudwright.design.components.storage import add_bucket

    add_bucket(
        ctx,
        "VideoUploadBucket",
        label="Video upload bucket (masters)",
        role="media-ingest",
        component_id=cid,
        rationale="Editors upload masters under uploads/; each upload starts a transcoding job. Masters "
        "are kept 90 days.",
        usage={
            "storage_gb": round(
                sizing.VOD_VIDEOS_PER_MONTH * sizing.VOD_MINUTES_PER_VIDEO * 60 * 20 / 8 / 1024 * 3, 3
            ),
            "monthly_tier_1_requests": 1000,
            "monthly_tier_2_requests": 1000,
            "monthly_data_transfer_out_gb": 0,
        },
        lifecycle=[
            {"Id": "expire-masters", "Status": "Enabled", "Prefix": "uploads/", "ExpirationInDays": 90}
        ],
    )
    ctx.design["VideoUploadBucket"].properties["NotificationConfiguration"] = {
        "EventBridgeConfiguration": {"EventBridgeEnabled": True}
    }


def _add_transcoding(ctx: BuildContext, cid: str, bucket: str, output_minutes: sizing.Decision) -> None:
    """MediaConvert's role (read masters, write renditions under ``video/`` of ``bucket``) and the HLS job
    template."""
    import json

    from cloudwright.design.components.lambdas import kms_statements, service_role_properties

    statements = [
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": {"Fn::Sub": "${VideoUploadBucket.Arn}/uploads/*"},
        },
        {
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": {"Fn::Sub": "${" + bucket + ".Arn}/video/*"},
        },
        *kms_statements(ctx, ["kms:Decrypt", "kms:GenerateDataKey"]),
    ]
    ctx.add(
        "MediaConvertRole",
        "AWS::IAM::Role",
        service_role_properties("mediaconvert.amazonaws.com", "transcode", statements),
        label="MediaConvert role",
        role="iam",
        component_id=cid,
        rationale="Read masters, write renditions under video/: nothing else.",
    )
    ctx.add(
        "VodJobTemplate",
        "AWS::MediaConvert::JobTemplate",
        {
            "Name": {"Fn::Sub": "${AWS::StackName}-hls"},
            "Description": "HLS ladder 1080p/720p/480p",
            "SettingsJson": {"Fn::Sub": json.dumps(_job_settings(), sort_keys=True)},
        },
        usage={"monthly_output_minutes": output_minutes.value},
        label="MediaConvert HLS job template",
        role="transcoding",
        component_id=cid,
        rationale="Adaptive bitrate HLS (3 renditions, QVBR) so each viewer gets the best quality their "
        "connection carries; on-demand queue, billed per output minute.",
        sizing=[output_minutes.note()],
    )


def _add_submit_function(ctx: BuildContext, cid: str) -> str:
    """The function that starts one MediaConvert job per upload, with a dead-letter queue for failures."""
    from cloudwright.design.components.lambdas import add_function

    # async invocations from EventBridge: failures after Lambda's retries are kept in this queue
    ctx.add(
        "VodSubmitDlq",
        "AWS::SQS::Queue",
        {"MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": True},
        usage={"monthly_requests": 100},
        label="Transcoding start failures (DLQ)",
        role="dead-letter queue",
        component_id=cid,
        attributes={
            "Metadata": skip(
                (
                    "CKV_AWS_27",
                    "Encrypted at rest with SQS managed keys (SqsManagedSseEnabled); it holds only failed "
                    "upload events (bucket and object names).",
                )
            )
        },
    )
    return add_function(
        ctx,
        "VodSubmitFunction",
        handler="vod_submit",
        label="Start transcoding",
        role="media-workflow",
        rationale="Starts one MediaConvert job per uploaded master.",
        statements=[
            {
                "Effect": "Allow",
                "Action": "mediaconvert:CreateJob",
                "Resource": [
                    {"Fn::GetAtt": ["VodJobTemplate", "Arn"]},
                    {
                        "Fn::Sub": "arn:${AWS::Partition}:mediaconvert:${AWS::Region}:${AWS::AccountId}:"
                        "queues/Default"
                    },
                ],
            },
            {
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": {"Fn::GetAtt": ["MediaConvertRole", "Arn"]},
            },
        ],
        environment={
            "MEDIACONVERT_ROLE": {"Fn::GetAtt": ["MediaConvertRole", "Arn"]},
            "JOB_TEMPLATE": {"Fn::GetAtt": ["VodJobTemplate", "Arn"]},
        },
        rps=sizing.VOD_VIDEOS_PER_MONTH / MONTH_SECONDS,
        duration_ms=500,
        memory_mb=128,
        timeout_s=30,
        invocation="async",
        dead_letter_queue="VodSubmitDlq",
        component_id=cid,
    )


def _add_upload_rule(ctx: BuildContext, cid: str, fn: str) -> None:
    """The EventBridge rule that runs ``fn`` for every master under ``uploads/``, and its permission."""
    from cloudwright.design.components.lambdas import function_arn

    ctx.add(
        "VideoUploadRule",
        "AWS::Events::Rule",
        {
            "Description": "A master lands under uploads/: start transcoding",
            "EventPattern": {
                "source": ["aws.s3"],
                "detail-type": ["Object Created"],
                "detail": {
                    "bucket": {"name": [{"Ref": "VideoUploadBucket"}]},
                    "object": {"key": [{"prefix": "uploads/"}]},
                },
            },
            "State": "ENABLED",
            "Targets": [{"Id": "submit", "Arn": function_arn(fn)}],
        },
        label="Upload rule (EventBridge)",
        role="media-workflow",
        component_id=cid,
    )
    ctx.add(
        "VodSubmitPermission",
        "AWS::Lambda::Permission",
        {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": fn},
            "Principal": "events.amazonaws.com",
            "SourceArn": {"Fn::GetAtt": ["VideoUploadRule", "Arn"]},
        },
        label="EventBridge may invoke the function",
        role="security",
        component_id=cid,
    )


def _add_viewer_egress(ctx: BuildContext, distribution: str, egress: sizing.Decision) -> None:
    """Add the video viewers' egress to the distribution's usage, with its sizing note."""
    res = ctx.design[distribution]
    key = "monthly_data_transfer_to_internet_gb"
    before = res.usage.get(key)
    res.usage[key] = round(
        (float(before or 0) if isinstance(before, int | float | str | None) else 0.0) + float(egress.value), 3
    )
    notes = res.metadata.get("sizing")
    if isinstance(notes, list):
        notes.append(egress.note())
    else:
        res.metadata["sizing"] = [egress.note()]


@component("video-on-demand", options=NoOptions, needs=["static_site"], uses=["kms_key"])
def video_on_demand(ctx: BuildContext, options: NoOptions) -> None:
    """Uploads to S3 → MediaConvert HLS ladder → the site's content bucket, served by its CloudFront."""
    cid = "video-on-demand"
    site = ctx.need(ctx.provided.static_site, "static_site")
    bucket, dist = site.bucket, site.distribution
    vod = sizing.vod_minutes(ctx.requirements, ctx.load_factor)
    _add_upload_bucket(ctx, cid)
    _add_transcoding(ctx, cid, bucket, vod["output_minutes"])
    fn = _add_submit_function(ctx, cid)
    _add_upload_rule(ctx, cid, fn)
    _add_viewer_egress(ctx, dist, vod["egress_gb"])
    ctx.connect("VideoUploadBucket", "VideoUploadRule", "event", "Object Created")
    ctx.connect("VideoUploadRule", fn, "event", "start job")
    ctx.connect(fn, "VodJobTemplate", "event", "CreateJob (asynchronous job)")
    ctx.connect("VodJobTemplate", bucket, "data", "HLS renditions")
    ctx.warn(
        "video-on-demand: MediaConvert prices are not in the built-in catalogue (price unknown); the viewer "
        "egress is priced on the CloudFront distribution"
    )


#: What callers may do on this stack's signaling channels: create, join, tear down, get TURN servers.
VIDEO_CALL_ACTIONS = (
    "kinesisvideo:ConnectAsMaster",
    "kinesisvideo:ConnectAsViewer",
    "kinesisvideo:CreateSignalingChannel",
    "kinesisvideo:DeleteSignalingChannel",
    "kinesisvideo:DescribeSignalingChannel",
    "kinesisvideo:GetIceServerConfig",
    "kinesisvideo:GetSignalingChannelEndpoint",
)
#: Signaling channels are named ``<stack>-call-N``.
CALL_CHANNEL_PREFIX = "${AWS::StackName}-call-"


def _calls_blocked(ctx: BuildContext) -> bool:
    """Warn and say so when the call service is not confirmed eligible for the compliance regimes."""
    from cloudwright.eligibility import MEDIA_SERVICES, ineligible

    blocked = ineligible(MEDIA_SERVICES["video_calls"], [str(c) for c in ctx.requirements.compliance])
    if blocked:
        ctx.warn(
            f"video-calls: not built: {', '.join(blocked)} is not confirmed eligible for "
            f"{', '.join(str(c) for c in ctx.requirements.compliance)} in data/eligibility.yaml; the calls "
            "need an eligible video service before they carry regulated data"
        )
    return bool(blocked)


def _add_call_channel(ctx: BuildContext, cid: str, use: dict[str, sizing.Decision]) -> None:
    ctx.add(
        "VideoCallChannel",
        "AWS::KinesisVideo::SignalingChannel",
        {
            "Name": {"Fn::Sub": CALL_CHANNEL_PREFIX + "0"},
            "Type": "SINGLE_MASTER",
            "MessageTtlSeconds": 60,
        },
        usage={
            "monthly_active_channels": use["channels"].value,
            "monthly_signaling_messages": use["messages"].value,
            "monthly_turn_minutes": use["turn_minutes"].value,
        },
        label="Video call signaling channel (KVS WebRTC)",
        role="video calls",
        tier="regional",
        component_id=cid,
        rationale="Peer-to-peer WebRTC calls: the clinician's app connects as master, the patient's as "
        "viewer; the channel relays only the offer/answer and ICE candidates, media flows directly "
        "between the peers (DTLS-SRTP encrypted) or through the managed TURN servers when no direct path "
        "exists. The first channel of the pool; the application creates the others (same prefix).",
        sizing=[
            use["calls"].note(),
            use["channels"].note(),
            use["messages"].note(),
            use["turn_minutes"].note(),
        ],
    )


def _add_call_policy(ctx: BuildContext, cid: str) -> None:
    channel_arn = (
        "arn:${AWS::Partition}:kinesisvideo:${AWS::Region}:${AWS::AccountId}:channel/"
        + CALL_CHANNEL_PREFIX
        + "*/*"
    )
    ctx.add(
        "VideoCallPolicy",
        "AWS::IAM::ManagedPolicy",
        {
            "Description": "Create, join and tear down this stack's video-call signaling channels",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": list(VIDEO_CALL_ACTIONS),
                        "Resource": {"Fn::Sub": channel_arn},
                    }
                ],
            },
        },
        label="Video call policy",
        role="iam",
        component_id=cid,
        rationale="Attach to the role whose temporary credentials the application hands to callers: only "
        "this stack's channels, only the signaling and TURN actions.",
    )


class VideoCallsOptions(BuilderOptions):
    """Options of ``video-calls``."""

    calls_per_user_per_month: float = Field(sizing.CALLS_PER_USER_PER_MONTH, ge=0)
    """Calls each user makes a month (assumption)."""
    call_minutes: float = Field(sizing.CALL_MINUTES, ge=0)
    """Length of a call in minutes (assumption)."""
    participants_per_call: int = Field(sizing.CALL_PARTICIPANTS, ge=2)
    """People on a call (a signaling channel has one master and at most 10 viewers)."""


@component("video-calls", options=VideoCallsOptions)
def video_calls(ctx: BuildContext, options: VideoCallsOptions) -> None:
    """Kinesis Video Streams WebRTC: one signaling channel per call in progress, a least-privilege policy."""
    cid = "video-calls"
    if _calls_blocked(ctx):
        return
    participants = options.participants_per_call
    use = sizing.video_call_usage(
        ctx.requirements,
        ctx.load_factor,
        calls_per_user=options.calls_per_user_per_month,
        call_minutes=options.call_minutes,
        participants=participants,
    )
    _add_call_channel(ctx, cid, use)
    _add_call_policy(ctx, cid)
    ctx.design.outputs.setdefault(
        "VideoCallChannelArn",
        {
            "Description": "First video-call signaling channel",
            "Value": {"Fn::GetAtt": ["VideoCallChannel", "Arn"]},
        },
    )
    ctx.design.outputs.setdefault(
        "VideoCallPolicyArn",
        {
            "Description": "Attach to the callers' role (temporary credentials)",
            "Value": {"Ref": "VideoCallPolicy"},
        },
    )
    ctx.connect("VideoCallPolicy", "VideoCallChannel", "data", "connect as master/viewer")
    if participants > 11:
        ctx.warn(
            f"video-calls: {participants} participants per call exceed one signaling channel (1 master + 10 "
            "viewers); group calls need an SFU such as the Amazon Chime SDK (meetings are created "
            "through its API, no CloudFormation type; price unknown in the built-in catalogue)"
        )
    ctx.warn(
        f"video-calls: the application creates up to {use['channels'].value:,} signaling channels named "
        "<stack>-call-N (CreateSignalingChannel) and reuses them; recordings are not built (add a "
        "KMS-encrypted AWS::KinesisVideo::Stream per recorded call if consultations must be kept)"
    )
