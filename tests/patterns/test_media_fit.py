"""Video calls in the candidate search: served by the web patterns, and honest under HIPAA."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cloudwright import eligibility
from cloudwright.patterns.search import search
from cloudwright.requirements import load_requirements

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "telehealth-video.yaml"


def test_hipaa_telehealth_with_video_names_the_unconfirmed_service_instead_of_fitting():
    req = load_requirements(EXAMPLE)
    result = search(req, sensitivity=False)
    assert result.fit.status == "partial"
    assert any("kinesis-video-streams" in g and "not confirmed HIPAA eligible" in g for g in result.fit.gaps)
    assert "AWS::KinesisVideo::SignalingChannel" not in result.chosen.design.types()


def test_the_same_telehealth_fits_with_the_video_block_once_the_service_is_eligible(
    monkeypatch: pytest.MonkeyPatch,
):
    data: dict[str, Any] = eligibility.load_eligibility()
    patched = {**data, "services": {**data["services"]}}
    patched["services"]["kinesis-video-streams"] = {
        **data["services"]["kinesis-video-streams"],
        "hipaa": True,
    }
    monkeypatch.setattr(eligibility, "load_eligibility", lambda: patched)
    result = search(load_requirements(EXAMPLE), sensitivity=False)
    assert result.fit.status == "fits", result.fit.gaps
    assert "AWS::KinesisVideo::SignalingChannel" in result.chosen.design.types()
    lines = [li for lid, li in result.chosen.estimate.line_items() if lid == "VideoCallChannel"]
    assert len(lines) == 3 and all(li.monthly_usd and li.monthly_usd > 0 for li in lines)
