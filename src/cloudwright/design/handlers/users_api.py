"""Users API: GET /users/{userId} returns the caller's own record only; POST /users creates it."""

import json
import os
import time
from decimal import Decimal

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["USERS_TABLE"])
ORIGIN = os.environ.get("ALLOWED_ORIGIN")
CORS = {"Access-Control-Allow-Origin": ORIGIN, "Vary": "Origin"} if ORIGIN else {}


def _reply(status, body):
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **CORS},
        "body": json.dumps(body, default=lambda v: int(v) if isinstance(v, Decimal) else str(v)),
    }


def _caller(event):
    """The Cognito `sub` claim (REST API authorizer or HTTP API JWT authorizer)."""
    auth = (event.get("requestContext") or {}).get("authorizer") or {}
    claims = auth.get("claims") or (auth.get("jwt") or {}).get("claims") or {}
    return claims.get("sub")


def _method(event):
    ctx = event.get("requestContext") or {}
    return event.get("httpMethod") or (ctx.get("http") or {}).get("method", "")


def handler(event, context):
    caller = _caller(event)
    if not caller:
        return _reply(401, {"error": "Unauthorized"})
    method = _method(event).upper()
    if method == "GET":
        user_id = (event.get("pathParameters") or {}).get("userId")
        if user_id != caller:
            return _reply(403, {"error": "Forbidden: users can only read their own record"})
        item = TABLE.get_item(Key={"userId": user_id}).get("Item")
        if item is None:
            return _reply(404, {"error": "User not found"})
        return _reply(200, item)
    if method == "POST":
        try:
            data = json.loads(event.get("body") or "{}")
        except ValueError:
            return _reply(400, {"error": "Body must be JSON"})
        if not isinstance(data, dict) or not data.get("email"):
            return _reply(400, {"error": "email is required"})
        item = {
            "userId": caller,
            "email": str(data["email"]),
            "name": str(data.get("name", "")),
            "createdAt": int(time.time()),
        }
        try:
            TABLE.put_item(Item=item, ConditionExpression="attribute_not_exists(userId)")
        except TABLE.meta.client.exceptions.ConditionalCheckFailedException:
            return _reply(409, {"error": "User already exists"})
        return _reply(201, {"userId": caller})
    return _reply(405, {"error": "Method not allowed"})
