"""WebSocket relay: API Gateway WebSocket routes $connect, $disconnect and $default.

$connect ?room=<id> stores the connection twice in one table (room item + connection item, both
TTL-expired after the 2-hour connection limit); $default relays the message body to every other
connection in the sender's room; $disconnect removes both items. Stale connections (410 Gone) are
removed while relaying.
"""

import os
import time

import boto3
from boto3.dynamodb.conditions import Key

TABLE = boto3.resource("dynamodb").Table(os.environ["CONNECTIONS_TABLE"])
TTL_SECONDS = 2 * 3600 + 300


def _forget(room, conn):
    TABLE.delete_item(Key={"pk": f"room#{room}", "sk": conn})
    TABLE.delete_item(Key={"pk": f"conn#{conn}", "sk": "room"})


def handler(event, context):
    ctx = event["requestContext"]
    route, conn = ctx["routeKey"], ctx["connectionId"]
    if route == "$connect":
        room = ((event.get("queryStringParameters") or {}).get("room") or "lobby")[:64]
        expires = int(time.time()) + TTL_SECONDS
        with TABLE.batch_writer() as batch:
            batch.put_item(Item={"pk": f"room#{room}", "sk": conn, "expiresAt": expires})
            batch.put_item(Item={"pk": f"conn#{conn}", "sk": "room", "room": room, "expiresAt": expires})
        return {"statusCode": 200}
    item = TABLE.get_item(Key={"pk": f"conn#{conn}", "sk": "room"}).get("Item")
    if item is None:
        return {"statusCode": 410 if route != "$disconnect" else 200}
    room = item["room"]
    if route == "$disconnect":
        _forget(room, conn)
        return {"statusCode": 200}
    endpoint = f"https://{ctx['domainName']}/{ctx['stage']}"
    api = boto3.client("apigatewaymanagementapi", endpoint_url=endpoint)
    body = (event.get("body") or "").encode("utf-8")
    sent = 0
    kwargs = {"KeyConditionExpression": Key("pk").eq(f"room#{room}")}
    while True:
        page = TABLE.query(**kwargs)
        for peer in page["Items"]:
            if peer["sk"] == conn:
                continue
            try:
                api.post_to_connection(ConnectionId=peer["sk"], Data=body)
                sent += 1
            except api.exceptions.GoneException:
                _forget(room, peer["sk"])
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return {"statusCode": 200, "body": str(sent)}
