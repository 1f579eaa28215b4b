"""users_api and order_service handlers against moto."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from serverless_moto_helpers import drain, make_table, topic_with_queue


def rest_event(
    method: str, sub: str | None, *, user_id: str | None = None, body: Any = None
) -> dict[str, Any]:
    ctx: dict[str, Any] = {"authorizer": {"claims": {"sub": sub}} if sub else {}}
    return {
        "httpMethod": method,
        "pathParameters": {"userId": user_id} if user_id else None,
        "requestContext": ctx,
        "body": json.dumps(body) if body is not None else None,
    }


def test_users_api_own_record_only(load: Callable[..., dict[str, Any]]) -> None:
    make_table("users", [("userId", "S", "HASH")])
    handler = load("users_api", USERS_TABLE="users")["handler"]

    created = handler(rest_event("POST", "alice", body={"email": "a@example.com", "name": "Alice"}), None)
    assert created["statusCode"] == 201
    assert json.loads(created["body"]) == {"userId": "alice"}
    again = handler(rest_event("POST", "alice", body={"email": "a@example.com"}), None)
    assert again["statusCode"] == 409

    own = handler(rest_event("GET", "alice", user_id="alice"), None)
    assert own["statusCode"] == 200
    assert json.loads(own["body"])["email"] == "a@example.com"

    other = handler(rest_event("GET", "mallory", user_id="alice"), None)
    assert other["statusCode"] == 403
    assert "own record" in json.loads(other["body"])["error"]

    handler(rest_event("POST", "bob", body={"email": "b@example.com"}), None)
    assert handler(rest_event("GET", "alice", user_id="bob"), None)["statusCode"] == 403
    assert handler(rest_event("GET", "carol", user_id="carol"), None)["statusCode"] == 404
    assert handler(rest_event("GET", None, user_id="alice"), None)["statusCode"] == 401
    assert handler(rest_event("POST", "dave", body={"name": "no email"}), None)["statusCode"] == 400


def test_users_api_accepts_http_api_jwt_events(load: Callable[..., dict[str, Any]]) -> None:
    make_table("users", [("userId", "S", "HASH")])
    handler = load("users_api", USERS_TABLE="users")["handler"]
    post = {
        "requestContext": {"http": {"method": "POST"}, "authorizer": {"jwt": {"claims": {"sub": "erin"}}}},
        "body": json.dumps({"email": "e@example.com"}),
    }
    assert handler(post, None)["statusCode"] == 201
    get = {
        "requestContext": {"http": {"method": "GET"}, "authorizer": {"jwt": {"claims": {"sub": "frank"}}}},
        "pathParameters": {"userId": "erin"},
    }
    assert handler(get, None)["statusCode"] == 403


def test_order_service_stores_publishes_and_queue_receives(load: Callable[..., dict[str, Any]]) -> None:
    import boto3

    orders = make_table("orders", [("orderId", "S", "HASH")])
    topic, probe = topic_with_queue("order-events", filter_event="ORDER_CREATED")
    handler = load("order_service", ORDERS_TABLE="orders", ORDER_EVENTS_TOPIC=topic)["handler"]
    event = rest_event(
        "POST", "alice", body={"items": [{"productId": "p1", "quantity": 2}], "totalAmount": 19.99}
    )
    reply = handler(event, None)
    assert reply["statusCode"] == 202
    order_id = json.loads(reply["body"])["orderId"]

    stored = orders.get_item(Key={"orderId": order_id})["Item"]
    assert stored["status"] == "PENDING" and stored["userId"] == "alice"
    messages = drain(probe)
    assert len(messages) == 1
    envelope = messages[0]
    assert envelope["MessageAttributes"]["eventType"]["Value"] == "ORDER_CREATED"
    body = json.loads(envelope["Message"])
    assert body["orderId"] == order_id and body["items"] == [{"productId": "p1", "quantity": 2}]

    bad = handler(rest_event("POST", "alice", body={"items": [{"productId": "p1", "quantity": 0}]}), None)
    assert bad["statusCode"] == 400
    assert handler(rest_event("POST", None, body={}), None)["statusCode"] == 401
    assert boto3.client("dynamodb").scan(TableName="orders")["Count"] == 1


def test_order_service_also_puts_to_event_bus(load: Callable[..., dict[str, Any]]) -> None:
    import boto3

    make_table("orders", [("orderId", "S", "HASH")])
    events = boto3.client("events")
    events.create_event_bus(Name="shop-events")
    env = {"ORDERS_TABLE": "orders", "ORDER_EVENTS_TOPIC": "", "EVENT_BUS_NAME": "shop-events"}
    handler = load("order_service", EVENT_SOURCE="shop.orders", **env)["handler"]
    reply = handler(rest_event("POST", "alice", body={"items": [{"productId": "p1", "quantity": 1}]}), None)
    assert reply["statusCode"] == 202


def test_users_api_answers_with_the_site_origin(load: Callable[..., dict[str, Any]]) -> None:
    make_table("users", [("userId", "S", "HASH")])
    handler = load("users_api", USERS_TABLE="users", ALLOWED_ORIGIN="https://d111.cloudfront.net")["handler"]
    reply = handler(rest_event("GET", "mallory", user_id="alice"), None)
    assert reply["statusCode"] == 403
    assert reply["headers"]["Access-Control-Allow-Origin"] == "https://d111.cloudfront.net"
