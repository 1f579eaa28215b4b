"""Inventory consumer: reserve stock for each ORDER_CREATED event (SQS batch of SNS envelopes).

The decrement is conditional (quantity >= ordered), so stock never goes negative. On an oversell the
order is marked INVENTORY_FAILED and an INVENTORY_FAILED event is published; the message is reported
as a batch item failure so it is retried and, after maxReceiveCount, lands in the dead-letter queue.
"""

import json
import os

import boto3
from botocore.exceptions import ClientError

DDB = boto3.resource("dynamodb")
INVENTORY = DDB.Table(os.environ["INVENTORY_TABLE"])
ORDERS = DDB.Table(os.environ["ORDERS_TABLE"]) if os.environ.get("ORDERS_TABLE") else None
SNS = boto3.client("sns")


def _order(record):
    body = json.loads(record["body"])
    return json.loads(body["Message"]) if "Message" in body else body


def _set_status(order_id, status):
    if ORDERS is not None:
        ORDERS.update_item(
            Key={"orderId": order_id},
            UpdateExpression="SET inventoryStatus = :s",
            ExpressionAttributeValues={":s": status},
        )


def reserve(order):
    reserved = []
    try:
        for item in order["items"]:
            INVENTORY.update_item(
                Key={"productId": item["productId"]},
                UpdateExpression="SET quantity = quantity - :qty",
                ConditionExpression="quantity >= :qty",
                ExpressionAttributeValues={":qty": int(item["quantity"])},
            )
            reserved.append(item)
    except ClientError as err:
        if err.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        for item in reserved:  # give back what this order already took
            INVENTORY.update_item(
                Key={"productId": item["productId"]},
                UpdateExpression="SET quantity = quantity + :qty",
                ExpressionAttributeValues={":qty": int(item["quantity"])},
            )
        _set_status(order["orderId"], "FAILED")
        SNS.publish(
            TopicArn=os.environ["ORDER_EVENTS_TOPIC"],
            Message=json.dumps({"orderId": order["orderId"], "error": "Insufficient stock"}),
            MessageAttributes={"eventType": {"DataType": "String", "StringValue": "INVENTORY_FAILED"}},
        )
        return False
    _set_status(order["orderId"], "RESERVED")
    return True


def handler(event, context):
    failures = []
    for record in event.get("Records", []):
        try:
            ok = reserve(_order(record))
        except Exception as exc:  # any error: retry this message only
            print(json.dumps({"messageId": record.get("messageId"), "error": str(exc)}))
            ok = False
        if not ok:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
