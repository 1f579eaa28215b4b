"""Pricing a template read through the importer: short-form tags, parameter defaults, clear errors."""

from __future__ import annotations

import pytest

from cloudwright.errors import TemplateError
from cloudwright.pricing.engine import price_design
from cloudwright.pricing.template import load_template

TEMPLATE = """
Parameters:
  Size: {Type: Number, Default: 1024}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      MemorySize: !Ref Size
      Role: !GetAtt Role.Arn
      Environment: {Variables: {ARN: !Sub "arn:${AWS::Partition}:x"}}
  Role:
    Type: AWS::IAM::Role
"""


def test_short_form_tags_and_parameter_defaults() -> None:
    design = load_template(TEMPLATE, region="us-east-1")
    fn = design["Fn"]
    assert fn.properties["Role"] == {"Fn::GetAtt": ["Role", "Arn"]}
    assert fn.properties["Environment"]["Variables"]["ARN"] == {"Fn::Sub": "arn:${AWS::Partition}:x"}
    est = price_design(design)
    duration = next(r for r in est.resources if r.logical_id == "Fn").line_items[1]
    assert duration.description.startswith("Duration (1024 MB")


def test_json_template_and_errors() -> None:
    design = load_template('{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}')
    assert design.types() == ["AWS::SQS::Queue"]
    with pytest.raises(TemplateError):
        load_template("Resources:\n  X: {Properties: {}}\n")
    with pytest.raises(TemplateError):
        load_template("no-such-template.yaml")
