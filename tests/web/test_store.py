"""The workspace store on SQLite and on a real PostgreSQL: versions, concurrency, durability."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from cloudwright.errors import InputError
from cloudwright.web.store import NewVersion, NotFound, Store


def _version(n: int, cost: float = 10.0) -> NewVersion:
    result = {
        "pattern": {"id": "serverless-web"},
        "estimate": {"monthly_usd": cost, "catalog_date": "2026-11-23", "line_items": []},
        "budget": {"verdict": "within-budget"},
        "review": {"findings": [{"check_id": "X"}] * (n % 3)},
        "resources": [],
        "n": n,
    }
    return NewVersion(
        requirements={"name": f"app-{n}"},
        usage={},
        result=result,
        files={"template.yaml": ("application/yaml", f"n: {n}\n".encode())},
        note=f"v{n}",
    )


def test_versions_are_numbered_kept_and_listed(db_url):
    store = Store(db_url)
    design_id, first = store.create("shop", "prod", _version(1, 10))
    assert first == 1
    assert store.add_version(design_id, _version(2, 12.5)) == 2
    detail = store.design(design_id)
    assert [v["number"] for v in detail["versions"]] == [1, 2]
    assert detail["versions"][0]["monthly_usd"] == 10 and detail["versions"][1]["monthly_usd"] == 12.5
    assert detail["versions"][0]["catalog_date"] == "2026-11-23"
    assert store.version(design_id, 1)["result"]["n"] == 1  # version 1 unchanged by version 2
    assert store.file(design_id, 2, "template.yaml") == ("application/yaml", b"n: 2\n")
    with pytest.raises(NotFound):
        store.file(design_id, 2, "../../etc/passwd")
    with pytest.raises(NotFound):
        store.version(design_id, 3)
    listed = store.list()
    assert [(d["id"], d["latest"]["number"]) for d in listed] == [(design_id, 2)]


def test_rename_duplicate_and_soft_delete(db_url):
    store = Store(db_url)
    a, _ = store.create("a", "dev", _version(1))
    store.add_version(a, _version(2))
    store.rename(a, "renamed")
    b, n = store.duplicate(a)
    assert n == 1 and store.design(b)["name"] == "renamed (copy)"
    assert store.design(b)["copied_from"] == f"{a}/2"
    assert store.version(b, 1)["result"]["n"] == 2
    assert store.file(b, 1, "template.yaml")[1] == b"n: 2\n"
    store.delete(a)
    assert [d["id"] for d in store.list()] == [b]
    assert store.design(a)["deleted"] is True  # permalinks still resolve
    assert store.version(a, 1)["result"]["n"] == 1
    with pytest.raises(NotFound):
        store.rename(999, "x")


def test_concurrent_saves_lose_nothing(db_url):
    store = Store(db_url)
    design_id, _ = store.create("busy", "prod", _version(0))
    workers, each = 8, 6

    def add(i: int) -> int:
        return store.add_version(design_id, _version(i))

    def create(i: int) -> int:
        return store.create(f"d{i}", "prod", _version(i))[0]

    with ThreadPoolExecutor(workers) as pool:
        numbers = list(pool.map(add, range(1, workers * each + 1)))
        created = list(pool.map(create, range(workers * 2)))
    assert sorted(numbers) == list(range(2, workers * each + 2))  # consecutive, none lost, no duplicate
    versions = store.design(design_id)["versions"]
    assert [v["number"] for v in versions] == list(range(1, workers * each + 2))
    assert len(set(created)) == workers * 2
    assert len(store.list()) == workers * 2 + 1


def test_migrations_match_the_models(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from cloudwright.web.store import Base

    store = Store(db_url)
    Store(db_url)  # a second start on a migrated database is a no-op
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_bad_urls_are_input_errors(tmp_path):
    for url in ("nosuchdb://x", "postgresql+nosuchdriver://u@h/db", f"sqlite:///{tmp_path}/no/such/dir/x.db"):
        with pytest.raises(InputError) as info:
            Store(url)
        assert info.value.field == "database_url"
    with pytest.raises(InputError) as info:
        Store("postgresql+psycopg://user:hunter2@127.0.0.1:1/db")
    assert "hunter2" not in str(info.value)


# ------------------------------------------------------------------------------------------------
# kill -9 while saving through a real server: every acknowledged save survives
# ------------------------------------------------------------------------------------------------
def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_kill_9_during_saves_loses_no_acknowledged_save(db_url, tmp_path):
    import httpx

    port = _free_port()
    env = {**os.environ, "CLOUDWRIGHT_HOME": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "cloudwright", "serve", "--port", str(port), "--database-url", db_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    acknowledged: list[tuple[int, int]] = []
    lock = threading.Lock()
    stop = threading.Event()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/patterns", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        first = httpx.post(
            f"{base}/api/designs", json={"name": "kill", "requirements": {"name": "kill"}}, timeout=60
        )
        assert first.status_code == 201
        design_id = first.json()["id"]

        def client(i: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as c:
                while not stop.is_set():
                    try:
                        if i % 2:
                            r = c.put(f"/api/designs/{design_id}", json={"note": f"client {i}"})
                        else:
                            r = c.post("/api/designs", json={"name": f"c{i}", "requirements": {"name": "k"}})
                    except httpx.HTTPError:
                        return  # the server died mid-request: that save was not acknowledged
                    if r.status_code == 201:
                        body = r.json()
                        with lock:
                            acknowledged.append((body["id"], body["version"]))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        while True:  # kill once several saves are acknowledged, while more are in flight
            with lock:
                if len(acknowledged) >= 4:
                    break
            time.sleep(0.05)
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
        stop.set()
        for t in threads:
            t.join(timeout=60)
    finally:
        stop.set()
        if server.poll() is None:
            server.kill()
            server.wait()
    store = Store(db_url)
    for design, number in acknowledged:
        v = store.version(design, number)
        assert v["result"]["pattern"]["id"], (design, number)
        assert store.file(design, number, "template.yaml")[1].startswith(b"AWSTemplateFormatVersion")
    assert len(acknowledged) >= 4
    # every version that exists is whole (no half-written version: each has its files)
    for d in store.list():
        for v in store.design(d["id"])["versions"]:
            assert "design.json" in store.version(d["id"], v["number"])["files"]
