"""GraphQL for mobile and web clients: the ``appsync`` builder (Cognito auth, DynamoDB resolvers, logs)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from cloudwright.design.build import BuildContext, BuilderOptions, component
from cloudwright.design.components.iam import managed_policy
from cloudwright.design.components.identity import ensure_user_pool
from cloudwright.design.components.lambdas import (
    add_log_group,
    lambda_assume_policy,
    monthly,
    service_role_properties,
    skip,
    table_statement,
)
from cloudwright.design.components.nosql import ensure_table

SRC_APPSYNC_JS = "https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-overview-js.html"
SRC_APPSYNC_LOGS = "https://docs.aws.amazon.com/appsync/latest/devguide/monitoring.html"

SCHEMA = """\
type Item {
  ownerId: ID!
  itemId: ID!
  title: String!
  body: String
  createdAt: AWSDateTime
}

type ItemConnection {
  items: [Item!]!
  nextToken: String
}

input CreateItemInput {
  title: String!
  body: String
}

type Query {
  getItem(itemId: ID!): Item
  listItems(limit: Int, nextToken: String): ItemConnection!
}

type Mutation {
  createItem(input: CreateItemInput!): Item
}

type Subscription {
  onCreateItem(ownerId: ID!): Item @aws_subscribe(mutations: ["createItem"])
}

schema {
  query: Query
  mutation: Mutation
  subscription: Subscription
}
"""

#: (type, field, data source, APPSYNC_JS code). Every resolver keys on the caller's Cognito sub.
RESOLVERS = [
    (
        "Query",
        "getItem",
        "ItemsDataSource",
        """\
import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) {
  return ddb.get({ key: { ownerId: ctx.identity.sub, itemId: ctx.args.itemId } });
}
export function response(ctx) { return ctx.result; }
""",
    ),
    (
        "Query",
        "listItems",
        "ItemsDataSource",
        """\
import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) {
  const limit = Math.min(ctx.args.limit ?? 20, 100);
  return ddb.query({ query: { ownerId: { eq: ctx.identity.sub } }, limit, nextToken: ctx.args.nextToken });
}
export function response(ctx) { return { items: ctx.result.items, nextToken: ctx.result.nextToken }; }
""",
    ),
    (
        "Mutation",
        "createItem",
        "ItemsDataSource",
        """\
import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) {
  const item = { ...ctx.args.input, createdAt: util.time.nowISO8601() };
  return ddb.put({ key: { ownerId: ctx.identity.sub, itemId: util.autoId() }, item });
}
export function response(ctx) { return ctx.result; }
""",
    ),
    (
        "Subscription",
        "onCreateItem",
        "NoneDataSource",
        """\
import { util } from '@aws-appsync/utils';
export function request(ctx) {
  if (ctx.args.ownerId !== ctx.identity.sub) { util.unauthorized(); }
  return { payload: null };
}
export function response(ctx) { return null; }
""",
    ),
]


class AppSyncOptions(BuilderOptions):
    """Options of ``appsync``."""

    connected_minutes_per_user: float = Field(60.0, ge=0)
    """Real-time subscription minutes per active user per month (assumption)."""
    subscribers_per_mutation: float = Field(1.0, ge=0)
    """Subscribers each mutation's update reaches (assumption)."""


def _api_id() -> dict[str, Any]:
    return {"Fn::GetAtt": ["GraphQLApi", "ApiId"]}


def _usage_and_sizing(
    ctx: BuildContext, options: AppSyncOptions
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The API's monthly usage (requests, real-time updates, connection minutes) and how it was sized."""
    req = ctx.requirements
    requests = monthly(ctx, req.requests_per_second)
    mutations = monthly(ctx, req.requests_per_second * (1 - req.read_percent / 100))
    subscribers = options.subscribers_per_mutation
    minutes = options.connected_minutes_per_user
    mau = req.expected_users * ctx.load_factor
    usage = {
        "monthly_query_mutation_requests": requests,
        "monthly_realtime_updates": round(mutations * subscribers),
        "monthly_connection_minutes": round(mau * minutes),
    }
    sizing = [
        {
            "rule": "queries + mutations = requests/month",
            "value": f"{requests:,}",
            "source": "requirements (requests_per_second)",
        },
        {
            "rule": "real-time updates = mutations × subscribers per mutation",
            "value": f"{mutations:,} × {subscribers:g}",
            "source": "requirements (read_percent); option",
        },
        {
            "rule": "connection minutes = active users × minutes connected",
            "value": f"{mau:,.0f} × {minutes:g} min",
            "source": "assumption (option connected_minutes_per_user)",
        },
        {"rule": "resolvers", "value": "APPSYNC_JS 1.0.0, DynamoDB direct", "source": SRC_APPSYNC_JS},
    ]
    return usage, sizing


def _add_logs_role(ctx: BuildContext, cid: str) -> None:
    ctx.add(
        "AppSyncLogsRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": lambda_assume_policy("appsync.amazonaws.com"),
            "ManagedPolicyArns": [managed_policy("service-role/AWSAppSyncPushToCloudWatchLogs")],
        },
        label="AppSync logging role",
        role="iam",
        component_id=cid,
    )


def _add_api(ctx: BuildContext, cid: str, user_pool: str, options: AppSyncOptions) -> None:
    """The GraphQL API: Cognito user-pool auth, error-level field logs, introspection off in prod."""
    usage, sizing = _usage_and_sizing(ctx, options)
    ctx.add(
        "GraphQLApi",
        "AWS::AppSync::GraphQLApi",
        {
            "Name": {"Fn::Sub": "${AWS::StackName}-graphql"},
            "AuthenticationType": "AMAZON_COGNITO_USER_POOLS",
            "UserPoolConfig": {
                "UserPoolId": {"Ref": user_pool},
                "AwsRegion": {"Ref": "AWS::Region"},
                "DefaultAction": "ALLOW",
            },
            "LogConfig": {
                "CloudWatchLogsRoleArn": {"Fn::GetAtt": ["AppSyncLogsRole", "Arn"]},
                "FieldLogLevel": "ERROR",
                "ExcludeVerboseContent": True,
            },
            "XrayEnabled": ctx.is_prod,
            "IntrospectionConfig": "DISABLED" if ctx.is_prod else "ENABLED",
            "QueryDepthLimit": 10,
        },
        usage=usage,
        label="AppSync GraphQL API",
        role="api",
        component_id=cid,
        rationale="One GraphQL endpoint with real-time subscriptions and offline-friendly clients; "
        "resolvers read "
        "DynamoDB directly (no Lambda hop), keyed on the caller's Cognito sub.",
        sizing=sizing,
        attributes={}
        if ctx.is_prod
        else {
            "Metadata": skip(
                (
                    "CKV2_AWS_33",
                    "Every operation needs a Cognito user-pool token; production attaches a regional "
                    f"WAF web ACL, {ctx.environment} skips its fixed cost.",
                ),
            )
        },
    )
    add_log_group(
        ctx,
        "GraphQLApiLogs",
        label="AppSync logs",
        name={"Fn::Sub": "/aws/appsync/apis/${GraphQLApi.ApiId}"},
        monthly_gb=usage["monthly_query_mutation_requests"] * 0.2 / (1024 * 1024),
        component_id=cid,
    )


def _add_data_sources(ctx: BuildContext, cid: str, table: str) -> None:
    """The items table (through a role scoped to it) and the local ``NONE`` source."""
    ctx.add(
        "AppSyncDataSourceRole",
        "AWS::IAM::Role",
        service_role_properties(
            "appsync.amazonaws.com",
            "items-table",
            [table_statement(table, ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"])],
        ),
        label="AppSync data source role",
        role="iam",
        component_id=cid,
    )
    ctx.add(
        "ItemsDataSource",
        "AWS::AppSync::DataSource",
        {
            "ApiId": _api_id(),
            "Name": "items",
            "Type": "AMAZON_DYNAMODB",
            "ServiceRoleArn": {"Fn::GetAtt": ["AppSyncDataSourceRole", "Arn"]},
            "DynamoDBConfig": {"TableName": {"Ref": table}, "AwsRegion": {"Ref": "AWS::Region"}},
        },
        label="Items data source",
        role="api",
        component_id=cid,
    )
    ctx.add(
        "NoneDataSource",
        "AWS::AppSync::DataSource",
        {"ApiId": _api_id(), "Name": "none", "Type": "NONE"},
        label="Local data source",
        role="api",
        component_id=cid,
        rationale="Lets the subscription resolver check that callers subscribe to their own items only.",
    )


def _add_resolvers(ctx: BuildContext, cid: str) -> None:
    """One APPSYNC_JS unit resolver per entry of :data:`RESOLVERS`."""
    for type_name, field, source, code in RESOLVERS:
        ctx.add(
            f"{type_name}{field[0].upper()}{field[1:]}Resolver",
            "AWS::AppSync::Resolver",
            {
                "ApiId": _api_id(),
                "TypeName": type_name,
                "FieldName": field,
                "DataSourceName": {"Fn::GetAtt": [source, "Name"]},
                "Kind": "UNIT",
                "Runtime": {"Name": "APPSYNC_JS", "RuntimeVersion": "1.0.0"},
                "Code": code,
            },
            depends_on=["GraphQLSchema"],
            label=f"{type_name}.{field}",
            role="api",
            component_id=cid,
        )


@component("appsync", options=AppSyncOptions, uses=["kms_key", "user_pool"], provides=["apis"])
def appsync(ctx: BuildContext, options: AppSyncOptions) -> None:
    """AppSync GraphQL API with Cognito user-pool auth, schema, DynamoDB data source and JS resolvers."""
    cid = "appsync"
    pool = ensure_user_pool(ctx)
    table = ensure_table(ctx, "items", component_id=cid)
    _add_logs_role(ctx, cid)
    _add_api(ctx, cid, pool.user_pool, options)
    ctx.add(
        "GraphQLSchema",
        "AWS::AppSync::GraphQLSchema",
        {"ApiId": _api_id(), "Definition": SCHEMA},
        label="GraphQL schema",
        role="api",
        component_id=cid,
    )
    _add_data_sources(ctx, cid, table)
    _add_resolvers(ctx, cid)
    ctx.connect("GraphQLApi", "ItemsDataSource", "request", "resolvers")
    ctx.connect("ItemsDataSource", table, "data", "GetItem/Query/PutItem")
    ctx.connect("GraphQLApi", pool.user_pool, "reference", "Cognito auth")
    ctx.connect("GraphQLApi", "GraphQLApiLogs", "data", "logs")
    ctx.provided.apis.graphql = "GraphQLApi"
    ctx.design.outputs.setdefault(
        "GraphQLUrl",
        {"Description": "AppSync GraphQL endpoint", "Value": {"Fn::GetAtt": ["GraphQLApi", "GraphQLUrl"]}},
    )
