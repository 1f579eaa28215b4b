"""The web shell: form generated from the model, JSON errors naming the field, saved designs."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cloudwright.requirements import FIELD_NAMES
from cloudwright.web.app import create_app
from cloudwright.web.store import Store


@pytest.fixture()
def client(tmp_path):
    return TestClient(create_app(f"sqlite:///{tmp_path / 'db.sqlite'}"))


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
