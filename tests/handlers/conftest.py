"""Run the Lambda handlers in-process against moto, exactly as CloudFormation inlines them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cloudwright.design.handlers import load_handler

REGION = "us-east-1"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from moto import mock_aws

    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        yield


@pytest.fixture
def load(aws: None, monkeypatch: pytest.MonkeyPatch) -> Callable[..., dict[str, Any]]:
    """``load("users_api", USERS_TABLE="t")`` → the handler module's namespace (the inlined index.py)."""

    def _load(name: str, **env: str) -> dict[str, Any]:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        namespace: dict[str, Any] = {"__name__": "index"}
        exec(compile(load_handler(name), "index.py", "exec"), namespace)
        return namespace

    return _load
