"""Orchestration: the ``step-functions-saga`` builder (seed 002's order saga with compensations)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import field_validator

from cloudwright.design.build import BuildContext, BuilderOptions, EventBus, Saga, component
from cloudwright.design.components.lambdas import (
    add_function,
    add_log_group,
    function_arn,
    function_environment,
    monthly,
    role_statements,
    service_role_properties,
    table_statement,
)
from cloudwright.design.components.messaging import order_rate
from cloudwright.design.components.nosql import ensure_table
from cloudwright.units import JsonValue

SRC_SFN_TYPES = (
    "https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html "
    "(Standard: exactly-once, up to one year, priced per state transition)"
)
SRC_SFN_LOGGING = "https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html"

#: Forward steps and the compensation that undoes each (seed 002 saga).
FORWARD = [
    ("ReserveInventory", "reserve_inventory", "CancelOrder"),
    ("ProcessPayment", "process_payment", "ReleaseInventory"),
    ("CreateShipment", "create_shipment", "RefundPayment"),
]
#: States entered on the happy path: three steps + OrderComplete.
HAPPY_PATH_TRANSITIONS = 4
#: Above this many executions a month we point out the Express alternative (cost vs exactly-once).
EXPRESS_HINT_EXECUTIONS = 1_000_000
#: Assumed Express execution time: three Lambda steps of ~100 ms plus orchestration overhead.
EXPRESS_DURATION_MS = 500


def _task(step: str, next_state: str | None, catch_to: str | None) -> dict[str, Any]:
    state: dict[str, Any] = {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {
            "FunctionName": "${SagaStepsFunctionArn}",
            "Payload": {"step": step, "order.$": "$.order"},
        },
        "ResultSelector": {"result.$": "$.Payload"},
        "ResultPath": f"$.results.{step}",
        "Retry": [
            {
                "ErrorEquals": [
                    "Lambda.ServiceException",
                    "Lambda.AWSLambdaException",
                    "Lambda.SdkClientException",
                    "Lambda.TooManyRequestsException",
                ],
                "IntervalSeconds": 2,
                "MaxAttempts": 3,
                "BackoffRate": 2.0,
            }
        ],
    }
    if catch_to:
        state["Catch"] = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": catch_to}]
    if next_state:
        state["Next"] = next_state
    else:
        state["End"] = True
    return state


def saga_definition() -> dict[str, Any]:
    """The order saga: each forward step's failure runs the compensations of the steps before it."""
    states: dict[str, Any] = {
        "ReserveInventory": _task("reserve_inventory", "ProcessPayment", "CancelOrder"),
        "ProcessPayment": _task("process_payment", "CreateShipment", "ReleaseInventory"),
        "CreateShipment": _task("create_shipment", "OrderComplete", "RefundPayment"),
        "OrderComplete": {"Type": "Succeed"},
        "RefundPayment": _task("refund_payment", "ReleaseInventory", None),
        "ReleaseInventory": _task("release_inventory", "CancelOrder", None),
        "CancelOrder": {
            "Type": "Fail",
            "Error": "OrderCancelled",
            "Cause": "A saga step failed; compensated.",
        },
    }
    return {
        "Comment": "Order saga (orchestration): reserve → pay → ship, compensating in reverse on failure",
        "StartAt": "Normalize",
        "States": {
            "Normalize": {"Type": "Pass", "Parameters": {"order.$": "$"}, "Next": "ReserveInventory"},
            **states,
        },
    }


def steps_idempotent(ctx: BuildContext) -> bool:
    """Saga steps only record status (stock is owned by the fan-out consumer): safe to run twice."""
    return ctx.has("SagaStepsFunction") and "INVENTORY_TABLE" not in function_environment(
        ctx, "SagaStepsFunction"
    )


def choose_type(ctx: BuildContext) -> None:
    """Standard or Express for the saga, from the requested type, the volume and step idempotency.

    ``auto``: Express when every step is idempotent (Express runs at-least-once; per request and duration
    it costs less than four Standard transitions at any volume, so the choice never makes more load
    cheaper), Standard otherwise, with a hint above :data:`EXPRESS_HINT_EXECUTIONS`. Re-run whenever
    idempotency may change (builders run in any order).
    """
    saga = ctx.provided.saga
    sm = ctx.design.get("OrderSaga")
    if not saga or sm is None:
        return
    executions = saga.executions
    transitions = executions * HAPPY_PATH_TRANSITIONS
    idempotent = steps_idempotent(ctx)
    kind = saga.requested
    if kind == "AUTO":
        kind = "EXPRESS" if idempotent else "STANDARD"
    hint = (
        f"Order saga: {executions:,} executions/month on a Standard workflow bill {transitions:,} state "
        "transitions; Express workflows bill per request and duration instead and usually cost far less at "
        "this volume, but run at-least-once: make every step idempotent, then set the option type: express."
    )
    ctx.design.warnings = [w for w in ctx.design.warnings if w != hint]
    if kind == "STANDARD" and ctx.is_prod and executions > EXPRESS_HINT_EXECUTIONS:
        ctx.warn(hint)
    sm.properties["StateMachineType"] = kind
    if kind == "STANDARD":
        sm.usage = {"monthly_transitions": transitions}
        usage_note: dict[str, JsonValue] = {
            "rule": "transitions = orders × 4 (happy path)",
            "value": f"{executions:,} executions → {transitions:,} transitions/month",
            "source": SRC_SFN_TYPES,
        }
        why = "Standard workflow: exactly-once steps and an auditable history for money-moving transactions; "
    else:
        sm.usage = {
            "monthly_requests": executions,
            "workflow_duration_ms": EXPRESS_DURATION_MS,
            "memory_mb": 64,
        }
        usage_note = {
            "rule": "requests = orders; duration ≈ 3 Lambda steps + orchestration",
            "value": f"{executions:,} executions × {EXPRESS_DURATION_MS} ms (assumption)",
            "source": SRC_SFN_TYPES,
        }
        why = (
            "Express workflow: "
            + ("status-only (idempotent) steps, " if saga.requested == "AUTO" else "")
            + "priced per request and duration; runs at-least-once; "
        )
    sm.metadata["rationale"] = why + "each failure runs the compensations of the steps already done."
    sm.metadata["sizing"] = [
        usage_note,
        {
            "rule": "type",
            "value": f"{kind} (requested {saga.requested.lower()}; steps "
            + ("idempotent" if idempotent else "not idempotent: they move stock")
            + ")",
            "source": "seed 000: Standard (long-running) or Express (high volume); " + SRC_SFN_TYPES,
        },
        {
            "rule": "logging",
            "value": "ERROR in prod, ALL elsewhere; execution data excluded (PII)",
            "source": SRC_SFN_LOGGING,
        },
    ]


def reconcile_inventory_owner(ctx: BuildContext) -> None:
    """With both the fan-out inventory consumer and the saga, stock is decremented once: by the consumer.

    The saga then records order status only (no second decrement), and says so in a warning.
    """
    if not ctx.has("SagaStepsFunction") or not ctx.has("InventoryFunction"):
        return
    if function_environment(ctx, "SagaStepsFunction").pop("INVENTORY_TABLE", None) is None:
        return
    inventory = [{"Fn::GetAtt": ["InventoryTable", "Arn"]}]
    statements = role_statements(ctx, "SagaStepsFunctionRole")
    statements[:] = [s for s in statements if not (isinstance(s, dict) and s.get("Resource") == inventory)]
    ctx.design.edges = [
        e for e in ctx.design.edges if not (e.source == "SagaStepsFunction" and e.target == "InventoryTable")
    ]
    choose_type(ctx)
    ctx.assume(
        "inventory_reservation",
        "the fan-out inventory consumer reserves stock (conditional decrement); the saga's inventory steps "
        "record status only — drop the inventory queue to let the saga own stock and its compensation",
    )


def log_delivery_statement() -> dict[str, Any]:
    """The statement a state machine's role needs to deliver its execution logs to CloudWatch Logs
    (the vended-log delivery APIs take no resource-level permissions)."""
    return {
        "Effect": "Allow",
        "Action": [
            "logs:CreateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:DescribeLogGroups",
            "logs:DescribeResourcePolicies",
            "logs:GetLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:UpdateLogDelivery",
        ],
        "Resource": "*",
    }


#: Actions X-Ray tracing needs (no resource-level scope).
XRAY_ACTIONS = [
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
]


class SagaOptions(BuilderOptions):
    """Options of ``step-functions-saga``."""

    type: Literal["auto", "standard", "express"] = "auto"
    """The workflow type (any letter case): ``standard``, ``express``, or ``auto`` (Express when every
    step is idempotent, Standard otherwise; see :func:`choose_type`)."""

    @field_validator("type", mode="before")
    @classmethod
    def _any_case(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value


def _add_steps_function(ctx: BuildContext, cid: str, orders: str, inventory: str, rate: float) -> str:
    """The one Lambda function that runs every saga step and compensation."""
    return add_function(
        ctx,
        "SagaStepsFunction",
        handler="saga_step",
        label="Saga steps",
        role="workflow-step",
        rationale="One small function runs every saga step and compensation, selected by the state input.",
        statements=[
            table_statement(orders, ["dynamodb:UpdateItem"]),
            table_statement(inventory, ["dynamodb:UpdateItem"]),
        ],
        environment={"ORDERS_TABLE": {"Ref": orders}, "INVENTORY_TABLE": {"Ref": inventory}},
        rps=rate * len(FORWARD),
        duration_ms=100,
        memory_mb=256,
        timeout_s=10,
        invocation="sync",
        component_id=cid,
    )


def _add_saga_role(ctx: BuildContext, cid: str, fn: str) -> None:
    """The state machine's role: invoke the steps function, deliver logs, and trace in prod."""
    statements: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": [function_arn(fn), {"Fn::Sub": "${" + fn + ".Arn}:*"}],
        },
        log_delivery_statement(),
    ]
    if ctx.is_prod:
        statements.append({"Effect": "Allow", "Action": list(XRAY_ACTIONS), "Resource": "*"})
    ctx.add(
        "OrderSagaRole",
        "AWS::IAM::Role",
        service_role_properties("states.amazonaws.com", "saga", statements),
        label="Saga role",
        role="iam",
        component_id=cid,
        rationale="Invoke only the saga function; log delivery and X-Ray actions have no resource-level "
        "scope.",
    )


def _add_state_machine(ctx: BuildContext, cid: str, fn: str) -> None:
    """The saga state machine (Standard until :func:`choose_type` decides), logging to ``OrderSagaLogs``."""
    ctx.add(
        "OrderSaga",
        "AWS::StepFunctions::StateMachine",
        {
            "StateMachineType": "STANDARD",
            "RoleArn": {"Fn::GetAtt": ["OrderSagaRole", "Arn"]},
            "Definition": saga_definition(),
            "DefinitionSubstitutions": {"SagaStepsFunctionArn": function_arn(fn)},
            "LoggingConfiguration": {
                "Level": "ALL" if not ctx.is_prod else "ERROR",
                "IncludeExecutionData": False,
                "Destinations": [
                    {"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": ["OrderSagaLogs", "Arn"]}}}
                ],
            },
            "TracingConfiguration": {"Enabled": ctx.is_prod},
        },
        label="Order saga",
        role="workflow",
        component_id=cid,
    )


@component(
    "step-functions-saga",
    options=SagaOptions,
    uses=["kms_key", "apis", "order_events", "event_bus"],
    provides=["saga"],
)
def step_functions_saga(ctx: BuildContext, options: SagaOptions) -> None:
    """State machine running the order saga (reserve inventory → payment → shipment with
    compensations), CloudWatch logging, X-Ray in prod, least-privilege role, one Lambda for the steps."""
    cid = "step-functions-saga"
    kind = options.type.upper()
    orders = ensure_table(ctx, "orders", component_id=cid)
    inventory = ensure_table(ctx, "inventory", component_id=cid)
    rate = order_rate(ctx)
    fn = _add_steps_function(ctx, cid, orders, inventory, rate)
    add_log_group(
        ctx,
        "OrderSagaLogs",
        label="Saga execution logs",
        name={"Fn::Sub": "/aws/vendedlogs/states/${AWS::StackName}-order-saga"},
        monthly_gb=monthly(ctx, rate) * 2 / (1024 * 1024),
        component_id=cid,
    )
    _add_saga_role(ctx, cid, fn)
    _add_state_machine(ctx, cid, fn)
    ctx.connect("OrderSaga", fn, "request", "invoke step")
    ctx.connect(fn, orders, "data", "status")
    ctx.connect(fn, inventory, "data", "reserve/release")
    ctx.connect("OrderSaga", "OrderSagaLogs", "data", "execution logs")
    ctx.provided.saga = Saga(state_machine="OrderSaga", requested=kind, executions=monthly(ctx, rate))
    if ctx.provided.event_bus:
        route_orders_to_saga(ctx, ctx.provided.event_bus, "OrderSaga")
    reconcile_inventory_owner(ctx)
    choose_type(ctx)


def route_orders_to_saga(ctx: BuildContext, bus: EventBus, state_machine: str) -> None:
    """An EventBridge rule that starts the saga for every OrderPlaced event on the bus."""
    ctx.add(
        "OrderPlacedRuleRole",
        "AWS::IAM::Role",
        service_role_properties(
            "events.amazonaws.com",
            "start-saga",
            [{"Effect": "Allow", "Action": "states:StartExecution", "Resource": {"Ref": state_machine}}],
        ),
        label="Rule → saga role",
        role="iam",
        component_id="eventbridge",
    )
    ctx.add(
        "OrderPlacedRule",
        "AWS::Events::Rule",
        {
            "Description": "Start the order saga for every placed order",
            "EventBusName": {"Fn::GetAtt": [bus.bus, "Name"]},
            "EventPattern": {"source": [bus.source], "detail-type": ["OrderPlaced"]},
            "State": "ENABLED",
            "Targets": [
                {
                    "Id": "order-saga",
                    "Arn": {"Ref": state_machine},
                    "RoleArn": {"Fn::GetAtt": ["OrderPlacedRuleRole", "Arn"]},
                    "InputPath": "$.detail",
                    "RetryPolicy": {"MaximumRetryAttempts": 8, "MaximumEventAgeInSeconds": 3600},
                    "DeadLetterConfig": {"Arn": {"Fn::GetAtt": [bus.dlq, "Arn"]}},
                }
            ],
        },
        label="OrderPlaced → saga",
        role="routing",
        component_id="eventbridge",
        rationale="Routes OrderPlaced to the Step Functions saga with retries and a DLQ.",
    )
    ctx.connect(bus.bus, state_machine, "event", "OrderPlaced")
