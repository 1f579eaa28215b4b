"""Event-driven builders: sns-fanout, eventbridge, step-functions-saga."""

from __future__ import annotations

from functools import partial

import pytest
from component_builds import build_components

from cloudwright.design.build import BuildContext, KmsKey, load_components
from cloudwright.design.components import messaging, workflows
from cloudwright.design.model import Design
from cloudwright.errors import InputError
from cloudwright.requirements import requirements_from_mapping

build = partial(build_components, name="shop")

SERVICES = ("Inventory", "Payment", "Shipping", "Notification")


def test_fanout_queue_per_service_with_dlq_and_policy() -> None:
    d = build(["sns-fanout"], requests_per_second=50, read_percent=80)
    topic = d["OrderEventsTopic"]
    assert topic.prop("KmsMasterKeyId") == "alias/aws/sns"
    assert topic.usage["sqs_subscriptions"] == 4
    month = 730 * 3600
    orders = round(50 * 0.2 * month)
    assert topic.usage["monthly_requests"] == round(orders * 1.05)
    for svc in SERVICES:
        queue, dlq = d[f"{svc}Queue"], d[f"{svc}Dlq"]
        assert queue.prop("RedrivePolicy") == {
            "deadLetterTargetArn": {"Fn::GetAtt": [f"{svc}Dlq", "Arn"]},
            "maxReceiveCount": 3,
        }
        assert queue.prop("SqsManagedSseEnabled") is True and dlq.prop("SqsManagedSseEnabled") is True
        assert queue.prop("VisibilityTimeout") == 6 * d[f"{svc}Function"].prop("Timeout")
        messages = orders if svc != "Notification" else round(orders * 1.05)  # notification gets all events
        batches = round(messages / 10)  # 10 orders/s fill batches of 10
        assert queue.usage["monthly_requests"] == messages + 2 * batches
        stmt = d[f"{svc}QueuePolicy"].prop("PolicyDocument.Statement.0")
        assert stmt["Principal"] == {"Service": "sns.amazonaws.com"}
        assert stmt["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Ref": "OrderEventsTopic"}}}
        sub = d[f"{svc}Subscription"]
        assert sub.prop("Protocol") == "sqs" and sub.prop("TopicArn") == {"Ref": "OrderEventsTopic"}
        esm = d[f"{svc}FunctionEventSource"]
        assert esm.prop("EventSourceArn") == {"Fn::GetAtt": [f"{svc}Queue", "Arn"]}
        assert esm.prop("FunctionResponseTypes") == ["ReportBatchItemFailures"]
        assert ("OrderEventsTopic", f"{svc}Queue", "event") in {(e.source, e.target, e.kind) for e in d.edges}
    # consumers that publish failure events must not receive them back
    assert d["InventorySubscription"].prop("FilterPolicy") == {"eventType": ["ORDER_CREATED"]}
    assert "FilterPolicy" not in d["NotificationSubscription"].properties
    inventory_env = d["InventoryFunction"].prop("Environment.Variables")
    assert inventory_env["INVENTORY_TABLE"] == {"Ref": "InventoryTable"}
    assert d["PaymentFunction"].prop("Environment.Variables.STEP") == "payment"


def test_fanout_subset_and_unknown_consumer() -> None:
    r = requirements_from_mapping({"name": "shop"})
    ctx = BuildContext(requirements=r, environment="prod", design=Design())
    messaging.sns_fanout(ctx, messaging.SnsFanoutOptions(consumers=["inventory", "notification"]))
    assert {q.logical_id for q in ctx.design.by_type("AWS::SQS::Queue")} == {
        "InventoryQueue",
        "InventoryDlq",
        "NotificationQueue",
        "NotificationDlq",
    }
    with pytest.raises(InputError):
        load_components()["sns-fanout"](ctx, {"consumers": ["billing"]})


def test_eventbridge_bus_archive_and_saga_rule_in_either_order() -> None:
    for steps in (
        ["sns-fanout", "eventbridge", "step-functions-saga"],
        ["step-functions-saga", "eventbridge"],
    ):
        d = build(steps)
        assert d["EventArchive"].prop("RetentionDays") == 30
        rule = d["OrderPlacedRule"]
        assert rule.prop("EventPattern.detail-type") == ["OrderPlaced"]
        target = rule.prop("Targets.0")
        assert target["Arn"] == {"Ref": "OrderSaga"}
        assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": ["EventsDlq", "Arn"]}}
        role_stmt = d["OrderPlacedRuleRole"].prop("Policies.0.PolicyDocument.Statement.0")
        assert role_stmt == {
            "Effect": "Allow",
            "Action": "states:StartExecution",
            "Resource": {"Ref": "OrderSaga"},
        }
        assert d["EventBus"].usage["monthly_custom_events"] > 0


def test_order_service_puts_events_when_bus_exists() -> None:
    d = build(["eventbridge", "sns-fanout"])
    env = d["OrderServiceFunction"].prop("Environment.Variables")
    assert env["EVENT_BUS_NAME"] == {"Fn::GetAtt": ["EventBus", "Name"]}
    stmts = d["OrderServiceFunctionRole"].prop("Policies.0.PolicyDocument.Statement")
    assert {
        "Effect": "Allow",
        "Action": "events:PutEvents",
        "Resource": {"Fn::GetAtt": ["EventBus", "Arn"]},
    } in stmts


def test_saga_definition_compensates_in_reverse() -> None:
    definition = workflows.saga_definition()
    states = definition["States"]
    catches = {name: s["Catch"][0]["Next"] for name, s in states.items() if "Catch" in s}
    assert catches == {
        "ReserveInventory": "CancelOrder",
        "ProcessPayment": "ReleaseInventory",
        "CreateShipment": "RefundPayment",
    }
    assert states["RefundPayment"]["Next"] == "ReleaseInventory"
    assert states["ReleaseInventory"]["Next"] == "CancelOrder"
    assert states["CancelOrder"]["Type"] == "Fail"
    assert states["OrderComplete"]["Type"] == "Succeed"
    # every state reachable from StartAt
    seen, todo = set(), [definition["StartAt"]]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        s = states[name]
        todo += [s["Next"]] if "Next" in s else []
        todo += [c["Next"] for c in s.get("Catch", [])]
    assert seen == set(states)


def test_saga_state_machine_logging_tracing_and_role() -> None:
    prod = build(["step-functions-saga"], requests_per_second=10, read_percent=50)
    sm = prod["OrderSaga"]
    assert sm.prop("StateMachineType") == "STANDARD"
    assert sm.prop("TracingConfiguration.Enabled") is True
    assert sm.prop("LoggingConfiguration.Destinations.0.CloudWatchLogsLogGroup.LogGroupArn") == {
        "Fn::GetAtt": ["OrderSagaLogs", "Arn"]
    }
    assert sm.prop("DefinitionSubstitutions") == {
        "SagaStepsFunctionArn": {"Fn::GetAtt": ["SagaStepsFunction", "Arn"]}
    }
    assert sm.usage["monthly_transitions"] == (5 * 730 * 3600) * workflows.HAPPY_PATH_TRANSITIONS
    invoke = prod["OrderSagaRole"].prop("Policies.0.PolicyDocument.Statement.0")
    assert invoke["Action"] == "lambda:InvokeFunction"
    assert {"Fn::GetAtt": ["SagaStepsFunction", "Arn"]} in invoke["Resource"]
    dev = build(["step-functions-saga"], env="dev")
    assert dev["OrderSaga"].prop("TracingConfiguration.Enabled") is False


def test_saga_and_fanout_never_decrement_stock_twice() -> None:
    for steps in (["sns-fanout", "step-functions-saga"], ["step-functions-saga", "sns-fanout"]):
        d = build(steps)
        saga_env = d["SagaStepsFunction"].prop("Environment.Variables")
        assert "INVENTORY_TABLE" not in saga_env
        assert d["InventoryFunction"].prop("Environment.Variables.INVENTORY_TABLE") == {
            "Ref": "InventoryTable"
        }
        assert "inventory consumer" in d.assumptions["inventory_reservation"]
    alone = build(["step-functions-saga"])
    assert alone["SagaStepsFunction"].prop("Environment.Variables.INVENTORY_TABLE") == {
        "Ref": "InventoryTable"
    }


def test_saga_points_to_express_at_high_volume_and_can_use_it() -> None:
    busy = build(["step-functions-saga"], requests_per_second=50, read_percent=80)  # 10 orders/s ≈ 26M/month
    assert any("Express workflows" in w for w in busy.warnings)
    quiet = build(["step-functions-saga"], requests_per_second=0.1)
    assert not any("Express" in w for w in quiet.warnings)
    r = requirements_from_mapping({"name": "shop", "requests_per_second": 50})
    ctx = BuildContext(requirements=r, environment="prod", design=Design())
    workflows.step_functions_saga(ctx, workflows.SagaOptions(type="express"))
    sm = ctx.design["OrderSaga"]
    assert sm.prop("StateMachineType") == "EXPRESS"
    assert set(sm.usage) == {"monthly_requests", "workflow_duration_ms", "memory_mb"}
    assert sm.usage["monthly_requests"] == round(50 * 0.2 * 730 * 3600)
    with pytest.raises(InputError):
        load_components()["step-functions-saga"](ctx, {"type": "sometimes"})


def test_archive_carries_archive_usage_and_bus_only_events() -> None:
    d = build(["eventbridge"], requests_per_second=10, read_percent=50)
    events = 5 * 730 * 3600  # one OrderPlaced per order (5 orders/s)
    assert d["EventBus"].usage == {"monthly_custom_events": events, "event_size_kb": 1.0}
    archived = d["EventArchive"].usage
    assert archived["monthly_archived_gb"] == round(events / (1024 * 1024), 3)
    assert archived["archive_storage_gb"] == pytest.approx(
        archived["monthly_archived_gb"] * 30 / 30.4, abs=1e-3
    )


def test_consumer_invocations_follow_batch_filling() -> None:
    assert messaging.batch_fill(0.05, 10, 1) == 1.0  # quiet queue: one message per invocation
    assert messaging.batch_fill(4, 10, 1) == 4.0
    assert messaging.batch_fill(500, 10, 1) == 10.0  # busy queue: full batches
    month = 730 * 3600
    busy = build(["sns-fanout"], requests_per_second=500, read_percent=80)  # 100 orders/s
    assert busy["PaymentFunction"].usage["monthly_requests"] == round(100 / 10 * month)
    quiet = build(["sns-fanout"], requests_per_second=1, read_percent=90)  # 0.1 orders/s
    assert quiet["PaymentFunction"].usage["monthly_requests"] == round(0.1 * month)


def test_shared_lambda_quota_is_checked_on_the_sum() -> None:
    # 8 functions, each below 1,000 peak concurrent executions, together above it
    d = build(["sns-fanout", "step-functions-saga"], requests_per_second=800, read_percent=0)
    assert not [w for w in d.warnings if "quota" in w and not w.startswith("Lambda functions together")]
    total = d.assumptions["lambda_peak_concurrency_total"]
    assert total > 1000
    shared = [w for w in d.warnings if w.startswith("Lambda functions together")]
    assert len(shared) == 1 and f"{total:,}" in shared[0]


def test_quiet_queue_still_bills_idle_long_polls() -> None:
    total, note = messaging.sqs_requests(1000, batch_size=10, window_s=1)
    floor = messaging.IDLE_POLLERS * 730 * 3600 // messaging.LONG_POLL_S
    assert total == 1000 + floor + 1000  # batches of one message; receives held up by the idle floor
    assert "idle" in note["rule"]


def test_auto_type_picks_express_whenever_the_steps_are_idempotent_in_either_order() -> None:
    # Express costs less per execution than Standard's four transitions at every volume, so choosing it for
    # idempotent steps at any load keeps "more load never costs less" true
    for steps in (["sns-fanout", "step-functions-saga"], ["step-functions-saga", "sns-fanout"]):
        for rps in (1, 50):  # 0.2 and 10 orders/s
            design = build(steps, requests_per_second=rps, read_percent=80)
            sm = design["OrderSaga"]
            assert sm.prop("StateMachineType") == "EXPRESS"
            assert "monthly_requests" in sm.usage and "monthly_transitions" not in sm.usage
            assert not any("Express workflows" in w for w in design.warnings)
    # stock-moving steps are not idempotent: stay Standard, say what Express would need
    alone = build(["step-functions-saga"], requests_per_second=50, read_percent=80)
    assert alone["OrderSaga"].prop("StateMachineType") == "STANDARD"
    assert any("make every step idempotent" in w for w in alone.warnings)


def test_publishers_may_use_the_customer_managed_key() -> None:
    r = requirements_from_mapping({"name": "shop"})
    ctx = BuildContext(requirements=r, environment="prod", design=Design())
    ctx.provided.kms_key = KmsKey(key="DataKey", alias="DataKeyAlias")
    messaging.sns_fanout(ctx, messaging.SnsFanoutOptions())
    d = ctx.design
    assert d["OrderEventsTopic"].prop("KmsMasterKeyId") == {"Ref": "DataKey"}
    key_use = {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
               "Resource": {"Fn::GetAtt": ["DataKey", "Arn"]}}  # fmt: skip
    for publisher in ("OrderServiceFunctionRole", "InventoryFunctionRole"):
        assert key_use in d[publisher].prop("Policies.0.PolicyDocument.Statement")
    payment = d["PaymentFunctionRole"].prop("Policies.0.PolicyDocument.Statement")
    assert key_use not in payment
    assert {
        "Effect": "Allow",
        "Action": ["kms:Decrypt"],
        "Resource": {"Fn::GetAtt": ["DataKey", "Arn"]},
    } in payment
    assert d["PaymentFunction"].prop("KmsKeyArn") == {"Fn::GetAtt": ["DataKey", "Arn"]}


def test_fanout_and_saga_options_are_typed() -> None:
    from typing import get_args

    assert set(get_args(messaging.Consumer)) == set(messaging.CONSUMERS)
    # the workflow type is read in any letter case; an unknown one names the option and what is allowed
    assert workflows.SagaOptions.model_validate({"type": "Express"}).type == "express"
    with pytest.raises(InputError) as err:
        load_components()["step-functions-saga"].parse_options({"type": "sometimes"}, pattern_id="p")
    assert err.value.field == "pattern p: component step-functions-saga options.type"
    assert "'auto' | 'standard' | 'express'" in str(err.value)
