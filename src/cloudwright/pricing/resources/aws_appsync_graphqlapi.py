"""AppSync GraphQL API: query/mutation requests, real-time updates, connection minutes."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, UsageKey, cost_model
from cloudwright.pricing.resources._common import charge

USAGE = (
    UsageKey("monthly_query_mutation_requests", "requests/month", "Query and mutation operations"),
    UsageKey("monthly_realtime_updates", "updates/month", "Real-time (subscription) updates delivered"),
    UsageKey("monthly_connection_minutes", "minutes/month", "Real-time connection minutes"),
)


@cost_model("AWS::AppSync::GraphQLApi", service="AWSAppSync", usage=USAGE, usage_only=True)
def graphql_api(r: Resource, ctx: ModelContext) -> list[Charge]:
    """AppSync prices were not found in the catalogue's sources: lines show price unknown."""
    svc = "AWSAppSync"
    return [
        charge(
            "Query and mutation requests",
            ctx.num("monthly_query_mutation_requests"),
            "requests",
            ctx.q(svc, usagetype="re:AppSync-Query-Mutation$"),
            "monthly_query_mutation_requests",
        ),
        charge(
            "Real-time updates",
            ctx.num("monthly_realtime_updates"),
            "updates",
            ctx.q(svc, usagetype="re:AppSync-RealTime-Updates$"),
            "monthly_realtime_updates",
        ),
        charge(
            "Connection minutes",
            ctx.num("monthly_connection_minutes"),
            "minutes",
            ctx.q(svc, usagetype="re:AppSync-Connection-Minutes$"),
            "monthly_connection_minutes",
        ),
    ]
