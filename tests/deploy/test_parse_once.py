"""A deploy reads and parses its template once, however many plans and emulator attempts it makes.

The spy counts calls of :func:`cloudwright.cfn.reader.decode`, the one decoder behind every
``parse_template``; what is counted is parses, not time.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import cloudwright.cfn.reader as reader
from cfn.sample import sample_design
from cloudwright.cfn.writer import render_template
from cloudwright.cli import app
from cloudwright.deploy.emulator import EmulatorTarget, prepare_for_emulator
from cloudwright.deploy.target import Template

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "templates"

#: moto fails on the topic (its name is an unexpanded ``Fn::Transform``): the deploy retries it softened,
#: then skips it, so three attempts are planned from one parse.
RETRIED = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage:
    Type: String
Resources:
  Bucket:
    Type: AWS::S3::Bucket
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName:
        Fn::Transform:
          Name: StringFunctions
          Parameters: {InputString: Alerts, Operation: Lower}
Outputs:
  BucketName:
    Value: !Ref Bucket
"""


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every template text decoded from here on."""
    seen: list[str] = []
    real = reader.decode

    def spy(text: str, *, source: str = "<template>") -> dict[str, Any]:
        seen.append(text)
        return real(text, source=source)

    monkeypatch.setattr(reader, "decode", spy)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "extra"),
    [
        ("generated", []),
        ("generated", ["--json", "--param", "Environment=prod"]),
        ("real-world", []),
        ("retried", ["--param", "Stage=dev"]),
    ],
)
def test_cli_deploy_parses_the_template_once(
    tmp_path: Path, parses: list[str], case: str, extra: list[str]
) -> None:
    path = tmp_path / "template.yaml"
    if case == "generated":
        path.write_text(render_template(sample_design()))
    elif case == "real-world":
        shutil.copy(EXAMPLES / "three-tier-fargate.yaml", path)
    else:
        path.write_text(RETRIED)
    result = CliRunner().invoke(app, ["deploy", str(path), *extra])
    assert result.exit_code == 0, result.output
    if "--json" in extra:
        assert json.loads(result.output[result.output.index("{") :])["status"] == "CREATE_COMPLETE"
    if case == "retried":
        assert result.output.count("Topic: the emulator failed to create it") == 2
    assert parses == [path.read_text()]


def test_plans_and_attempts_reuse_the_parsed_document(parses: list[str]) -> None:
    parsed = Template.parse(RETRIED)
    before = copy.deepcopy(parsed.document)
    with EmulatorTarget("us-east-1") as target:
        plan = target.probe(parsed, "retried")
    assert len(parses) == 1  # Template.parse only: three attempts parsed nothing again
    assert target.failed.keys() == {"Topic"} and [s.logical_id for s in plan.skipped] == ["Topic"]
    assert parsed.document == before  # the plans never changed the caller's document
    # The plan carries its template both as text and parsed; they agree.
    assert plan.document is not None and reader.parse_template(plan.template) == plan.document
    # The same document gives the same emulator template as the text it was parsed from.
    text_first = prepare_for_emulator(RETRIED, failed=target.failed, soften=target.softened)
    assert prepare_for_emulator(parsed, failed=target.failed, soften=target.softened) == text_first
    assert parsed.document == before
