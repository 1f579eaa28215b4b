"""The workspace API contract: create, new version, versions, diff, files, list/rename/delete/duplicate."""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from fastapi.testclient import TestClient

from cloudwright.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("api") / "workspace.db"
    return TestClient(create_app(f"sqlite:///{db}"), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def shop(client):
    """A design with two versions: more users (the pattern changes), then one line's usage edited."""
    r = client.post(
        "/api/designs",
        json={"name": "shop", "requirements": {"expected_users": 2000}, "environment": "prod"},
    )
    assert r.status_code == 201, r.text
    assert r.json() == {"id": r.json()["id"], "version": 1}
    design_id = r.json()["id"]
    r = client.put(
        f"/api/designs/{design_id}", json={"requirements": {"name": "shop", "expected_users": 200000}}
    )
    assert r.status_code == 201 and r.json() == {"id": design_id, "version": 2}
    return design_id


def test_versions_and_diff(client, shop):
    versions = client.get(f"/api/designs/{shop}/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert all(v["catalog_date"] and v["created_at"].endswith("Z") for v in versions)
    d = client.get(f"/api/designs/{shop}/diff", params={"from": 1, "to": 2}).json()
    for key in (
        "cost_delta_usd",
        "resources_added",
        "resources_removed",
        "resources_changed",
        "findings_new",
        "findings_fixed",
        "pattern_from",
        "pattern_to",
    ):
        assert key in d
    v1 = client.get(f"/api/designs/{shop}/versions/1").json()["result"]
    v2 = client.get(f"/api/designs/{shop}/versions/2").json()["result"]
    # the delta is computed from the two stored results, not restated
    assert d["cost_delta_usd"] == pytest.approx(
        v2["estimate"]["monthly_usd"] - v1["estimate"]["monthly_usd"], abs=0.01
    )
    assert d["pattern_from"] == v1["pattern"]["id"] and d["pattern_to"] == v2["pattern"]["id"]
    ids1 = {r["logical_id"] for r in v1["resources"]}
    ids2 = {r["logical_id"] for r in v2["resources"]}
    assert d["resources_added"] == sorted(ids2 - ids1) and d["resources_removed"] == sorted(ids1 - ids2)
    assert sum(line["delta_usd"] for line in d["cost_lines"]) == pytest.approx(d["cost_delta_usd"], abs=0.05)
    assert d["requirements_changed"] == {"expected_users": {"from": 2000, "to": 200000}}
    same = client.get(f"/api/designs/{shop}/diff", params={"from": 2, "to": 2}).json()
    assert same["cost_delta_usd"] == 0 and not same["cost_lines"] and not same["resources_changed"]
    assert client.get(f"/api/designs/{shop}/diff", params={"from": 1, "to": 9}).status_code == 404


def test_edit_one_lines_usage_reprices_as_a_new_version(client, shop):
    v2 = client.get(f"/api/designs/{shop}/versions/2").json()
    usage_resources = [
        r for r in v2["result"]["resources"] if r["usage"].get("monthly_requests") and r["monthly_usd"]
    ]
    top = max(usage_resources, key=lambda r: r["monthly_usd"])
    target, old = top["logical_id"], top["usage"]["monthly_requests"]
    r = client.put(
        f"/api/designs/{shop}", json={"usage": {target: {"monthly_requests": old * 10}}, "note": "10x"}
    )
    assert r.status_code == 201
    number = r.json()["version"]
    d = client.get(f"/api/designs/{shop}/diff", params={"from": 2, "to": number}).json()
    assert {line["logical_id"] for line in d["cost_lines"]} == {target}
    assert d["cost_delta_usd"] > 0 and d["pattern_from"] == d["pattern_to"]
    v = client.get(f"/api/designs/{shop}/versions/{number}").json()
    assert v["usage"] == {target: {"monthly_requests": old * 10}} and v["note"] == "10x"
    bad = client.put(f"/api/designs/{shop}", json={"usage": {"NoSuchThing": {"monthly_requests": 1}}})
    assert bad.status_code == 422 and bad.json()["field"] == "usage.NoSuchThing"


def test_files_of_a_version(client, shop):
    files = client.get(f"/api/designs/{shop}/versions/1").json()["files"]
    for name in ("template.yaml", "report.md", "report.html", "design.json", "estimate.csv", "diagram.mmd"):
        assert name in files
    base = f"/api/designs/{shop}/versions/1/files"
    tpl = client.get(f"{base}/template.yaml")
    assert tpl.status_code == 200 and "attachment" in tpl.headers["content-disposition"]
    from cloudwright.design.cfn_import import parse_template

    assert "Resources" in parse_template(tpl.text)
    design = json.loads(client.get(f"{base}/design.json").text)
    assert design == client.get(f"/api/designs/{shop}/versions/1").json()["result"]
    rows = list(csv.DictReader(io.StringIO(client.get(f"{base}/estimate.csv").text)))
    assert rows[-1]["logical_id"] == "TOTAL"
    assert float(rows[-1]["monthly_usd"]) == pytest.approx(design["estimate"]["monthly_usd"])
    priced = [float(r["monthly_usd"]) for r in rows[:-1] if r["status"] == "priced"]
    assert sum(priced) == pytest.approx(design["estimate"]["monthly_usd"], abs=0.05)
    assert client.get(f"{base}/report.md").text.startswith("#")
    assert "<html" in client.get(f"{base}/report.html").text
    if "diagram.svg" in files:
        assert client.get(f"{base}/diagram.svg").text.lstrip().startswith(("<?xml", "<svg"))
    for bad in ("nope.txt", "..%2F..%2Fetc%2Fpasswd", "template.yaml%00"):
        r = client.get(f"{base}/{bad}")
        assert r.status_code == 404 and "root:" not in r.text
    assert client.get(f"/api/designs/{shop}/versions/99/files/template.yaml").status_code == 404


def test_one_template_per_region():
    """A design with resources in a second Region gets one template per Region among its files."""
    from cloudwright.design.model import Placement, Resource
    from cloudwright.pipeline import run_design
    from cloudwright.requirements import requirements_from_mapping
    from cloudwright.web.workspace import render_files

    result = run_design(requirements_from_mapping({"name": "two-regions"}))
    # production designs carry a DR strategy: the recovery Region has its own template
    assert set(render_files(result)) >= {"template.yaml", f"template.{result.dr.regions[1]}.yaml"}
    result.design_obj.add(
        Resource(
            logical_id="ReplicaQueue",
            type="AWS::SQS::Queue",
            properties={},
            placement=Placement(region="eu-west-1"),
        )
    )
    files = render_files(result)
    assert "template.eu-west-1.yaml" in files
    assert b"ReplicaQueue" in files["template.eu-west-1.yaml"][1]
    assert b"ReplicaQueue" not in files["template.yaml"][1]


def test_list_rename_duplicate_delete(client, shop):
    listed = {d["id"]: d for d in client.get("/api/designs").json()}
    assert listed[shop]["latest"]["number"] >= 2 and listed[shop]["latest"]["verdict"]
    r = client.patch(f"/api/designs/{shop}", json={"name": "shop (EU)"})
    assert r.status_code == 200 and r.json()["name"] == "shop (EU)"
    r = client.post(f"/api/designs/{shop}/duplicate", json={"name": "shop copy"})
    assert r.status_code == 201
    copy_id = r.json()["id"]
    assert client.get(f"/api/designs/{copy_id}").json()["copied_from"].startswith(f"{shop}/")
    cmp = client.get(
        "/api/compare",
        params={"from_design": shop, "from_version": 1, "to_design": copy_id, "to_version": 1},
    ).json()
    assert "cost_delta_usd" in cmp
    assert client.delete(f"/api/designs/{copy_id}").status_code == 204
    assert copy_id not in {d["id"] for d in client.get("/api/designs").json()}
    assert client.get(f"/api/designs/{copy_id}/versions/1").status_code == 200  # permalink kept
    assert client.delete("/api/designs/424242").status_code == 404


def test_contract_errors(client):
    r = client.post("/api/designs", json={"name": "x", "requirements": {"expected_users": -1}})
    assert r.status_code == 422 and r.json()["field"] == "expected_users"
    r = client.post("/api/designs", json={"name": "x", "environment": "qa"})
    assert r.status_code == 422 and r.json()["field"] == "environment"
    r = client.post("/api/designs", json={"requirements": {}})
    assert r.status_code == 422 and r.json()["field"] == "name"
    r = client.put("/api/designs/424242", json={"requirements": {}})
    assert r.status_code == 404 and set(r.json()) == {"error"}
    assert client.get("/api/designs/abc").status_code == 422
    assert client.get("/api/designs/1/diff").status_code == 422  # from/to required


def test_estimate_and_review_take_template_text(client):
    template = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"
    est = client.post(
        "/api/estimate",
        json={"template": template, "usage": {"resource_usage": {"Queue": {"monthly_requests": 5_000_000}}}},
    )
    assert est.status_code == 200, est.text
    assert est.json()["monthly_usd"] > 0
    one_line = client.post("/api/review", json={"template": json.dumps(yaml.safe_load(template))})
    assert one_line.status_code == 200  # one-line JSON text is a template, not a path
    r = client.post("/api/estimate", json={"template": template, "free_tier": "sometimes"})
    assert r.status_code == 422 and r.json()["field"] == "free_tier"


def test_ui_pages(client, shop):
    assert 'href="/designs/' in client.get("/designs").text
    page = client.get(f"/designs/{shop}/versions/1").text
    assert "Permalink" in page and 'table class="sortable" id="estimate"' in page
    assert client.get(f"/designs/{shop}/compare?from=1&to=2").status_code == 200
    edit = client.get(f"/designs/{shop}/edit?from=1").text
    assert 'name="usage_resource"' in edit and 'value="2000"' in edit
    assert client.get("/designs/424242/versions/1").status_code == 404


def test_templates_can_be_uploaded(client):
    template = b"Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"
    r = client.post("/api/estimate/upload", files={"template": ("t.yaml", template, "application/yaml")})
    assert r.status_code == 200, r.text
    assert {x["logical_id"] for x in r.json()["resources"]} >= {"Queue"}
    r = client.post("/api/review/upload", files={"template": ("t.yaml", template, "application/yaml")})
    assert r.status_code == 200 and "findings" in r.json()
    # the file name is never used: an upload called /etc/passwd is just its content
    r = client.post("/api/review/upload", files={"template": ("/etc/passwd", b"/etc/passwd", "text/plain")})
    assert r.status_code == 422 and "root:" not in r.text
    r = client.post("/api/review/upload", files={"template": ("t.yaml", b"\xff\xfe", "text/plain")})
    assert r.status_code == 422 and r.json()["field"] == "template"
