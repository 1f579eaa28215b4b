"""PERF-APIGW-001: API Gateway throttling below the peak request rate."""

from __future__ import annotations

from collections.abc import Iterator

from cloudwright.review.checks.perf._load import default_quota, per_second_peak
from cloudwright.review.context import Outcome, ReviewContext, as_list
from cloudwright.review.registry import check


def _stage_limit(ctx: ReviewContext, stage_type: str, api_id: str) -> tuple[str, float] | None:
    for st in ctx.resources(stage_type):
        ref = st.prop("RestApiId") if stage_type == "AWS::ApiGateway::Stage" else st.prop("ApiId")
        if ctx.ref_target(ref) != api_id:
            continue
        if stage_type == "AWS::ApiGateway::Stage":
            rates = [
                ctx.as_number(m.get("ThrottlingRateLimit"))
                for m in as_list(st.prop("MethodSettings"))
                if isinstance(m, dict)
            ]
        else:
            rates = [ctx.as_number(st.prop("DefaultRouteSettings.ThrottlingRateLimit"))]
        known = [r for r in rates if r is not None]
        if known:
            return st.logical_id, min(known)
    return None


@check(
    id="PERF-APIGW-001",
    title="API Gateway throttling allows the peak request rate",
    severity="high",
    types=["AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api"],
    rationale="API Gateway rejects requests above the stage throttle (or the account-wide default of 10,000 "
    "requests per second) with 429 errors.",
    remediation="Raise the stage ThrottlingRateLimit above the peak, and request a higher account throttle "
    "quota when the peak exceeds it.",
    references=["PERF02-BP01", "REL05-BP02", "REL01-BP01"],
)
def run(ctx: ReviewContext) -> Iterator[Outcome]:
    account = default_quota("apigateway.account_rps")
    for api in ctx.resources("AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api"):
        peak = per_second_peak(ctx, api, "monthly_requests")
        if peak is None:
            yield ctx.unknown(api.logical_id, "monthly_requests usage not given")
            continue
        stage_type = (
            "AWS::ApiGateway::Stage" if api.type == "AWS::ApiGateway::RestApi" else "AWS::ApiGatewayV2::Stage"
        )
        found = _stage_limit(ctx, stage_type, api.logical_id)
        if found is not None:
            stage, limit = found
            if peak > limit:
                yield ctx.fail(
                    api.logical_id, f"peak ≈{peak:,.0f} req/s exceeds the throttle of {limit:,.0f} on {stage}"
                )
                continue
        if account is not None and peak > account:
            yield ctx.fail(
                api.logical_id, f"peak ≈{peak:,.0f} req/s exceeds the account throttle quota ({account:,.0f})"
            )
        else:
            yield ctx.ok(api.logical_id)
