"""Small boto3 helpers for the handler tests (tables, a topic with a probe queue)."""

from __future__ import annotations

from typing import Any

REGION = "us-east-1"


def make_table(name: str, keys: list[tuple[str, str, str]]) -> Any:
    import boto3

    ddb = boto3.resource("dynamodb", region_name=REGION)
    return ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": a, "KeyType": k} for a, _, k in keys],
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t, _ in keys],
        BillingMode="PAY_PER_REQUEST",
    )


def topic_with_queue(topic_name: str = "orders", filter_event: str | None = None) -> tuple[str, str]:
    """An SNS topic with one subscribed SQS queue; returns (topic ARN, queue URL)."""
    import json

    import boto3

    sns = boto3.client("sns", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    topic = sns.create_topic(Name=topic_name)["TopicArn"]
    url = sqs.create_queue(QueueName=f"{topic_name}-probe")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    attrs = {"FilterPolicy": json.dumps({"eventType": [filter_event]})} if filter_event else {}
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes=attrs)
    return topic, url


def drain(url: str) -> list[dict[str, Any]]:
    """SNS envelopes received on a queue."""
    import json

    import boto3

    sqs = boto3.client("sqs", region_name=REGION)
    out = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    return [json.loads(m["Body"]) for m in out.get("Messages", [])]
