"""Saved designs, through SQLAlchemy (SQLite by default, PostgreSQL or any SQLAlchemy URL by setting).

A saved design keeps the requirements and the canonical JSON result, keyed by a stable content hash,
so saving the same input twice gives the same id and never duplicates or overwrites other designs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import String, Text, create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class _Base(DeclarativeBase):
    pass


class SavedDesign(_Base):
    __tablename__ = "designs"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str] = mapped_column(String(16))
    pattern_id: Mapped[str] = mapped_column(String(64))
    requirements_json: Mapped[str] = mapped_column(Text)
    result_json: Mapped[str] = mapped_column(Text)


def default_url() -> str:
    url = os.environ.get("CLOUDWRIGHT_DATABASE_URL")
    if url:
        return url
    home = Path(os.environ.get("CLOUDWRIGHT_HOME", Path.home() / ".cloudwright"))
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'designs.db'}"


class Store:
    def __init__(self, url: str | None = None) -> None:
        from sqlalchemy.exc import ArgumentError, SQLAlchemyError

        from cloudwright.errors import InputError

        url = url or default_url()
        try:
            self.engine: Engine = create_engine(url, future=True)
            _Base.metadata.create_all(self.engine)
        except ArgumentError:
            raise InputError(
                "not a database URL",
                field="database_url",
                value=_redact(url),
                allowed="sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
            ) from None
        except ModuleNotFoundError as exc:
            raise InputError(
                f"the database driver is not installed ({exc.name}); for PostgreSQL install "
                "cloudwright[postgres]",
                field="database_url",
                value=_redact(url),
            ) from None
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise InputError(
                f"cannot open the database: {reason}", field="database_url", value=_redact(url)
            ) from None

    @staticmethod
    def design_id(requirements: dict[str, Any], environment: str, pattern_id: str) -> str:
        blob = json.dumps([requirements, environment, pattern_id], sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    def save(self, result: dict[str, Any]) -> str:
        req = result["requirements"]
        env = str(result.get("environment", "prod"))
        pattern_id = str(result["pattern"]["id"])
        did = self.design_id(req, env, pattern_id)
        from sqlalchemy.exc import IntegrityError

        try:
            self._put(did, req, env, pattern_id, result)
        except IntegrityError:  # a parallel identical save won the race: same id, same content
            self._put(did, req, env, pattern_id, result)
        return did

    def _put(self, did: str, req: dict[str, Any], env: str, pattern_id: str, result: dict[str, Any]) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(SavedDesign, did)
            payload = json.dumps(result, sort_keys=True)
            if row is None:
                s.add(
                    SavedDesign(
                        id=did,
                        name=str(req.get("name", "")),
                        environment=env,
                        pattern_id=pattern_id,
                        requirements_json=json.dumps(req, sort_keys=True),
                        result_json=payload,
                    )
                )
            else:
                row.result_json = payload

    def get(self, design_id: str) -> dict[str, Any] | None:
        with Session(self.engine) as s:
            row = s.get(SavedDesign, design_id)
            return None if row is None else json.loads(row.result_json)

    def list(self) -> list[dict[str, str]]:
        with Session(self.engine) as s:
            rows = s.scalars(select(SavedDesign).order_by(SavedDesign.name, SavedDesign.id)).all()
            return [
                {"id": r.id, "name": r.name, "environment": r.environment, "pattern": r.pattern_id}
                for r in rows
            ]


def _redact(url: str) -> str:
    """The URL without its password, for error messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"
