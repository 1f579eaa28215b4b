"""Order service: POST /orders stores the order, publishes ORDER_CREATED and answers 202 Accepted."""

import json
import os
import time
import uuid
from decimal import Decimal

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])
SNS = boto3.client("sns")
EVENTS = boto3.client("events")


def _reply(status, body):
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}


def _caller(event):
    auth = (event.get("requestContext") or {}).get("authorizer") or {}
    claims = auth.get("claims") or (auth.get("jwt") or {}).get("claims") or {}
    return claims.get("sub")


def handler(event, context):
    user_id = _caller(event)
    if not user_id:
        return _reply(401, {"error": "Unauthorized"})
    try:
        data = json.loads(event.get("body") or "{}", parse_float=Decimal)
        items: list[dict] = [
            {"productId": str(i["productId"]), "quantity": int(i["quantity"])} for i in data["items"]
        ]
    except (ValueError, KeyError, TypeError):
        return _reply(400, {"error": "items: [{productId, quantity}] is required"})
    if not items or any(i["quantity"] <= 0 for i in items):
        return _reply(400, {"error": "each item needs a positive quantity"})
    order = {
        "orderId": str(uuid.uuid4()),
        "userId": user_id,
        "items": items,
        "totalAmount": Decimal(str(data.get("totalAmount", 0))),
        "status": "PENDING",
        "createdAt": int(time.time()),
    }
    TABLE.put_item(Item=order)
    message = json.dumps(order, default=str)
    if os.environ.get("ORDER_EVENTS_TOPIC"):
        SNS.publish(
            TopicArn=os.environ["ORDER_EVENTS_TOPIC"],
            Message=message,
            MessageAttributes={"eventType": {"DataType": "String", "StringValue": "ORDER_CREATED"}},
        )
    if os.environ.get("EVENT_BUS_NAME"):
        EVENTS.put_events(
            Entries=[
                {
                    "EventBusName": os.environ["EVENT_BUS_NAME"],
                    "Source": os.environ.get("EVENT_SOURCE", "orders"),
                    "DetailType": "OrderPlaced",
                    "Detail": message,
                }
            ]
        )
    return _reply(202, {"orderId": order["orderId"], "message": "Order is being processed"})
