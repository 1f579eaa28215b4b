"""Property-based run of the OpenAPI spec (schemathesis): no 5xx and responses conform to the spec.

Checks every documented operation with generated valid and invalid requests. The example budget
is small here (``make test``); set ``CLOUDWRIGHT_SCHEMATHESIS_EXAMPLES`` for a longer campaign.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from cloudwright.web.app import create_app
from cloudwright.web.security import Settings

EXAMPLES = int(os.environ.get("CLOUDWRIGHT_SCHEMATHESIS_EXAMPLES", "2"))

_db = Path(tempfile.mkdtemp(prefix="cw-schemathesis-")) / "workspace.db"
app = create_app(f"sqlite:///{_db}", settings=Settings(allowed_hosts=("*",)))
# The coverage phase enumerates boundary values of every field (dozens of requests per operation, each
# running the whole design pipeline); the examples and fuzzing phases with a small budget keep this
# suite inside make test's time. A long campaign: CLOUDWRIGHT_SCHEMATHESIS_EXAMPLES=200.
CONFIG = schemathesis.config.SchemathesisConfig.from_str(
    "" if EXAMPLES > 10 else "[phases.coverage]\nenabled = false\n"
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=CONFIG)


@pytest.fixture(scope="module", autouse=True)
def _seed():
    """One saved design with two versions, so id 1 / versions 1-2 exist for the generated calls."""
    from fastapi.testclient import TestClient

    client = TestClient(app)
    if not client.get("/api/designs").json():
        r = client.post("/api/designs", json={"name": "seed", "requirements": {}})
        assert r.status_code == 201
        assert client.put(f"/api/designs/{r.json()['id']}", json={"note": "second"}).status_code == 201


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_and_never_fails(case):
    # Every other check runs (no 5xx, status codes, content types, headers and bodies as documented,
    # Allow on 405, negative data rejected). Not "schema-valid data accepted": a template or a set of
    # requirements can be well-formed JSON and still be refused with a documented 422 (a template
    # that is not CloudFormation, an unknown pattern, an empty list of environments).
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])
