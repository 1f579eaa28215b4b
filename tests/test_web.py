"""The web shell: form generated from the model, JSON errors naming the field, saved designs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cloudwright.requirements import FIELD_NAMES
from cloudwright.web.app import create_app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture()
def client(tmp_path):
    return TestClient(create_app(f"sqlite:///{tmp_path / 'db.sqlite'}"), base_url="http://127.0.0.1")


def test_form_lists_every_requirement_field_with_a_label_and_limits(client):
    from cloudwright.web.form import LABELS

    page = client.get("/").text
    for name in FIELD_NAMES:
        assert f'name="{name}"' in page, name
    assert LABELS["expected_users"][0] == "Monthly active users"
    assert "Monthly active users" in page and "(users)" in page
    assert 'type="number"' in page and 'min="90" max="99.999"' in page
    assert '<meta name="viewport"' in page
    for section in ("The workload", "Targets", "Compliance and team"):
        assert section in page


def test_api_rejects_bad_input_naming_field_and_allowed_values(client):
    r = client.post("/api/design", json={"application_type": "blockchain"})
    assert r.status_code == 422
    body = r.json()
    assert body["field"] == "application_type"
    assert "web_application" in body["allowed"]
    assert "blockchain" in body["error"]


def test_api_rejects_unknown_keys(client):
    r = client.post("/api/design", json={"users": 10})
    assert r.status_code == 422
    assert r.json()["field"] == "users"


def test_api_design_runs_the_pipeline_and_saves(client):
    import yaml

    req = yaml.safe_load((EXAMPLES / "saas-startup.yaml").read_text())
    r = client.post("/api/design?save=true", json=req)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["pattern"]["id"] == "serverless-web"
    assert body["estimate"]["monthly_usd"] > 0
    assert body["version"] == 1
    saved = client.get(f"/api/designs/{body['id']}/versions/1").json()
    assert saved["result"]["pattern"]["id"] == "serverless-web"
    assert saved["result"]["estimate"] == body["estimate"]
    assert [d["id"] for d in client.get("/api/designs").json()] == [body["id"]]
    page = client.post("/api/design?format=html", json=req)
    assert page.headers["content-type"].startswith("text/html")
    assert "<svg" in page.text or "diagram" in page.text


def test_html_form_posts_a_design(client):
    r = client.post(
        "/design",
        data={
            "application_type": "data_pipeline",
            "requests_per_second": "50",
            "environment": "dev",
            "environments": ["dev", "prod"],
            "audience_regions": ["north-america"],
        },
    )
    assert r.status_code == 200 and "/designs/1/versions/1" in str(r.url)
    assert "realtime-analytics-pipeline" in r.text or "Real-time analytics" in r.text
    bad = client.post("/design", data={"expected_users": "-5", "environments": "prod"})
    assert bad.status_code == 422 and "expected_users" in bad.text
    assert 'value="-5"' in bad.text  # the form comes back with what was typed


def test_api_estimate_and_review_take_any_template(client):
    template = (
        "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"
        "  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.8\n"
        "      Handler: index.handler\n      Role: arn:aws:iam::123456789012:role/x\n"
        "      Code: {ZipFile: 'def handler(e, c): return 1'}\n"
    )
    est = client.post("/api/estimate", json={"template": template, "usage": None}).json()
    assert {r["logical_id"] for r in est["resources"]} >= {"Queue", "Fn"}
    review = client.post("/api/review", json={"template": template, "compliance": ["HIPAA"]}).json()
    ids = {f["check_id"] for f in review["findings"]}
    assert any("LAMBDA" in i for i in ids), ids
    bad = client.post("/api/estimate", json={"template": "Resources: [1, 2"})
    assert bad.status_code in (400, 422)
