"""Saga step for the order workflow (Step Functions): one function, one step per invocation.

Input: {"step": "<name>", "order": {...}}. Forward steps raise on failure so the state machine runs
the compensations (release inventory, refund payment) in reverse order.
"""

import os
import time

import boto3

DDB = boto3.resource("dynamodb")
ORDERS = DDB.Table(os.environ["ORDERS_TABLE"])
INVENTORY = DDB.Table(os.environ["INVENTORY_TABLE"]) if os.environ.get("INVENTORY_TABLE") else None

STATUS = {
    "reserve_inventory": "INVENTORY_RESERVED",
    "process_payment": "PAID",
    "create_shipment": "SHIPPED",
    "release_inventory": "INVENTORY_RELEASED",
    "refund_payment": "REFUNDED",
}


class StepFailed(Exception):
    """A business failure; the state machine catches it and compensates."""


def _stock(order, sign):
    if INVENTORY is None:
        return
    for item in order.get("items", []):
        kwargs: dict = {
            "Key": {"productId": item["productId"]},
            "UpdateExpression": "SET quantity = quantity + :d",
            "ExpressionAttributeValues": {":d": sign * int(item["quantity"])},
        }
        if sign < 0:
            kwargs["ConditionExpression"] = "quantity >= :q"
            kwargs["ExpressionAttributeValues"][":q"] = int(item["quantity"])
        try:
            INVENTORY.update_item(**kwargs)
        except INVENTORY.meta.client.exceptions.ConditionalCheckFailedException as exc:
            raise StepFailed(f"insufficient stock for {item['productId']}") from exc


def handler(event, context):
    step = event.get("step")
    order = event.get("order") or {}
    if step not in STATUS or "orderId" not in order:
        raise StepFailed(f"bad saga input: step={step!r}")
    if step == "reserve_inventory":
        _stock(order, -1)
    elif step == "release_inventory":
        _stock(order, +1)
    elif step == "process_payment" and order.get("totalAmount", 0) in (None, ""):
        raise StepFailed("order has no amount")
    ORDERS.update_item(
        Key={"orderId": order["orderId"]},
        UpdateExpression="SET #s = :s, updatedAt = :t",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": STATUS[step], ":t": int(time.time())},
    )
    return {"orderId": order["orderId"], "step": step, "status": STATUS[step]}
