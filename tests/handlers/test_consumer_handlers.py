"""Queue, stream, saga and IoT handlers against moto."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from serverless_moto_helpers import drain, make_table, topic_with_queue

Load = Callable[..., dict[str, Any]]


def sqs_record(message_id: str, order: dict[str, Any], event_type: str = "ORDER_CREATED") -> dict[str, Any]:
    envelope = {
        "Type": "Notification",
        "Message": json.dumps(order),
        "MessageAttributes": {"eventType": {"Type": "String", "Value": event_type}},
    }
    return {"messageId": message_id, "body": json.dumps(envelope)}


@pytest.fixture
def shop(load: Load) -> dict[str, Any]:
    inventory = make_table("inventory", [("productId", "S", "HASH")])
    orders = make_table("orders", [("orderId", "S", "HASH")])
    inventory.put_item(Item={"productId": "p1", "quantity": 5})
    inventory.put_item(Item={"productId": "p2", "quantity": 1})
    topic, failures = topic_with_queue("order-events", filter_event="INVENTORY_FAILED")
    ns = load(
        "inventory_consumer", INVENTORY_TABLE="inventory", ORDERS_TABLE="orders", ORDER_EVENTS_TOPIC=topic
    )
    return {"handler": ns["handler"], "inventory": inventory, "orders": orders, "failures": failures}


def stock(table: Any, product: str) -> int:
    return int(table.get_item(Key={"productId": product})["Item"]["quantity"])


def test_inventory_reserves_then_rejects_oversell(shop: dict[str, Any]) -> None:
    handler, inventory, orders = shop["handler"], shop["inventory"], shop["orders"]
    for oid in ("o1", "o2"):
        orders.put_item(Item={"orderId": oid, "status": "PENDING"})
    ok = handler(
        {"Records": [sqs_record("m1", {"orderId": "o1", "items": [{"productId": "p1", "quantity": 3}]})]},
        None,
    )
    assert ok == {"batchItemFailures": []}
    assert stock(inventory, "p1") == 2
    assert orders.get_item(Key={"orderId": "o1"})["Item"]["inventoryStatus"] == "RESERVED"
    assert drain(shop["failures"]) == []

    oversell = {
        "Records": [sqs_record("m2", {"orderId": "o2", "items": [{"productId": "p1", "quantity": 3}]})]
    }
    result = handler(oversell, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m2"}]}  # retried, then redriven to the DLQ
    assert stock(inventory, "p1") == 2  # never negative
    assert orders.get_item(Key={"orderId": "o2"})["Item"]["inventoryStatus"] == "FAILED"
    published = drain(shop["failures"])
    assert len(published) == 1
    assert published[0]["MessageAttributes"]["eventType"]["Value"] == "INVENTORY_FAILED"
    assert json.loads(published[0]["Message"]) == {"orderId": "o2", "error": "Insufficient stock"}


def test_inventory_gives_back_partial_reservations(shop: dict[str, Any]) -> None:
    handler, inventory = shop["handler"], shop["inventory"]
    shop["orders"].put_item(Item={"orderId": "o3"})
    order = {
        "orderId": "o3",
        "items": [{"productId": "p1", "quantity": 4}, {"productId": "p2", "quantity": 2}],
    }
    good = {"orderId": "o4", "items": [{"productId": "p2", "quantity": 1}]}
    shop["orders"].put_item(Item={"orderId": "o4"})
    result = handler({"Records": [sqs_record("a", order), sqs_record("b", good)]}, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "a"}]}  # only the failed message is retried
    assert stock(inventory, "p1") == 5  # the 4 taken for o3 were returned
    assert stock(inventory, "p2") == 0  # o4 got the last one


def test_inventory_reports_unparseable_messages(shop: dict[str, Any]) -> None:
    result = shop["handler"]({"Records": [{"messageId": "x", "body": "not json"}]}, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "x"}]}


def test_order_event_consumer_records_its_step(load: Load) -> None:
    orders = make_table("orders", [("orderId", "S", "HASH")])
    orders.put_item(Item={"orderId": "o1"})
    handler = load("order_event_consumer", ORDERS_TABLE="orders", STEP="payment")["handler"]
    result = handler(
        {"Records": [sqs_record("m1", {"orderId": "o1"}), {"messageId": "bad", "body": "{}"}]}, None
    )
    assert result == {"batchItemFailures": [{"itemIdentifier": "bad"}]}
    assert orders.get_item(Key={"orderId": "o1"})["Item"]["paymentStatus"] == "ORDER_CREATED_SEEN"


def test_saga_steps_reserve_fail_and_compensate(load: Load) -> None:
    inventory = make_table("inventory", [("productId", "S", "HASH")])
    orders = make_table("orders", [("orderId", "S", "HASH")])
    inventory.put_item(Item={"productId": "p1", "quantity": 2})
    ns = load("saga_step", ORDERS_TABLE="orders", INVENTORY_TABLE="inventory")
    handler = ns["handler"]
    order = {"orderId": "o1", "items": [{"productId": "p1", "quantity": 2}], "totalAmount": 10}
    assert handler({"step": "reserve_inventory", "order": order}, None)["status"] == "INVENTORY_RESERVED"
    assert stock(inventory, "p1") == 0
    with pytest.raises(ns["StepFailed"]):
        handler({"step": "reserve_inventory", "order": {**order, "orderId": "o2"}}, None)
    assert stock(inventory, "p1") == 0
    assert handler({"step": "release_inventory", "order": order}, None)["status"] == "INVENTORY_RELEASED"
    assert stock(inventory, "p1") == 2
    assert orders.get_item(Key={"orderId": "o1"})["Item"]["status"] == "INVENTORY_RELEASED"
    with pytest.raises(ns["StepFailed"]):
        handler({"step": "launch_rocket", "order": order}, None)


def kinesis_record(seq: str, payload: Any) -> dict[str, Any]:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return {"kinesis": {"sequenceNumber": seq, "data": base64.b64encode(data).decode()}}


def test_analytics_consumer_aggregates_five_minute_buckets(load: Load) -> None:
    table = make_table("analytics", [("metricType", "S", "HASH"), ("timeBucket", "N", "RANGE")])
    handler = load("analytics_consumer", ANALYTICS_TABLE="analytics")["handler"]
    t0 = 1_700_000_100_000  # ms; its bucket starts at 1_700_000_100_000 - (… % 300_000)
    bucket = (t0 // 300_000) * 300_000
    records = [
        kinesis_record("1", {"eventType": "PAGE_VIEW", "timestamp": t0, "properties": {"page": "/"}}),
        kinesis_record("2", {"eventType": "PAGE_VIEW", "timestamp": t0 + 1000, "properties": {}}),
        kinesis_record("3", {"eventType": "PURCHASE", "timestamp": t0, "properties": {"amount": 19.99}}),
        kinesis_record("4", {"eventType": "PAGE_VIEW", "timestamp": bucket + 300_000, "properties": {}}),
        kinesis_record("5", b"\x00garbage"),
        kinesis_record("6", {"deviceId": "d1", "ts": t0, "temperature": 21}),
    ]
    assert handler({"Records": records}, None) == {"batchItemFailures": [{"itemIdentifier": "5"}]}
    views = table.get_item(Key={"metricType": "PAGE_VIEW", "timeBucket": bucket})["Item"]
    assert views["count"] == 2
    assert (
        table.get_item(Key={"metricType": "PAGE_VIEW", "timeBucket": bucket + 300_000})["Item"]["count"] == 1
    )
    purchase = table.get_item(Key={"metricType": "PURCHASE", "timeBucket": bucket})["Item"]
    assert purchase["revenue"] == Decimal("19.99") and purchase["count"] == 1
    assert table.get_item(Key={"metricType": "TELEMETRY", "timeBucket": bucket})["Item"]["count"] == 1
    # a second batch adds to the same bucket atomically
    handler({"Records": [records[0]]}, None)
    assert table.get_item(Key={"metricType": "PAGE_VIEW", "timeBucket": bucket})["Item"]["count"] == 3


def test_iot_alert_records_and_notifies(load: Load) -> None:
    alerts = make_table("alerts", [("deviceId", "S", "HASH"), ("ts", "N", "RANGE")])
    topic, probe = topic_with_queue("alerts")
    handler = load("iot_alert", ALERTS_TABLE="alerts", ALERT_TOPIC=topic, ALERT_METRIC="temperature")[
        "handler"
    ]
    assert handler({"deviceId": "sensor-7", "ts": 1_700_000_000_000, "temperature": 91.5}, None)["alerted"]
    item = alerts.get_item(Key={"deviceId": "sensor-7", "ts": 1_700_000_000_000})["Item"]
    assert item["value"] == Decimal("91.5") and item["metric"] == "temperature"
    notes = drain(probe)
    assert len(notes) == 1 and json.loads(notes[0]["Message"])["deviceId"] == "sensor-7"
