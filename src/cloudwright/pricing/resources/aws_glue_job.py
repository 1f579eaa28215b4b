"""AWS Glue job: DPU-hours."""

from __future__ import annotations

from cloudwright.design.model import Resource
from cloudwright.pricing.model import Charge
from cloudwright.pricing.registry import ModelContext, cost_model
from cloudwright.pricing.resources._glue import USAGE, dpu_hours


@cost_model("AWS::Glue::Job", service="AWSGlue", usage=USAGE, usage_only=True)
def glue_job(r: Resource, ctx: ModelContext) -> list[Charge]:
    """DPU-hours = run hours x DPUs."""
    return dpu_hours(r, ctx, label="Job", default_dpus=10, usagetype="re:(^|-)ETL-DPU-Hour$")
