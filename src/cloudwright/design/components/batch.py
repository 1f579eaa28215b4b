"""Scheduled batch ETL: the ``batch-etl`` builder.

An EventBridge schedule starts a Step Functions workflow that runs a Glue Spark job (raw files in the S3
landing bucket → Parquet in the curated bucket) and then a Glue crawler that keeps the Data Catalog's
tables and partitions current; Athena queries the curated Parquet. Sized from ``requirements.batch``
(runs per day, GB per run, run window) with the rules in :mod:`cloudwright.design.sizing`.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import Field

from cloudwright.design import sizing
from cloudwright.design.build import BuildContext, BuilderOptions, component, json_copy
from cloudwright.design.components.analytics import (
    add_glue_crawler_role,
    add_glue_security_configuration,
    athena_workgroup_properties,
)
from cloudwright.design.components.iam import managed_policy, s3_read_statement, trust_policy
from cloudwright.design.components.lambdas import add_log_group, kms_arn
from cloudwright.design.components.storage import add_bucket
from cloudwright.design.components.workflows import log_delivery_statement
from cloudwright.requirements import BatchSpec

SRC_SFN_GLUE = "https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html (StartJobRun.sync)"
SRC_SCHEDULE = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html"
SRC_ATHENA_LIMITS = (
    "https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html"
)
SRC_BOOKMARKS = "https://docs.aws.amazon.com/glue/latest/dg/monitor-continuations.html"
DAYS_PER_MONTH = 30.4
#: Glue version of the generated job (Spark 3.5, Python 3.11).
GLUE_VERSION = "5.0"
#: States entered on a successful run: StartEtlJob, StartCrawler, Done.
TRANSITIONS_PER_RUN = 3


def batch_spec(ctx: BuildContext) -> BatchSpec:
    """The requirements' batch runs, or the documented defaults (recorded as an assumption)."""
    spec = ctx.requirements.batch
    if spec is None:
        spec = BatchSpec.model_validate({})
        ctx.assume(
            "batch",
            f"no batch block in the requirements: sized for {spec.runs_per_day:g} run/day of "
            f"{spec.input_gb_per_run:g} GB within {spec.window_hours:g} h",
        )
    return spec


def schedule_expression(runs_per_day: float) -> str:
    """Daily runs at 02:00 UTC; more frequent runs as a fixed rate in whole minutes."""
    if runs_per_day <= 1:
        return "cron(0 2 * * ? *)"
    minutes = max(1, math.floor(1440 / runs_per_day))
    return f"rate({minutes} minute{'s' if minutes > 1 else ''})"


def _db_name(ctx: BuildContext) -> str:
    raw = f"{ctx.requirements.name}_{ctx.environment}_curated".lower()
    return "".join(ch if ch.isalnum() else "_" for ch in raw)


def _kms(ctx: BuildContext, actions: list[str]) -> list[dict[str, Any]]:
    key = kms_arn(ctx)
    return [{"Effect": "Allow", "Action": actions, "Resource": key}] if key else []


def _security_configuration(ctx: BuildContext, cid: str) -> str:
    return add_glue_security_configuration(ctx, "EtlSecurityConfiguration", "etl", cid)


class BatchEtlOptions(BuilderOptions):
    """Options of ``batch-etl``."""

    queries_per_day: float = Field(50.0, ge=0)
    """Athena queries a day in prod (a tenth of it elsewhere)."""
    scan_cutoff_gb: int | None = Field(None, ge=1)
    """The workgroup's per-query scan cutoff in GB; ``None``: 100 in prod, 10 elsewhere."""
    raw_retention_days: int | None = Field(None, ge=1)
    """Days the landing bucket keeps raw files; ``None``: 7 in prod, 3 elsewhere."""


def _buckets(
    ctx: BuildContext, cid: str, options: BatchEtlOptions, *, monthly_input_gb: float, runs: int, workers: int
) -> None:
    raw_days = options.raw_retention_days or (7 if ctx.is_prod else 3)
    add_bucket(
        ctx,
        "LandingBucket",
        label="Landing bucket (raw files)",
        role="landing",
        component_id=cid,
        rationale=f"Producers drop raw files under incoming/; kept {raw_days} days so a run can be replayed.",
        usage={
            "storage_gb": round(monthly_input_gb * raw_days / DAYS_PER_MONTH, 3),
            # assumption: raw files of ~128 MB each; the job lists and reads each once
            "monthly_tier_1_requests": math.ceil(monthly_input_gb * 8) + runs * 10,
            "monthly_tier_2_requests": math.ceil(monthly_input_gb * 8) * 2,
            "monthly_data_transfer_out_gb": 0,
        },
        lifecycle=[{"Id": "expire-raw", "Status": "Enabled", "ExpirationInDays": raw_days}],
    )
    curated_month_gb = monthly_input_gb * sizing.PARQUET_RATIO
    held_gb = ctx.requirements.data_size_gb * (1 if ctx.is_prod else ctx.load_factor)
    curated_gb = round(held_gb + curated_month_gb, 3)
    add_bucket(
        ctx,
        "CuratedBucket",
        label="Curated bucket (Parquet)",
        role="data-lake",
        component_id=cid,
        rationale="Parquet tables partitioned by run date under tables/; Infrequent Access after 90 days. "
        "Also holds the job script (_glue/scripts/) and Spark temporary files (_glue/tmp/).",
        usage={
            "storage_gb": curated_gb,
            # assumption: one ~128 MB Parquet object per worker-partition per run
            "monthly_tier_1_requests": runs * workers * 20,
            "monthly_tier_2_requests": runs * workers * 20,
            "monthly_data_transfer_out_gb": 0,
        },
        lifecycle=[
            {
                "Id": "tier-curated",
                "Status": "Enabled",
                "Prefix": "tables/",
                "Transitions": [{"StorageClass": "STANDARD_IA", "TransitionInDays": 90}],
            },
            {"Id": "expire-tmp", "Status": "Enabled", "Prefix": "_glue/tmp/", "ExpirationInDays": 2},
        ],
    )
    ctx.design["CuratedBucket"].metadata["sizing"] = [
        {
            "rule": "stored = data held today + one month of Parquet output (grows by the output each month)",
            "value": f"{held_gb:,.0f} GB + {curated_month_gb:,.1f} GB = {curated_gb:,.1f} GB",
            "source": f"requirements (data_size_gb, batch); Parquet at {sizing.PARQUET_RATIO:g} of raw "
            f"({sizing.ASSUMPTION})",
        }
    ]


def _job(ctx: BuildContext, cid: str, spec: BatchSpec, input_gb: float, runs: int) -> int:
    workers = sizing.glue_workers(input_gb, spec.window_hours)
    run = sizing.glue_run_hours(input_gb, int(workers.value))
    _job_role(ctx, cid)
    add_log_group(
        ctx,
        "EtlJobLogs",
        label="ETL job logs",
        name={"Fn::Sub": "/aws-glue/jobs/${AWS::StackName}-etl"},
        monthly_gb=runs * 0.05,  # assumption: ~50 MB of driver/executor logs per run
        component_id=cid,
    )
    ctx.add(
        "EtlJob",
        "AWS::Glue::Job",
        _job_properties(ctx, spec, workers.value),
        usage={"monthly_hours": round(runs * float(run.value), 3), "dpus": workers.value},
        label="Glue ETL job (Spark)",
        role="etl",
        component_id=cid,
        rationale=f"Serverless Spark, G.1X workers, job bookmarks so each run reads only new files; "
        f"the timeout is the {spec.window_hours:g} h run window.",
        sizing=[
            workers.note(),
            run.note(),
            {
                "rule": "DPU-hours per month = runs × run hours × workers",
                "value": f"{runs:,} × {float(run.value):g} h × {workers.value} = "
                f"{runs * float(run.value) * int(workers.value):,.1f}",
                "source": "https://aws.amazon.com/glue/pricing/",
            },
            {"rule": "incremental reads", "value": "job bookmarks enabled", "source": SRC_BOOKMARKS},
        ],
    )
    ctx.connect("EtlJob", "LandingBucket", "data", "read raw files")
    ctx.connect("EtlJob", "CuratedBucket", "data", "write Parquet")
    ctx.connect("EtlJob", "EtlJobLogs", "data", "logs")
    ctx.warn(
        "batch-etl: upload your Spark script to s3://<CuratedBucket>/_glue/scripts/etl.py (it reads "
        "--source_path and writes Parquet to --target_path); the template does not contain the transform"
    )
    return int(workers.value)


def _job_role(ctx: BuildContext, cid: str) -> None:
    """Read the landing prefix, write curated tables and the job's temporary prefix; use the key."""
    key_statements = _kms(ctx, ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"])
    ctx.add(
        "EtlJobRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy("glue.amazonaws.com"),
            "ManagedPolicyArns": [managed_policy("service-role/AWSGlueServiceRole")],
            "Policies": [
                {
                    "PolicyName": "etl-data",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            s3_read_statement("LandingBucket", "incoming"),
                            {
                                "Effect": "Allow",
                                "Action": [
                                    "s3:DeleteObject",
                                    "s3:GetObject",
                                    "s3:ListBucket",
                                    "s3:PutObject",
                                ],
                                "Resource": [
                                    {"Fn::GetAtt": ["CuratedBucket", "Arn"]},
                                    {"Fn::Sub": "${CuratedBucket.Arn}/tables/*"},
                                    {"Fn::Sub": "${CuratedBucket.Arn}/_glue/*"},
                                ],
                            },
                            *key_statements,
                        ],
                    },
                }
            ],
        },
        label="ETL job role",
        role="iam",
        component_id=cid,
        rationale="Read the landing prefix, write curated tables and the job's temporary prefix: "
        "nothing else.",
    )


def _job_properties(ctx: BuildContext, spec: BatchSpec, workers: int) -> dict[str, Any]:
    """The Glue Spark job: G.1X workers, bookmarks, continuous logs, the run window as its timeout."""
    return {
        "Name": {"Fn::Sub": "${AWS::StackName}-etl"},
        "Description": "Raw files in the landing bucket → partitioned Parquet in the curated bucket",
        "Role": {"Fn::GetAtt": ["EtlJobRole", "Arn"]},
        "Command": {
            "Name": "glueetl",
            "PythonVersion": "3",
            "ScriptLocation": {"Fn::Sub": "s3://${CuratedBucket}/_glue/scripts/etl.py"},
        },
        "GlueVersion": GLUE_VERSION,
        "WorkerType": "G.1X",
        "NumberOfWorkers": workers,
        "Timeout": math.ceil(spec.window_hours * 60),
        "MaxRetries": 1 if ctx.is_prod else 0,
        "ExecutionProperty": {"MaxConcurrentRuns": 1},
        "SecurityConfiguration": {"Ref": "EtlSecurityConfiguration"},
        "DefaultArguments": {
            "--job-bookmark-option": "job-bookmark-enable",
            "--enable-metrics": "true",
            "--enable-continuous-cloudwatch-log": "true",
            "--continuous-log-logGroup": {"Ref": "EtlJobLogs"},
            "--TempDir": {"Fn::Sub": "s3://${CuratedBucket}/_glue/tmp/"},
            "--source_path": {"Fn::Sub": "s3://${LandingBucket}/incoming/"},
            "--target_path": {"Fn::Sub": "s3://${CuratedBucket}/tables/"},
        },
    }


def _catalog(ctx: BuildContext, cid: str, runs: int) -> None:
    db = _db_name(ctx)
    ctx.add(
        "CuratedDatabase",
        "AWS::Glue::Database",
        {
            "CatalogId": {"Ref": "AWS::AccountId"},
            "DatabaseInput": {"Name": db, "Description": "Curated Parquet tables written by the ETL job"},
        },
        # assumption: ~20 tables + one partition per table per run; ~10 catalog calls per query and per run
        usage={"storage_objects": 20 + min(runs * 20, 100_000), "monthly_requests": runs * 50 + 30_000},
        label="Glue Data Catalog database",
        role="catalog",
        component_id=cid,
        rationale="Tables and partitions of the curated Parquet for Athena.",
    )
    add_glue_crawler_role(ctx, cid, policy="read-curated", bucket="CuratedBucket", prefix="tables")
    crawl_minutes = 10  # assumption: a crawl of the new partitions takes ~10 min (the billing minimum)
    ctx.add(
        "CuratedCrawler",
        "AWS::Glue::Crawler",
        {
            "Role": {"Fn::GetAtt": ["CrawlerRole", "Arn"]},
            "DatabaseName": {"Ref": "CuratedDatabase"},
            "Targets": {"S3Targets": [{"Path": {"Fn::Sub": "s3://${CuratedBucket}/tables/"}}]},
            "SchemaChangePolicy": {"UpdateBehavior": "UPDATE_IN_DATABASE", "DeleteBehavior": "LOG"},
            "RecrawlPolicy": {"RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY"},
            "CrawlerSecurityConfiguration": {"Ref": "EtlSecurityConfiguration"},
        },
        usage={"monthly_hours": round(runs * crawl_minutes / 60, 3)},
        label="Glue crawler (after each run)",
        role="catalog",
        component_id=cid,
        rationale="Started by the workflow after each successful run; new folders only.",
        sizing=[
            {
                "rule": f"crawler hours = runs × {crawl_minutes} min",
                "value": f"{runs:,} × {crawl_minutes} min = {runs * crawl_minutes / 60:,.2f} h",
                "source": "https://docs.aws.amazon.com/glue/latest/dg/add-crawler.html",
            }
        ],
    )
    ctx.connect("CuratedCrawler", "CuratedBucket", "data", "crawl")
    ctx.connect("CuratedCrawler", "CuratedDatabase", "data", "tables, partitions")


def _athena(ctx: BuildContext, cid: str, options: BatchEtlOptions, monthly_input_gb: float) -> None:
    queries = round(options.queries_per_day * DAYS_PER_MONTH * (1 if ctx.is_prod else 0.1))
    run_gb = monthly_input_gb * sizing.PARQUET_RATIO / DAYS_PER_MONTH
    # assumption: partition and column pruning leave a query a tenth of one run's Parquet
    scanned_tb = round(queries * max(run_gb / 10, 0.01) / 1024, 6)
    cutoff_gb = options.scan_cutoff_gb or (100 if ctx.is_prod else 10)
    add_bucket(
        ctx,
        "QueryResultsBucket",
        label="Athena results bucket",
        role="query-results",
        component_id=cid,
        rationale="Query results only, expired after 30 days; overwritten versions kept 1 day.",
        noncurrent_days=1,
        usage={
            "storage_gb": 1.0,
            "monthly_tier_1_requests": queries * 2,
            "monthly_tier_2_requests": queries * 2,
            "monthly_data_transfer_out_gb": 0,
        },
        lifecycle=[{"Id": "expire-results", "Status": "Enabled", "ExpirationInDays": 30}],
    )
    ctx.add(
        "QueryWorkGroup",
        "AWS::Athena::WorkGroup",
        athena_workgroup_properties(
            ctx, "curated", "SQL on the curated Parquet tables", "QueryResultsBucket", cutoff_gb
        ),
        usage={"monthly_queries": queries, "monthly_data_scanned_tb": scanned_tb},
        label="Athena workgroup",
        role="query",
        component_id=cid,
        rationale="Enforced settings: encrypted results, CloudWatch metrics and a "
        f"{cutoff_gb} GB scan cutoff per query.",
        sizing=[
            {
                "rule": "data scanned = queries × a tenth of one run's Parquet "
                "(partition and column pruning)",
                "value": f"{queries:,} queries × {run_gb / 10:,.3f} GB ≈ {scanned_tb:g} TB/month",
                "source": f"{sizing.ASSUMPTION} (Parquet at {sizing.PARQUET_RATIO:g} of raw; a query reads a "
                "tenth of one run's output)",
            },
            {
                "rule": "bytes-scanned cutoff",
                "value": f"{cutoff_gb} GB per query",
                "source": SRC_ATHENA_LIMITS,
            },
        ],
    )
    ctx.connect("QueryWorkGroup", "CuratedDatabase", "reference", "catalog")
    ctx.connect("QueryWorkGroup", "CuratedBucket", "data", "scan Parquet")
    ctx.connect("QueryWorkGroup", "QueryResultsBucket", "data", "results")


#: The ETL workflow: run the job to completion (retrying while another run holds it), then refresh the
#: catalogue (a crawler already running is fine). ``${EtlJobName}`` and ``${CrawlerName}`` are
#: substituted by the state machine.
ETL_WORKFLOW_DEFINITION: dict[str, Any] = {
    "Comment": "Run the ETL job to completion, then refresh the catalog",
    "StartAt": "RunEtlJob",
    "States": {
        "RunEtlJob": {
            "Type": "Task",
            "Resource": "arn:aws:states:::glue:startJobRun.sync",
            "Parameters": {"JobName": "${EtlJobName}"},
            "Retry": [
                {
                    "ErrorEquals": ["Glue.ConcurrentRunsExceededException"],
                    "IntervalSeconds": 60,
                    "MaxAttempts": 3,
                    "BackoffRate": 2.0,
                }
            ],
            "Next": "RefreshCatalog",
        },
        "RefreshCatalog": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:glue:startCrawler",
            "Parameters": {"Name": "${CrawlerName}"},
            "Catch": [{"ErrorEquals": ["Glue.CrawlerRunningException"], "Next": "Done"}],
            "Next": "Done",
        },
        "Done": {"Type": "Succeed"},
    },
}


def _workflow(ctx: BuildContext, cid: str, spec: BatchSpec, runs: int) -> None:
    add_log_group(
        ctx,
        "EtlWorkflowLogs",
        label="ETL workflow logs",
        name={"Fn::Sub": "/aws/vendedlogs/states/${AWS::StackName}-etl"},
        monthly_gb=runs * 0.0001,
        component_id=cid,
    )
    _workflow_role(ctx, cid)
    definition = json_copy(ETL_WORKFLOW_DEFINITION)
    ctx.add(
        "EtlWorkflow",
        "AWS::StepFunctions::StateMachine",
        {
            "StateMachineType": "STANDARD",
            "RoleArn": {"Fn::GetAtt": ["EtlWorkflowRole", "Arn"]},
            "Definition": definition,
            "DefinitionSubstitutions": {
                "EtlJobName": {"Ref": "EtlJob"},
                "CrawlerName": {"Ref": "CuratedCrawler"},
            },
            "LoggingConfiguration": {
                "Level": "ALL",
                "IncludeExecutionData": False,
                "Destinations": [
                    {"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": ["EtlWorkflowLogs", "Arn"]}}}
                ],
            },
            "TracingConfiguration": {"Enabled": True},
        },
        usage={"monthly_transitions": runs * TRANSITIONS_PER_RUN},
        label="ETL workflow (Step Functions)",
        role="workflow",
        component_id=cid,
        rationale="Standard workflow: waits for the job (.sync) at no cost while it runs, retries a busy "
        "job, then refreshes the catalog; its ExecutionsFailed alarm tells you a run failed.",
        sizing=[
            {
                "rule": f"transitions = runs × {TRANSITIONS_PER_RUN}",
                "value": f"{runs:,} runs → {runs * TRANSITIONS_PER_RUN:,} transitions/month",
                "source": SRC_SFN_GLUE,
            }
        ],
    )
    ctx.connect("EtlWorkflow", "EtlJob", "request", "start job (.sync)")
    ctx.connect("EtlWorkflow", "CuratedCrawler", "request", "start crawler")
    ctx.connect("EtlWorkflow", "EtlWorkflowLogs", "data", "execution logs")
    _schedule(ctx, cid, spec)


def _workflow_role(ctx: BuildContext, cid: str) -> None:
    """Start and watch this job, start this crawler, deliver logs and traces."""
    statements: list[dict[str, Any]] = [
        {
            "Effect": "Allow",
            "Action": ["glue:BatchStopJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:StartJobRun"],
            "Resource": {
                "Fn::Sub": "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:job/${EtlJob}"
            },
        },
        {
            "Effect": "Allow",
            "Action": ["glue:StartCrawler"],
            "Resource": {
                "Fn::Sub": "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:"
                "crawler/${CuratedCrawler}"
            },
        },
        log_delivery_statement(),
        {
            "Effect": "Allow",
            "Action": [
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
                "xray:PutTelemetryRecords",
                "xray:PutTraceSegments",
            ],
            "Resource": "*",
        },
    ]
    ctx.add(
        "EtlWorkflowRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy("states.amazonaws.com"),
            "Policies": [
                {
                    "PolicyName": "run-etl",
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                }
            ],
        },
        label="ETL workflow role",
        role="iam",
        component_id=cid,
        rationale="Start and watch this job, start this crawler; log delivery and X-Ray actions have no "
        "resource-level scope.",
    )


def _schedule(ctx: BuildContext, cid: str, spec: BatchSpec) -> None:
    """An EventBridge schedule (and its role) starting the workflow ``runs_per_day`` times a day."""
    ctx.add(
        "ScheduleRole",
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": trust_policy("events.amazonaws.com"),
            "Policies": [
                {
                    "PolicyName": "start-workflow",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": "states:StartExecution",
                                "Resource": {"Ref": "EtlWorkflow"},
                            }
                        ],
                    },
                }
            ],
        },
        label="Schedule role",
        role="iam",
        component_id=cid,
    )
    expression = schedule_expression(spec.runs_per_day)
    ctx.add(
        "EtlSchedule",
        "AWS::Events::Rule",
        {
            "Description": f"Start the ETL workflow {spec.runs_per_day:g} time(s) a day",
            "ScheduleExpression": expression,
            "State": "ENABLED",
            "Targets": [
                {
                    "Id": "etl-workflow",
                    "Arn": {"Ref": "EtlWorkflow"},
                    "RoleArn": {"Fn::GetAtt": ["ScheduleRole", "Arn"]},
                }
            ],
        },
        label="Schedule (EventBridge)",
        role="scheduler",
        component_id=cid,
        rationale="A scheduled rule on the default bus: no charge, no code.",
        sizing=[
            {
                "rule": "schedule = runs per day",
                "value": f"{spec.runs_per_day:g}/day → {expression}",
                "source": SRC_SCHEDULE,
            }
        ],
    )
    ctx.connect("EtlSchedule", "EtlWorkflow", "event", expression)


@component("batch-etl", options=BatchEtlOptions, uses=["kms_key"])
def batch_etl(ctx: BuildContext, options: BatchEtlOptions) -> None:
    cid = "batch-etl"
    spec = batch_spec(ctx)
    runs = max(1, math.ceil(spec.runs_per_day * DAYS_PER_MONTH))
    input_gb = max(0.001, spec.input_gb_per_run * ctx.load_factor)
    monthly_input_gb = input_gb * runs
    _security_configuration(ctx, cid)
    workers = sizing.glue_workers(input_gb, spec.window_hours).value
    _buckets(ctx, cid, options, monthly_input_gb=monthly_input_gb, runs=runs, workers=int(workers))
    _job(ctx, cid, spec, input_gb, runs)
    _catalog(ctx, cid, runs)
    _athena(ctx, cid, options, monthly_input_gb)
    _workflow(ctx, cid, spec, runs)
    ctx.design.outputs.setdefault(
        "LandingPrefix",
        {
            "Description": "Where producers drop raw files",
            "Value": {"Fn::Sub": "s3://${LandingBucket}/incoming/"},
        },
    )
