"""The WebSocket relay keeps room membership in DynamoDB and relays each message to the room's others."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3


def _table() -> None:
    boto3.client("dynamodb").create_table(
        TableName="conns",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


def _event(route: str, conn: str, **extra: Any) -> dict[str, Any]:
    return {
        "requestContext": {
            "routeKey": route,
            "connectionId": conn,
            "domainName": "abc.execute-api.us-east-1.amazonaws.com",
            "stage": "live",
        },
        **extra,
    }


class _Api:
    """Stands in for the apigatewaymanagementapi client: records posts, one connection is gone."""

    def __init__(self, gone: set[str]) -> None:
        self.posts: list[tuple[str, bytes]] = []
        self.gone = gone

        class GoneException(Exception):
            pass

        self.exceptions = type("E", (), {"GoneException": GoneException})

    def post_to_connection(self, ConnectionId: str, Data: bytes) -> None:
        if ConnectionId in self.gone:
            raise self.exceptions.GoneException(ConnectionId)
        self.posts.append((ConnectionId, Data))


def test_relay_joins_rooms_relays_and_forgets(load: Callable[..., dict[str, Any]], monkeypatch) -> None:
    _table()
    ns = load("websocket_relay", CONNECTIONS_TABLE="conns")
    for conn, room in (("a", "r1"), ("b", "r1"), ("c", "r1"), ("d", "r2")):
        assert ns["handler"](_event("$connect", conn, queryStringParameters={"room": room}), None) == {
            "statusCode": 200
        }
    api = _Api(gone={"c"})
    monkeypatch.setattr(ns["boto3"], "client", lambda *a, **k: api)
    out = ns["handler"](_event("$default", "a", body='{"action":"say","text":"hi"}'), None)
    assert out == {"statusCode": 200, "body": "1"}
    assert api.posts == [("b", b'{"action":"say","text":"hi"}')]  # not the sender, not room r2
    table = ns["TABLE"]
    assert "Item" not in table.get_item(Key={"pk": "conn#c", "sk": "room"})  # gone connection dropped
    ns["handler"](_event("$disconnect", "b"), None)
    members = table.query(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": "room#r1"})
    assert [m["sk"] for m in members["Items"]] == ["a"]
    assert ns["handler"](_event("$default", "zz", body="x"), None) == {"statusCode": 410}
