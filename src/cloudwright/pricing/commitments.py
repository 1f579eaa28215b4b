"""Commitments what-if: Savings Plans and Reserved Instance terms (``estimate --commitment TERM``).

A term prices the *eligible* lines of an estimate at committed rates, side by side with on demand.
Committed rates are never derived from on-demand prices (no "about 30 % off"): they come from a price
book entry for that term (an override with ``commitment: TERM``). Where no rate is known the line says
so and the committed total counts that line at its on-demand price, flagged as unknown.

Eligibility follows AWS's documentation of each offer:

* Compute Savings Plans: EC2 instance hours, Fargate vCPU and memory, Lambda duration (incl.
  provisioned concurrency);
* EC2 Instance Savings Plans: EC2 instance hours;
* Reserved Instances: EC2, RDS and ElastiCache instance/node hours.
"""

from __future__ import annotations

from typing import Any

_PAYMENTS = ("no-upfront", "partial-upfront", "all-upfront")
_YEARS = ("1y", "3y")

#: Term id → family (compute-sp | ec2-instance-sp | ri).
TERMS: dict[str, str] = {
    f"{family}-{years}-{payment}": family
    for family in ("compute-sp", "ec2-instance-sp", "ri")
    for years in _YEARS
    for payment in _PAYMENTS
}


def describe(term: str) -> str:
    family = TERMS[term]
    name = {
        "compute-sp": "Compute Savings Plan",
        "ec2-instance-sp": "EC2 Instance Savings Plan",
        "ri": "Reserved",
    }[family]
    parts = term.removeprefix(family + "-").split("-", 1)
    years = {"1y": "1 year", "3y": "3 years"}[parts[0]]
    return f"{name}, {years}, {parts[1].replace('-', ' ')}"


def eligible(term: str, servicecode: str, product_family: str, attributes: dict[str, Any]) -> bool:
    """Whether a catalogue row's usage is covered by ``term``."""
    family = TERMS[term]
    ec2_hours = servicecode == "AmazonEC2" and product_family == "Compute Instance"
    if family == "ec2-instance-sp":
        return ec2_hours
    if family == "ri":
        return ec2_hours or (servicecode, product_family) in {
            ("AmazonRDS", "Database Instance"),
            ("AmazonElastiCache", "Cache Instance"),
        }
    fargate = (
        servicecode == "AmazonECS"
        and "Fargate" in str(attributes.get("usagetype", ""))
        and (
            "vCPU" in str(attributes.get("usagetype", ""))
            or "GB-Hours" in str(attributes.get("usagetype", ""))
        )
    )
    lambda_duration = servicecode == "AWSLambda" and str(attributes.get("group", "")).startswith(
        ("AWS-Lambda-Duration", "AWS-Lambda-Provisioned-Concurrency")
    )
    return ec2_hours or fargate or lambda_duration
