"""Lambda handler sources shipped inside generated templates.

Each module here is a complete, small Lambda handler (standard library + boto3 only) exposing
``handler(event, context)``. Its text is inlined into ``AWS::Lambda::Function`` ``Code.ZipFile``
(CloudFormation writes it to ``index.py``, hence ``Handler: index.handler``), so each file stays under
:data:`MAX_INLINE_BYTES`.
"""

from __future__ import annotations

from functools import cache

#: CloudFormation's limit for inline ``ZipFile`` code is 4,096 characters; we keep a margin.
MAX_INLINE_BYTES = 4000

#: Handler name → what it does (the generated stacks use every one of them).
HANDLERS = {
    "users_api": "GET /users/{userId} (own record only, else 403) and POST /users",
    "order_service": "POST /orders: store the order, publish ORDER_CREATED, answer 202",
    "inventory_consumer": "SQS batch of ORDER_CREATED events: conditional stock decrement, "
    "INVENTORY_FAILED on oversell",
    "order_event_consumer": "SQS batch of order events: record the payment/shipping/notification step "
    "on the order",
    "saga_step": "Step Functions saga step and compensation (reserve, pay, ship, release, refund)",
    "analytics_consumer": "Kinesis records → 5-minute aggregates in DynamoDB",
    "iot_alert": "IoT rule alert → alert record in DynamoDB + SNS notification",
    "vod_submit": "S3 upload event → MediaConvert job from the stack's HLS job template",
    "websocket_relay": "WebSocket $connect/$disconnect/$default: room membership in DynamoDB, relay "
    "each message to the other connections of the room",
}


@cache
def load_handler(name: str) -> str:
    """The source text of one handler, read from the installed package."""
    from importlib.resources import files

    if name not in HANDLERS:
        raise KeyError(f"unknown Lambda handler {name!r}; known: {sorted(HANDLERS)}")
    text = files(__name__).joinpath(f"{name}.py").read_text(encoding="utf-8")
    if len(text.encode("utf-8")) > MAX_INLINE_BYTES:
        raise ValueError(
            f"handler {name} is {len(text.encode())} bytes; inline code must stay under {MAX_INLINE_BYTES}"
        )
    return text
