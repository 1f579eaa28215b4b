"""IoT alert handler: invoked by an IoT Core topic rule when a reading crosses its threshold.

Records the alert in DynamoDB (one item per device and time) and notifies operators through SNS.
Invoked asynchronously; failures go to the function's dead-letter queue after Lambda's retries.
"""

import json
import os
import time
from decimal import Decimal

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["ALERTS_TABLE"])
SNS = boto3.client("sns")
TTL_SECONDS = int(os.environ.get("TTL_DAYS", "30")) * 86400


def handler(event, context):
    device = str(event.get("deviceId") or "unknown")
    ts = int(event.get("ts") or time.time() * 1000)
    metric = os.environ.get("ALERT_METRIC", "temperature")
    value = event.get(metric)
    item = {
        "deviceId": device,
        "ts": ts,
        "metric": metric,
        "value": Decimal(str(value)) if value is not None else None,
        "expiresAt": ts // 1000 + TTL_SECONDS,
    }
    TABLE.put_item(Item={k: v for k, v in item.items() if v is not None})
    SNS.publish(
        TopicArn=os.environ["ALERT_TOPIC"],
        Subject=f"Alert: {device} {metric}"[:100],
        Message=json.dumps({"deviceId": device, "metric": metric, "value": value, "ts": ts}, default=str),
        MessageAttributes={"eventType": {"DataType": "String", "StringValue": "DEVICE_ALERT"}},
    )
    return {"deviceId": device, "alerted": True}
