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
