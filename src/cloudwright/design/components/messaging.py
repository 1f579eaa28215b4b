"""Events and queues: ``sns-fanout`` (order topic → SQS queues with DLQs → consumer Lambdas) and
``eventbridge`` (custom bus + rules + archive), plus the order service that publishes the events.

Order rate = average RPS × write share (1 − read_percent) — every write request is an order in the
event-driven pattern (seed 002: the order service publishes one ORDER_CREATED per order).
"""

from __future__ import annotations

from typing import Any, Literal

from cloudwright.design.build import BuildContext, BuilderOptions, EventBus, NoOptions, component
from cloudwright.design.components.lambdas import (
    SECONDS_PER_MONTH,
    add_function,
    function_environment,
    kms_statements,
    monthly,
    policy_document,
    role_statements,
    skip,
    table_statement,
)
from cloudwright.design.components.nosql import ensure_table

SRC_SQS_LAMBDA = (
    "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html "
    "(set the queue's visibility timeout to at least six times the function timeout)"
)
SRC_SQS_DLQ = (
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html"
)
SRC_SNS_SQS = "https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html"
SRC_SNS_FILTER = "https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html"
SRC_EB_ARCHIVE = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html"

#: Redrive after this many receives (seed 000: "Dead letter queue after 3 retries").
MAX_RECEIVE_COUNT = 3
CONSUMER_TIMEOUT_S = 30


def sse_sqs_skip() -> dict[str, Any]:
    return skip(
        (
            "CKV_AWS_27",
            "Encrypted at rest with SQS managed keys (SqsManagedSseEnabled); a KMS key "
            "would need its key policy opened to SNS/EventBridge for no added control.",
        )
    )


EVENT_KB = 1.0  # assumption: an order event (ids, items, amount) is about 1 KB of JSON

#: Consumers of the order topic: name → (handler, events it subscribes to, what it does).
CONSUMERS: dict[str, tuple[str, list[str] | None, str]] = {
    "inventory": ("inventory_consumer", ["ORDER_CREATED"], "reserves stock with a conditional decrement"),
    "payment": ("order_event_consumer", ["ORDER_CREATED"], "charges the customer (records the payment step)"),
    "shipping": (
        "order_event_consumer",
        ["ORDER_CREATED"],
        "creates the shipment (records the shipping step)",
    ),
    "notification": ("order_event_consumer", None, "tells the customer about every order event"),
}


def batch_fill(rate: float, batch_size: int, window_s: float) -> float:
    """Average records per invocation when a poller waits up to ``window_s`` to fill ``batch_size``:
    busy sources fill batches, quiet ones invoke with what arrived (at least one record)."""
    return max(1.0, min(float(batch_size), rate * window_s))


#: Long polls an idle SQS event source mapping keeps open (assumption: Lambda starts with five pollers;
#: each ReceiveMessage waits up to 20 s), so even an empty queue bills about this many receives a month.
IDLE_POLLERS = 5
LONG_POLL_S = 20


def sqs_requests(monthly_messages: int, *, batch_size: int, window_s: float) -> tuple[int, dict[str, str]]:
    """SQS requests for a queue drained by Lambda: one send per message, one receive and one batch delete
    per batch, and at least the idle long-polling floor of receives."""
    rate = monthly_messages / SECONDS_PER_MONTH
    fill = batch_fill(rate, batch_size, window_s)
    batches = round(monthly_messages / fill)
    idle_floor = round(IDLE_POLLERS * SECONDS_PER_MONTH / LONG_POLL_S)
    receives = max(batches, idle_floor)
    total = monthly_messages + receives + batches
    return total, {
        "rule": "requests = sends + max(batches, idle long polls) + batch deletes",
        "value": f"{monthly_messages:,} messages in batches of ~{fill:.0f} → {total:,} requests/month "
        f"(idle floor {idle_floor:,} receives: {IDLE_POLLERS} pollers × {LONG_POLL_S} s long polls)",
        "source": "https://aws.amazon.com/sqs/pricing/ (every API action is a request); " + SRC_SQS_LAMBDA,
    }


def order_rate(ctx: BuildContext) -> float:
    """Average orders per second in production (write share of the requests)."""
    req = ctx.requirements
    return req.requests_per_second * (1 - req.read_percent / 100)


def ensure_topic(ctx: BuildContext, component_id: str = "sns-fanout") -> str:
    if ctx.has("OrderEventsTopic"):
        return "OrderEventsTopic"
    from cloudwright.design.components.lambdas import kms_key

    key = kms_key(ctx)
    publishes = monthly(ctx, order_rate(ctx)) * 1.05  # ORDER_CREATED + ~5% failure events (assumption)
    ctx.add(
        "OrderEventsTopic",
        "AWS::SNS::Topic",
        {
            "DisplayName": "Order events",
            "KmsMasterKeyId": {"Ref": key} if key else "alias/aws/sns",
        },
        usage={
            "monthly_requests": round(publishes),
            "request_size_kb": EVENT_KB,
            "http_subscriptions": 0,
            "email_subscriptions": 0,
            "sqs_subscriptions": len(CONSUMERS),
        },
        label="Order events topic",
        role="events",
        component_id=component_id,
        rationale="SNS fan-out: one publish reaches every service queue; services stay decoupled and new "
        "consumers subscribe without touching the publisher.",
        sizing=[
            {
                "rule": "publishes = orders/month (+5% failure events)",
                "value": f"{order_rate(ctx) * ctx.load_factor:,.2f} orders/s → {publishes:,.0f} "
                f"publishes/month",
                "source": "requirements (requests_per_second × (1 − read_percent))",
            }
        ],
    )
    ctx.provided.order_events.topic = "OrderEventsTopic"
    return "OrderEventsTopic"


def ensure_order_service(ctx: BuildContext, component_id: str = "sns-fanout") -> str:
    """The order service function (writes the order, publishes ORDER_CREATED); added once."""
    if ctx.has("OrderServiceFunction"):
        return "OrderServiceFunction"
    orders = ensure_table(ctx, "orders", component_id=component_id)
    topic = ensure_topic(ctx, component_id)
    add_function(
        ctx,
        "OrderServiceFunction",
        handler="order_service",
        label="Order service",
        role="service",
        rationale="Stores the order as PENDING, publishes ORDER_CREATED with an eventType message attribute, "
        "answers 202 Accepted: the slow work happens asynchronously in the consumers.",
        statements=[
            table_statement(orders, ["dynamodb:PutItem"]),
            {"Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": topic}},
            *kms_statements(ctx, ["kms:Decrypt", "kms:GenerateDataKey"]),
        ],
        environment={"ORDERS_TABLE": {"Ref": orders}, "ORDER_EVENTS_TOPIC": {"Ref": topic}},
        rps=order_rate(ctx),
        duration_ms=120,
        memory_mb=256,
        timeout_s=10,
        component_id=component_id,
    )
    ctx.connect("OrderServiceFunction", orders, "data", "PutItem order")
    ctx.connect("OrderServiceFunction", topic, "event", "ORDER_CREATED")
    return "OrderServiceFunction"


def add_queue_with_dlq(
    ctx: BuildContext, name: str, *, label: str, monthly_messages: int, timeout_s: int, component_id: str
) -> tuple[str, str]:
    """A queue + its dead-letter queue (RedrivePolicy maxReceiveCount 3), SSE-SQS on both."""
    queue, dlq = f"{name}Queue", f"{name}Dlq"
    visibility = 6 * timeout_s
    requests, request_note = sqs_requests(monthly_messages, batch_size=10, window_s=1)
    ctx.add(
        dlq,
        "AWS::SQS::Queue",
        {
            "MessageRetentionPeriod": 1_209_600,  # 14 days, the maximum: time to inspect and redrive
            "SqsManagedSseEnabled": True,
        },
        usage={"monthly_requests": round(monthly_messages * 0.01), "request_size_kb": EVENT_KB},
        label=f"{label} DLQ",
        role="dead-letter queue",
        component_id=component_id,
        rationale="Poison messages land here after 3 receives instead of blocking the queue; kept 14 days.",
        sizing=[{"rule": "DLQ traffic", "value": "assumed ≤ 1% of messages", "source": SRC_SQS_DLQ}],
        attributes={"Metadata": sse_sqs_skip()},
    )
    ctx.add(
        queue,
        "AWS::SQS::Queue",
        {
            "VisibilityTimeout": visibility,
            "MessageRetentionPeriod": 345_600,  # 4 days (seed 000)
            "ReceiveMessageWaitTimeSeconds": 20,
            "SqsManagedSseEnabled": True,
            "RedrivePolicy": {
                "deadLetterTargetArn": {"Fn::GetAtt": [dlq, "Arn"]},
                "maxReceiveCount": MAX_RECEIVE_COUNT,
            },
        },
        usage={"monthly_requests": requests, "request_size_kb": EVENT_KB},
        label=label,
        role="queue",
        component_id=component_id,
        rationale=f"Buffers events for its consumer; visibility {visibility} s = 6 × the {timeout_s} s "
        f"function "
        f"timeout; redrive to the DLQ after {MAX_RECEIVE_COUNT} receives.",
        sizing=[
            request_note,
            {
                "rule": "visibility timeout = 6 × function timeout",
                "value": f"{visibility} s",
                "source": SRC_SQS_LAMBDA,
            },
        ],
        attributes={"Metadata": sse_sqs_skip()},
    )
    ctx.connect(queue, dlq, "event", f"redrive after {MAX_RECEIVE_COUNT}")
    return queue, dlq


def add_queue_consumer(
    ctx: BuildContext,
    queue: str,
    function: str,
    *,
    batch_size: int = 10,
    max_concurrency: int | None = None,
    component_id: str,
) -> None:
    props: dict[str, Any] = {
        "EventSourceArn": {"Fn::GetAtt": [queue, "Arn"]},
        "FunctionName": {"Ref": function},
        "BatchSize": batch_size,
        "MaximumBatchingWindowInSeconds": 1,
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
    }
    if max_concurrency:
        props["ScalingConfig"] = {"MaximumConcurrency": max(2, min(1000, max_concurrency))}
    ctx.add(
        f"{function}EventSource",
        "AWS::Lambda::EventSourceMapping",
        props,
        label=f"{queue} → {function}",
        role="trigger",
        component_id=component_id,
        rationale="Batches of up to 10 with partial batch responses: only failed messages are retried.",
    )
    ctx.connect(queue, function, "event", "poll batch")


def queue_statement(queue: str) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Action": [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
        ],
        "Resource": {"Fn::GetAtt": [queue, "Arn"]},
    }


def _add_queue_policy(ctx: BuildContext, cid: str, title: str, queue: str, topic: str) -> None:
    ctx.add(
        f"{title}QueuePolicy",
        "AWS::SQS::QueuePolicy",
        {
            "Queues": [{"Ref": queue}],
            "PolicyDocument": policy_document(
                [
                    {
                        "Sid": "AllowOrderTopic",
                        "Effect": "Allow",
                        "Principal": {"Service": "sns.amazonaws.com"},
                        "Action": "sqs:SendMessage",
                        "Resource": {"Fn::GetAtt": [queue, "Arn"]},
                        "Condition": {"ArnEquals": {"aws:SourceArn": {"Ref": topic}}},
                    }
                ]
            ),
        },
        label=f"{title} queue policy",
        role="security",
        component_id=cid,
        rationale="Only the order topic may send to this queue.",
    )


def _add_subscription(
    ctx: BuildContext, cid: str, title: str, queue: str, topic: str, events: list[str] | None
) -> None:
    """The queue's subscription to the topic, filtered on ``eventType`` when ``events`` are given."""
    sub: dict[str, Any] = {
        "TopicArn": {"Ref": topic},
        "Protocol": "sqs",
        "Endpoint": {"Fn::GetAtt": [queue, "Arn"]},
        "RawMessageDelivery": False,
    }
    if events:
        sub["FilterPolicyScope"] = "MessageAttributes"
        sub["FilterPolicy"] = {"eventType": list(events)}
    ctx.add(
        f"{title}Subscription",
        "AWS::SNS::Subscription",
        sub,
        label=f"topic → {title.lower()} queue",
        role="subscription",
        component_id=cid,
        sizing=[
            {
                "rule": "filter policy",
                "value": ", ".join(events) if events else "all events",
                "source": SRC_SNS_FILTER,
            }
        ],
        rationale="Filtering on eventType keeps failure events from looping back into the consumers "
        "that raise them."
        if events
        else "Receives every order event.",
    )
    ctx.connect(topic, queue, "event", ", ".join(events) if events else "all events")


def _add_consumer_function(
    ctx: BuildContext, cid: str, name: str, queue: str, topic: str, orders: str, rate: float
) -> str:
    """The consumer's function: updates the order; the inventory consumer also decrements stock and
    publishes INVENTORY_FAILED."""
    handler, _events, does = CONSUMERS[name]
    title = name.title()
    env: dict[str, Any] = {"ORDERS_TABLE": {"Ref": orders}}
    statements = [queue_statement(queue), table_statement(orders, ["dynamodb:UpdateItem"])]
    if handler == "inventory_consumer":
        inventory = ensure_table(ctx, "inventory", component_id=cid)
        env.update({"INVENTORY_TABLE": {"Ref": inventory}, "ORDER_EVENTS_TOPIC": {"Ref": topic}})
        statements += [
            table_statement(inventory, ["dynamodb:UpdateItem"]),
            {"Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": topic}},
            *kms_statements(ctx, ["kms:Decrypt", "kms:GenerateDataKey"]),
        ]
    else:
        env["STEP"] = name
    return add_function(
        ctx,
        f"{title}Function",
        handler=handler,
        label=f"{title} service",
        role="consumer",
        rationale=f"Consumes its queue in batches and {does}.",
        statements=statements,
        environment=env,
        rps=rate / batch_fill(rate * ctx.load_factor, 10, 1),
        duration_ms=200,
        memory_mb=256,
        timeout_s=CONSUMER_TIMEOUT_S,
        invocation="poll",
        component_id=cid,
    )


def _add_consumer(ctx: BuildContext, cid: str, name: str, topic: str, orders: str) -> None:
    """One consumer of the order topic: queue + DLQ, queue policy, subscription, function, trigger."""
    handler, events, _does = CONSUMERS[name]
    title = name.title()
    rate = order_rate(ctx)
    messages = monthly(ctx, rate)
    queue, _dlq = add_queue_with_dlq(
        ctx,
        title,
        label=f"{title} queue",
        monthly_messages=messages if events else round(messages * 1.05),
        timeout_s=CONSUMER_TIMEOUT_S,
        component_id=cid,
    )
    _add_queue_policy(ctx, cid, title, queue, topic)
    _add_subscription(ctx, cid, title, queue, topic, events)
    fn = _add_consumer_function(ctx, cid, name, queue, topic, orders, rate)
    peak_conc = max(2, round(rate * ctx.requirements.peak_to_average_ratio * ctx.load_factor * 0.2) + 2)
    add_queue_consumer(ctx, queue, fn, max_concurrency=peak_conc, component_id=cid)
    ctx.connect(fn, orders, "data", "update order")
    if handler == "inventory_consumer":
        ctx.connect(fn, "InventoryTable", "data", "conditional decrement")
        ctx.connect(fn, topic, "event", "INVENTORY_FAILED")


#: The consumers a pattern may pick (the keys of :data:`CONSUMERS`).
Consumer = Literal["inventory", "payment", "shipping", "notification"]


class SnsFanoutOptions(BuilderOptions):
    """Options of ``sns-fanout``."""

    consumers: list[Consumer] | None = None
    """The services that consume order events; ``None`` (or an empty list): all four."""


@component("sns-fanout", options=SnsFanoutOptions, uses=["kms_key", "apis"], provides=["order_events"])
def sns_fanout(ctx: BuildContext, options: SnsFanoutOptions) -> None:
    """Order events topic → one SQS queue (+DLQ) per service → consumer Lambdas."""
    cid = "sns-fanout"
    names: list[str] = list(options.consumers or CONSUMERS)
    ensure_order_service(ctx, cid)
    topic = ensure_topic(ctx, cid)
    orders = ensure_table(ctx, "orders", component_id=cid)
    for name in names:
        _add_consumer(ctx, cid, name, topic, orders)
    ctx.provided.order_events.queues = sorted(f"{n.title()}Queue" for n in names)


# --- eventbridge ---------------------------------------------------------------------------------------
def event_source(ctx: BuildContext) -> str:
    return f"{ctx.requirements.name}.orders"


def _add_events_dlq(ctx: BuildContext, cid: str) -> None:
    """The queue for events a rule could not deliver, writable by this account's rules."""
    ctx.add(
        "EventsDlq",
        "AWS::SQS::Queue",
        {"MessageRetentionPeriod": 1_209_600, "SqsManagedSseEnabled": True},
        usage={"monthly_requests": 0, "request_size_kb": EVENT_KB},
        label="Event delivery DLQ",
        role="dead-letter queue",
        component_id=cid,
        rationale="Events a rule could not deliver after retries are kept 14 days for redrive.",
        attributes={"Metadata": sse_sqs_skip()},
    )
    ctx.add(
        "EventsDlqPolicy",
        "AWS::SQS::QueuePolicy",
        {
            "Queues": [{"Ref": "EventsDlq"}],
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AllowEventBridgeRules",
                        "Effect": "Allow",
                        "Principal": {"Service": "events.amazonaws.com"},
                        "Action": "sqs:SendMessage",
                        "Resource": {"Fn::GetAtt": ["EventsDlq", "Arn"]},
                        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
                    }
                ],
            },
        },
        label="Event DLQ policy",
        role="security",
        component_id=cid,
    )


@component("eventbridge", options=NoOptions, uses=["kms_key", "apis", "order_events"], provides=["event_bus"])
def eventbridge(ctx: BuildContext, options: NoOptions) -> None:
    """Custom event bus + archive (replay) + rules routing order events (to the saga when present)."""
    cid = "eventbridge"
    events = monthly(ctx, order_rate(ctx))  # one OrderPlaced per order from the order service
    retention = 30 if ctx.is_prod else 7
    archived_gb = round(events * EVENT_KB / (1024 * 1024), 3)
    archive_gb = round(archived_gb * retention / 30.4, 3)
    ctx.add(
        "EventBus",
        "AWS::Events::EventBus",
        {"Name": {"Fn::Sub": "${AWS::StackName}-events"}},
        usage={"monthly_custom_events": events, "event_size_kb": EVENT_KB},
        label="Event bus",
        role="events",
        component_id=cid,
        rationale="Custom bus for domain events between services; rules route by source and detail-type.",
        sizing=[
            {
                "rule": "events = orders (one OrderPlaced each)",
                "value": f"{events:,} events/month; archive {archive_gb:g} GB for {retention} days",
                "source": "requirements; " + SRC_EB_ARCHIVE,
            }
        ],
    )
    ctx.add(
        "EventArchive",
        "AWS::Events::Archive",
        {
            "SourceArn": {"Fn::GetAtt": ["EventBus", "Arn"]},
            "Description": "Replayable history of order events",
            "RetentionDays": retention,
            "EventPattern": {"source": [event_source(ctx)]},
        },
        usage={"monthly_archived_gb": archived_gb, "archive_storage_gb": archive_gb},
        label="Event archive",
        role="events",
        component_id=cid,
        rationale=f"Keeps {retention} days of events so a fixed consumer can replay what it missed.",
    )
    ctx.connect("EventBus", "EventArchive", "data", "archive")
    _add_events_dlq(ctx, cid)
    bus = EventBus(bus="EventBus", source=event_source(ctx), dlq="EventsDlq")
    ctx.provided.event_bus = bus
    _link_order_service(ctx, bus)


def _link_order_service(ctx: BuildContext, bus: EventBus) -> None:
    """The order service (made by the API or the fan-out builder, which run first) publishes to the bus."""
    if not ctx.has("OrderServiceFunction"):
        return
    function_environment(ctx, "OrderServiceFunction").update(
        {"EVENT_BUS_NAME": {"Fn::GetAtt": [bus.bus, "Name"]}, "EVENT_SOURCE": bus.source}
    )
    role_statements(ctx, "OrderServiceFunctionRole").append(
        {"Effect": "Allow", "Action": "events:PutEvents", "Resource": {"Fn::GetAtt": [bus.bus, "Arn"]}}
    )
    ctx.connect("OrderServiceFunction", bus.bus, "event", "OrderPlaced")
