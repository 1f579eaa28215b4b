"""Requirement features that pattern fit criteria refer to.

Every :class:`~cloudwright.requirements.Requirements` field is a feature under its own name; a few
derived figures are added. Criteria in ``patterns/data/*.yaml`` may only name features listed in
:data:`FEATURES` (checked when the catalogue loads).
"""

from __future__ import annotations

from typing import Any

from cloudwright.requirements import Requirements
from cloudwright.units import MONTH_HOURS

_EXPERIENCE = {"beginner": 0, "intermediate": 1, "advanced": 2}

#: Region code prefix → audience region it is closest to.
_REGION_GEOGRAPHY = {
    "us": "north-america",
    "ca": "north-america",
    "mx": "north-america",
    "sa": "south-america",
    "eu": "europe",
    "ap": "asia-pacific",
    "me": "middle-east",
    "il": "middle-east",
    "af": "africa",
}

FEATURES: dict[str, str] = {
    "application_type": "application type",
    "expected_users": "monthly active users",
    "requests_per_second": "average requests per second",
    "peak_rps": "peak requests per second (average × peak_to_average_ratio)",
    "requests_per_month": f"requests per month (average × {MONTH_HOURS} h × 3600 s)",
    "budget_monthly_usd": "monthly budget in USD",
    "team_size": "engineers",
    "aws_experience": "AWS experience",
    "experience_level": "AWS experience as a number: beginner 0, intermediate 1, advanced 2",
    "compliance": "compliance regimes (list)",
    "compliance_count": "number of compliance regimes",
    "data_size_gb": "data stored today, GB",
    "region": "primary Region",
    "home_geography": "audience region the primary Region is in",
    "availability_target": "availability target, percent",
    "latency_p95_ms": "p95 latency target, ms",
    "rto_minutes": "recovery time objective, minutes",
    "rpo_minutes": "recovery point objective, minutes",
    "environments": "environments (list)",
    "environment_count": "number of environments",
    "peak_to_average_ratio": "peak ÷ average load",
    "read_percent": "share of read requests, percent",
    "avg_request_kb": "average request size, KB",
    "avg_response_kb": "average response size, KB",
    "data_growth_gb_per_month": "data growth, GB per month",
    "audience_regions": "audience regions (list)",
    "audience_region_count": "number of audience regions",
    "remote_audience_count": "audience regions other than the primary Region's own",
    "compute_preference": "preferred compute model",
    "ingest_mb_per_s": "peak ingest, MB/s (peak_rps × avg_request_kb ÷ 1024)",
    "interaction": "how clients talk to the system (request_response, websocket, batch, streaming)",
    "accelerator": "hardware beyond CPUs (none, gpu)",
    "media": "audio/video handled (none, video_calls, live_streaming, video_on_demand)",
    "signed_in_share_percent": "share of users who sign in, percent",
    "websocket_messages_per_s": "peak WebSocket messages per second (concurrent_connections × "
    "messages_per_connection_per_second; 0 when not given)",
}


def region_geography(region: str) -> str:
    return _REGION_GEOGRAPHY.get(region.split("-")[0], "north-america")


def features(req: Requirements) -> dict[str, Any]:
    """The feature values of one set of requirements."""
    home = region_geography(req.region)
    audience = [str(a) for a in req.audience_regions]
    return {
        "application_type": str(req.application_type),
        "expected_users": req.expected_users,
        "requests_per_second": req.requests_per_second,
        "peak_rps": req.peak_rps,
        "requests_per_month": req.requests_per_month,
        "budget_monthly_usd": req.budget_monthly_usd,
        "team_size": req.team_size,
        "aws_experience": str(req.aws_experience),
        "experience_level": _EXPERIENCE[str(req.aws_experience)],
        "compliance": [str(c) for c in req.compliance],
        "compliance_count": len(req.compliance),
        "data_size_gb": req.data_size_gb,
        "region": req.region,
        "home_geography": home,
        "availability_target": req.availability_target,
        "latency_p95_ms": req.latency_p95_ms,
        "rto_minutes": req.rto_minutes,
        "rpo_minutes": req.rpo_minutes,
        "environments": [str(e) for e in req.environments],
        "environment_count": len(req.environments),
        "peak_to_average_ratio": req.peak_to_average_ratio,
        "read_percent": req.read_percent,
        "avg_request_kb": req.avg_request_kb,
        "avg_response_kb": req.avg_response_kb,
        "data_growth_gb_per_month": req.data_growth_gb_per_month,
        "audience_regions": audience,
        "audience_region_count": len(audience),
        "remote_audience_count": len([a for a in audience if a != home]),
        "compute_preference": str(req.compute_preference),
        "ingest_mb_per_s": req.peak_rps * req.avg_request_kb / 1024,
        "interaction": str(req.interaction),
        "accelerator": str(req.accelerator),
        "media": str(req.media),
        "signed_in_share_percent": req.signed_in_share_percent,
        "websocket_messages_per_s": (req.concurrent_connections or 0)
        * (req.messages_per_connection_per_second or 0),
    }
