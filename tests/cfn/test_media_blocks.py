"""Media building blocks: built only when the requirements ask for that media, and their templates pass
the same validators as the patterns (cfn-lint, checkov, the emulator)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cloudwright.cfn.writer import render_templates
from cloudwright.deploy.emulator import EmulatorTarget
from cloudwright.design.build import build_design
from cloudwright.requirements import requirements_from_mapping
from cloudwright.review.registry import checkov_severities
from cloudwright.validate import checkov_directory, lint_template

BASE = {
    "name": "media",
    "application_type": "content_site",
    "expected_users": 50000,
    "signed_in_share_percent": 0,
    "requests_per_second": 5,
}


def _media(media: str, env: str = "prod"):
    return build_design(requirements_from_mapping({**BASE, "media": media}), "content-site", env)


def _live(env: str = "prod"):
    return _media("live_streaming", env)


def test_live_streaming_adds_an_ivs_channel_only_when_asked():
    assert "AWS::IVS::Channel" in _live().types()
    plain = build_design(requirements_from_mapping(BASE), "content-site", "prod")
    assert "AWS::IVS::Channel" not in plain.types()
    usage = _live().get("LiveChannel").usage
    assert usage["monthly_input_hours"] == 60 and usage["monthly_output_hours"] == 150000


def test_video_on_demand_transcodes_uploads_and_serves_from_the_site_cdn():
    d = _media("video_on_demand")
    assert {"AWS::MediaConvert::JobTemplate", "AWS::Events::Rule", "AWS::Lambda::Function"} <= set(d.types())
    assert "AWS::IVS::Channel" not in d.types()
    plain = build_design(requirements_from_mapping(BASE), "content-site", "prod")
    gb = "monthly_data_transfer_to_internet_gb"
    assert d.get("ContentDistribution").usage[gb] > plain.get("ContentDistribution").usage[gb]
    assert d.get("VodJobTemplate").usage["monthly_output_minutes"] == 600


@pytest.mark.slow
def test_media_templates_are_clean_and_deploy(tmp_path: Path):
    """Both media blocks × dev/prod: cfn-lint and the emulator per template, checkov once over all."""
    for media in ("live_streaming", "video_on_demand"):
        for env in ("dev", "prod"):
            for name, text in render_templates(_media(media, env)).items():
                findings = [
                    f for f in lint_template(text, regions=["us-east-1"]) if f.level in ("error", "warning")
                ]
                assert findings == [], (media, env, findings)
                (tmp_path / f"{media}--{env}--{name}").write_text(text)
                target = EmulatorTarget(yaml.safe_load(text)["Metadata"]["cloudwright"]["region"])
                try:
                    result = target.deploy(text, f"media-{env}")
                finally:
                    target.close()
                assert result.ok, (media, env, result.failures)
    failed = [
        f
        for fs in checkov_directory(tmp_path, severities=checkov_severities()).values()
        for f in fs
        if f.level == "error"
    ]
    assert failed == []


CALLS = {
    "name": "clinic",
    "application_type": "web_application",
    "expected_users": 50000,
    "requests_per_second": 20,
    "media": "video_calls",
}


def _calls(pattern: str = "serverless-web", env: str = "prod", **extra):
    return build_design(requirements_from_mapping({**CALLS, **extra}), pattern, env)


def test_video_calls_add_a_signaling_channel_sized_from_the_calls():
    d = _calls()
    assert {"AWS::KinesisVideo::SignalingChannel", "AWS::IAM::ManagedPolicy"} <= set(d.types())
    plain = build_design(requirements_from_mapping({**CALLS, "media": "none"}), "serverless-web", "prod")
    assert "AWS::KinesisVideo::SignalingChannel" not in plain.types()
    usage = d.get("VideoCallChannel").usage
    # 50,000 calls × 20 min = 1,000,000 call-minutes ÷ 43,800 min = 22.8 average × peak ratio 3 → 69
    assert usage["monthly_active_channels"] == 69
    assert usage["monthly_signaling_messages"] == 50000 * 2 * 30
    assert usage["monthly_turn_minutes"] == 1_000_000 * 2 * 0.2
    # the load doubles: twice the calls, twice the channels at peak (ceil)
    doubled = _calls(expected_users=100000).get("VideoCallChannel").usage
    assert doubled["monthly_active_channels"] == 137
    policy = d.get("VideoCallPolicy").properties["PolicyDocument"]["Statement"][0]
    assert "${AWS::StackName}-call-" in policy["Resource"]["Fn::Sub"] and "*" not in policy["Action"]


def test_video_calls_are_left_out_under_hipaa_until_the_service_is_confirmed_eligible():
    d = _calls(compliance=["HIPAA"])
    assert "AWS::KinesisVideo::SignalingChannel" not in d.types()
    assert any("video-calls: not built" in w for w in d.warnings)


@pytest.mark.slow
def test_video_call_templates_are_clean_and_deploy(tmp_path: Path):
    """The video-calls block on a serverless and a container pattern × dev/prod: cfn-lint, the emulator
    (which has no Kinesis Video Streams: the channel is skipped there) and checkov."""
    for pattern in ("serverless-web", "three-tier-fargate"):
        for env in ("dev", "prod"):
            for name, text in render_templates(_calls(pattern, env)).items():
                findings = [
                    f for f in lint_template(text, regions=["us-east-1"]) if f.level in ("error", "warning")
                ]
                assert findings == [], (pattern, env, findings)
                (tmp_path / f"{pattern}--{env}--{name}").write_text(text)
                target = EmulatorTarget(yaml.safe_load(text)["Metadata"]["cloudwright"]["region"])
                try:
                    result = target.deploy(text, f"calls-{env}")
                finally:
                    target.close()
                assert result.ok, (pattern, env, result.failures)
                if name == "template.yaml":
                    skipped = {s.logical_id for s in result.skipped}
                    assert "VideoCallChannel" in skipped and "VideoCallPolicy" not in skipped
    failed = [f for fs in checkov_directory(tmp_path).values() for f in fs if f.level == "error"]
    assert failed == []
