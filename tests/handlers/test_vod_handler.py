"""The video-on-demand submitter starts one MediaConvert job per master uploaded under uploads/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class _MediaConvert:
    def __init__(self) -> None:
        self.jobs: list[dict[str, Any]] = []

    def create_job(self, **kwargs: Any) -> dict[str, Any]:
        self.jobs.append(kwargs)
        return {"Job": {"Id": f"job-{len(self.jobs)}"}}


def _event(key: str) -> dict[str, Any]:
    return {"detail": {"bucket": {"name": "masters"}, "object": {"key": key}}}


def test_vod_submit_starts_a_job_for_uploads_only(load: Callable[..., dict[str, Any]]) -> None:
    ns = load("vod_submit", MEDIACONVERT_ROLE="arn:aws:iam::1:role/mc", JOB_TEMPLATE="arn:tpl")
    mc = _MediaConvert()
    ns["_CLIENT"] = mc
    assert ns["handler"](_event("uploads/Launch+Day.mp4"), None) == {"started": True, "jobId": "job-1"}
    (job,) = mc.jobs
    assert job["Role"] == "arn:aws:iam::1:role/mc" and job["JobTemplate"] == "arn:tpl"
    assert job["Settings"]["Inputs"] == [{"FileInput": "s3://masters/uploads/Launch Day.mp4"}]
    assert ns["handler"](_event("elsewhere/x.mp4"), None) == {"started": False}
    assert ns["handler"](_event("uploads/"), None) == {"started": False}
    assert len(mc.jobs) == 1
