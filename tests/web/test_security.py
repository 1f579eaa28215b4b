"""Attacks on the web API: each gets a 4xx in the one JSON error shape and leaks nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from cloudwright.web.app import create_app
from cloudwright.web.security import CSP, Settings

TEMPLATE = "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n"


def _client(tmp_path, **settings) -> TestClient:
    app = create_app(f"sqlite:///{tmp_path / 'db.sqlite'}", settings=Settings(**settings))
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


@pytest.fixture()
def client(tmp_path):
    return _client(tmp_path)


def _is_error(r, status: int) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) <= {"error", "field", "allowed", "problems"} and body["error"]
    return body


SECRET_DIR_NAME = "very-secret-dir"


@pytest.mark.parametrize("endpoint", ["/api/estimate", "/api/review"])
def test_path_like_templates_are_never_read(client, tmp_path, endpoint):
    secret = tmp_path / SECRET_DIR_NAME / "template.yaml"
    secret.parent.mkdir()
    secret.write_text(TEMPLATE + "# TOPSECRET-MARKER\n")
    bodies = {}
    for path in (
        str(secret),  # a real, readable, valid template
        str(tmp_path / SECRET_DIR_NAME / "missing.yaml"),  # does not exist
        str(secret.parent),  # a directory
        "../../../../etc/shadow",
        "/etc/passwd",
        "/dev/zero",
        "/proc/self/environ",
    ):
        r = client.post(endpoint, json={"template": path})
        body = _is_error(r, 422)
        text = r.text
        assert "TOPSECRET" not in text and "root:" not in text
        assert "no such" not in text.lower() and "directory" not in text.lower()
        # the same answer whether or not the path exists (no existence oracle), up to the value echoed
        bodies[path] = json.dumps(body).replace(json.dumps(path)[1:-1], "<P>")
    assert len(set(bodies.values())) == 1, bodies


def test_dev_zero_does_not_hang_or_grow(client):
    # /dev/zero must be treated as text: answered at once with a 422
    r = client.post("/api/estimate", json={"template": "/dev/zero"})
    _is_error(r, 422)


def test_oversized_body_is_413(tmp_path):
    client = _client(tmp_path, max_body_bytes=10_000, max_template_bytes=5_000)
    big = TEMPLATE + "#" + "x" * 20_000 + "\n"
    body = _is_error(client.post("/api/estimate", json={"template": big}), 413)
    assert "10,000 bytes" in body["error"]

    # a streamed body without a Content-Length is cut off as well
    def chunks():
        for _ in range(20):
            yield b"x" * 1000

    r = client.post("/api/review", content=chunks(), headers={"content-type": "application/json"})
    _is_error(r, 413)
    # a template under the body limit but over the template limit
    mid = TEMPLATE + "#" + "x" * 6_000 + "\n"
    body = _is_error(client.post("/api/review", json={"template": mid}), 413)
    assert body["field"] == "template" and "5,000 bytes" in body["error"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_422(client, literal):
    raw = (
        '{"template": '
        + json.dumps(TEMPLATE)
        + ', "usage": {"Queue": {"monthly_requests": '
        + literal
        + "}}}"
    )
    r = client.post("/api/estimate", content=raw, headers={"content-type": "application/json"})
    body = _is_error(r, 422)
    assert "number" in body["error"]
    r = client.post(
        "/api/design",
        content='{"expected_users": ' + literal + "}",
        headers={"content-type": "application/json"},
    )
    _is_error(r, 422)


def test_non_finite_numbers_without_a_content_type_are_422(client):
    usage = '{"resource_usage": {"Queue": {"monthly_requests": NaN}}}'
    raw = '{"template": ' + json.dumps(TEMPLATE) + ', "usage": ' + usage + "}"
    r = client.post("/api/estimate", content=raw.encode(), headers={"content-type": ""})
    assert "number" in _is_error(r, 422)["error"]


def test_malformed_json_is_422(client):
    r = client.post("/api/estimate", content=b"{not json", headers={"content-type": "application/json"})
    _is_error(r, 422)


def test_wrong_host_is_refused(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'db.sqlite'}")
    evil = TestClient(app, base_url="http://attacker.example")
    body = _is_error(evil.get("/api/patterns"), 400)
    assert body["field"] == "Host"
    _is_error(evil.post("/api/estimate", json={"template": TEMPLATE}), 400)
    ok = TestClient(app, base_url="http://localhost:8000")
    assert ok.get("/api/patterns").status_code == 200
    allowed = _client(tmp_path, allowed_hosts=("cw.example.com",))
    assert TestClient(allowed.app, base_url="http://cw.example.com").get("/api/patterns").status_code == 200


def test_token_is_required_when_set(tmp_path):
    client = _client(tmp_path, token="s3cret")
    _is_error(client.get("/api/patterns"), 401)
    _is_error(client.get("/api/patterns", headers={"Authorization": "Bearer wrong"}), 401)
    assert client.get("/api/patterns", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    _is_error(client.get("/login?token=nope"), 401)
    r = client.get("/login?token=s3cret", follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/api/patterns").status_code == 200  # the cookie now carries it


def test_security_headers_on_every_response(client):
    for r in (client.get("/"), client.get("/api/patterns"), client.post("/api/estimate", json={})):
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in CSP
    assert "script-src 'self';" in CSP  # no 'unsafe-inline' script


def test_pages_have_no_inline_script_and_no_external_assets(client):
    import re

    for path in ("/", "/docs", "/redoc"):
        page = client.get(path).text
        for tag in re.findall(r"<script[^>]*>", page):
            assert "src=" in tag, (path, tag)
        assert not re.search(r"""(src|href)=['"]?(https?:)?//""", page), path
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        assert client.get(f"/static/vendor/{asset}").status_code == 200
    assert client.get("/static/swagger-init.js").status_code == 200
    _is_error(client.get("/static/vendor/..%2F..%2Fapp.py"), 404)
    _is_error(client.get("/static/..%2Fapp.py"), 404)


def test_unknown_route_and_method_use_the_error_shape(client):
    _is_error(client.get("/api/nope"), 404)
    _is_error(client.delete("/api/patterns"), 405)


def test_openapi_documents_the_error_shape(client):
    spec = client.get("/openapi.json").json()
    assert "ErrorBody" in spec["components"]["schemas"]
    op = spec["paths"]["/api/estimate"]["post"]
    for status in ("400", "413", "422"):
        ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ErrorBody")
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/EstimateBody")


def test_parallel_identical_saves_do_not_fail(client):
    from concurrent.futures import ThreadPoolExecutor

    req = {"name": "race", "application_type": "web_application"}
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: client.post("/api/design?save=true", json=req).status_code, range(8)))
    assert codes == [200] * 8


def test_save_with_html_format_saves(client):
    r = client.post("/api/design?save=true&format=html", json={"name": "html-save"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    design_id = r.headers["x-design-id"]
    assert client.get(f"/api/designs/{design_id}").status_code == 200


def test_bad_database_url_is_one_line_and_exit_2(tmp_path):
    for url in ("nosuchdb://x", "postgresql+nosuchdriver://u@h/db", f"sqlite:///{tmp_path}/no/dir/x.db"):
        proc = subprocess.run(
            [sys.executable, "-m", "cloudwright", "serve", "--database-url", url, "--port", "1"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2, (url, proc.stderr)
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and "database_url" in lines[0], proc.stderr
        assert "Traceback" not in proc.stderr


def test_public_host_warns_about_missing_authentication(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cloudwright",
            "serve",
            "--host",
            "0.0.0.0",
            "--database-url",
            "nosuchdb://x",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "no authentication" in proc.stderr and "--token" in proc.stderr


def test_cross_site_posts_are_refused(client):
    r = client.post(
        "/api/designs",
        json={"name": "x"},
        headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    _is_error(r, 403)
    _is_error(client.post("/designs/1/delete", headers={"Origin": "http://evil.example"}), 403)
    # same-origin browser requests pass (404: there is no design 1)
    r = client.post(
        "/designs/1/delete", headers={"Origin": "http://127.0.0.1", "Sec-Fetch-Site": "same-origin"}
    )
    _is_error(r, 404)
