"""Fixtures for the web tests: a throwaway PostgreSQL cluster and database URLs for each backend.

PostgreSQL comes from the system packages (Debian's ``postgresql``; ``.ci/run`` installs it). The
cluster lives in a temporary directory, listens on a free loopback port and is removed afterwards.
Without PostgreSQL the PostgreSQL cases are skipped on a developer machine, and fail in CI
(``CI=true``), where they must run.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _pg_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the 'postgres' (or 'nobody') account then."""
    if os.geteuid() != 0:
        return cmd
    import pwd

    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return ["runuser", "-u", user, "--", *cmd]
    raise RuntimeError("running as root and no unprivileged account to run PostgreSQL")


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Base URL (without database) of a running throwaway PostgreSQL cluster."""
    bindir = _pg_bindir()
    if bindir is None:
        _missing("PostgreSQL server binaries (initdb) not found; apt-get install postgresql")
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("the psycopg driver is not installed (pip install 'cloudwright[postgres]')")
        return
    root = Path(tempfile.mkdtemp(prefix="cw-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        account = _as_user(["true"])[2]  # ["runuser", "-u", ACCOUNT, "--", ...]
        shutil.chown(root, user=account)
    os.chmod(root, 0o755)
    port = _free_port()
    log = root / "log"
    try:
        subprocess.run(
            _as_user([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "cw", "--no-sync"]),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            _as_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-w",
                    "-o",
                    f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=100",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=60,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(root, ignore_errors=True)
        out = getattr(exc, "stderr", b"") or b""
        pytest.fail(f"could not start PostgreSQL: {out.decode(errors='replace')}")
    try:
        yield f"postgresql+psycopg://cw@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def new_postgres_db(server: str) -> str:
    """A fresh, empty database on the throwaway cluster; returns its URL."""
    from sqlalchemy import create_engine, text

    name = "cw_" + uuid.uuid4().hex[:12]
    engine = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{server}/{name}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def db_url(request, tmp_path) -> str:
    """A fresh workspace database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.db'}"
    return new_postgres_db(request.getfixturevalue("postgres_server"))
