"""Order event consumer (payment, shipping, notification): record this service's step on the order.

Input: an SQS batch of SNS envelopes. Unparseable or failing messages are reported as batch item
failures so only they are retried and, after maxReceiveCount, moved to the dead-letter queue.
"""

import json
import os
import time

import boto3

ORDERS = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])
STEP = os.environ.get("STEP", "notification")


def handler(event, context):
    failures = []
    for record in event.get("Records", []):
        try:
            body = json.loads(record["body"])
            order = json.loads(body["Message"]) if "Message" in body else body
            attrs = body.get("MessageAttributes") or {}
            event_type = (attrs.get("eventType") or {}).get("Value", "ORDER_CREATED")
            ORDERS.update_item(
                Key={"orderId": order["orderId"]},
                UpdateExpression="SET #step = :s, #at = :t",
                ExpressionAttributeNames={"#step": f"{STEP}Status", "#at": f"{STEP}UpdatedAt"},
                ExpressionAttributeValues={":s": f"{event_type}_SEEN", ":t": int(time.time())},
            )
        except Exception as exc:  # retry this message only
            print(json.dumps({"messageId": record.get("messageId"), "error": str(exc)}))
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
