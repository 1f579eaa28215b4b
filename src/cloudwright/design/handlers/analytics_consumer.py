"""Analytics consumer: Kinesis records → 5-minute aggregates in DynamoDB.

Each record is a JSON event {"eventType", "timestamp" (ms), "properties"}; device readings routed by an
IoT rule ({"deviceId", "ts" (ms), ...}) count as eventType TELEMETRY. Counts per event type and
5-minute bucket are summed in memory, then written with one atomic ADD per (type, bucket). Records that
cannot be parsed are reported as batch item failures (the source mapping bisects and retries them, then
sends them to the on-failure destination).
"""

import base64
import json
import os
from collections import defaultdict
from decimal import Decimal

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["ANALYTICS_TABLE"])
BUCKET_MS = 300_000
TTL_SECONDS = int(os.environ.get("TTL_DAYS", "7")) * 86400


def bucket_of(timestamp_ms):
    return (int(timestamp_ms) // BUCKET_MS) * BUCKET_MS


def handler(event, context):
    counts: dict = defaultdict(int)
    revenue: dict = defaultdict(Decimal)
    failures = []
    for record in event.get("Records", []):
        try:
            data = json.loads(base64.b64decode(record["kinesis"]["data"]), parse_float=Decimal)
            ts = data["timestamp"] if "timestamp" in data else data["ts"]
            key = (str(data.get("eventType", "TELEMETRY")), bucket_of(ts))
            counts[key] += 1
            amount = (data.get("properties") or {}).get("amount")
            if amount is not None:
                revenue[key] += Decimal(str(amount))
        except (ValueError, KeyError, TypeError):
            failures.append({"itemIdentifier": record["kinesis"]["sequenceNumber"]})
    for (event_type, bucket), count in sorted(counts.items()):
        names = {"#c": "count", "#e": "expiresAt"}
        values = {":c": count, ":e": bucket // 1000 + TTL_SECONDS}
        update = "ADD #c :c SET #e = :e"
        if (event_type, bucket) in revenue:
            update = "ADD #c :c, revenue :r SET #e = :e"
            values[":r"] = revenue[(event_type, bucket)]
        TABLE.update_item(
            Key={"metricType": event_type, "timeBucket": bucket},
            UpdateExpression=update,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
    return {"batchItemFailures": failures}
