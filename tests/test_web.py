"""The web shell: form generated from the model, JSON errors naming the field, saved designs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cloudwright.requirements import FIELD_NAMES
from cloudwright.web.app import create_app
from cloudwright.web.store import Store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture()
def client(tmp_path):
    return TestClient(create_app(f"sqlite:///{tmp_path / 'db.sqlite'}"), base_url="http://127.0.0.1")


def test_form_lists_every_requirement_field(client):
    page = client.get("/").text
    for name in FIELD_NAMES:
        assert f'name="{name}"' in page, name


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


def test_store_ids_are_stable_and_saving_twice_does_not_duplicate(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    result = {
        "requirements": {"name": "a"},
        "environment": "prod",
        "pattern": {"id": "serverless-web"},
        "x": 1,
    }
    other = {"requirements": {"name": "b"}, "environment": "dev", "pattern": {"id": "serverless-web"}, "x": 2}
    first = store.save(result)
    assert store.save(result) == first
    second = store.save(other)
    assert second != first
    assert store.get(first) == result
    assert store.get(second) == other
    assert [d["id"] for d in store.list()] == [first, second]
    assert store.get("missing") is None


def test_api_design_runs_the_pipeline_and_saves(client):
    import yaml

    req = yaml.safe_load((EXAMPLES / "saas-startup.yaml").read_text())
    r = client.post("/api/design?save=true", json=req)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["pattern"]["id"] == "serverless-web"
    assert body["estimate"]["monthly_usd"] > 0
    saved = client.get(f"/api/designs/{body['id']}").json()
    assert saved["pattern"]["id"] == "serverless-web"
    assert [d["id"] for d in client.get("/api/designs").json()] == [body["id"]]
    page = client.post("/api/design?format=html", json=req)
    assert page.headers["content-type"].startswith("text/html")
    assert "<svg" in page.text or "diagram" in page.text


def test_html_form_posts_a_design(client):
    r = client.post(
        "/design",
        data={"application_type": "data_pipeline", "requests_per_second": "50", "environment": "dev"},
    )
    assert r.status_code == 200
    assert "realtime-analytics-pipeline" in r.text or "Real-time analytics" in r.text
    bad = client.post("/design", data={"expected_users": "-5"})
    assert bad.status_code == 422 and "expected_users" in bad.text


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
