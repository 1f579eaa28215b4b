"""The workspace: saved designs with immutable versions, through SQLAlchemy 2 (SQLite or PostgreSQL).

A *design* has a name and an environment; each save, edit or re-run adds a *version* (numbered 1, 2, …
per design) holding its timestamp, requirements, usage overrides, the canonical JSON result, the
catalogue date and every downloadable file rendered at save time. Versions are never changed
afterwards, so a version's permalink always shows the same thing.

Every write is one transaction. Adding a version locks its design row first (``SELECT … FOR UPDATE``
on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so concurrent saves to one design get consecutive
numbers and none is lost; a save is acknowledged only after its commit. The schema is created and
upgraded by the Alembic migrations in ``cloudwright/web/migrations``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from cloudwright.errors import InputError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class Base(DeclarativeBase):
    pass


class DesignRow(Base):
    __tablename__ = "cw_designs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    environment: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    copied_from: Mapped[str | None] = mapped_column(String(64), nullable=True)


class VersionRow(Base):
    __tablename__ = "cw_versions"
    __table_args__ = (UniqueConstraint("design_id", "number", name="uq_cw_versions_design_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    design_id: Mapped[int] = mapped_column(ForeignKey("cw_designs.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(String(500), default="")
    requirements_json: Mapped[str] = mapped_column(Text)
    usage_json: Mapped[str] = mapped_column(Text, default="{}")
    pattern_id: Mapped[str] = mapped_column(String(100))
    catalog_date: Mapped[str] = mapped_column(String(32))
    monthly_usd: Mapped[str] = mapped_column(String(40))
    verdict: Mapped[str] = mapped_column(String(40))
    findings: Mapped[int] = mapped_column(Integer, default=0)
    result_json: Mapped[str] = mapped_column(Text)


class FileRow(Base):
    __tablename__ = "cw_files"

    version_id: Mapped[int] = mapped_column(ForeignKey("cw_versions.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)


@dataclass(frozen=True)
class NewVersion:
    """What a save or edit adds: everything computed before the transaction starts."""

    requirements: dict[str, Any]
    usage: dict[str, Any]
    result: dict[str, Any]
    files: dict[str, tuple[str, bytes]]  # name → (media type, content)
    note: str = ""


def default_url() -> str:
    """``$CLOUDWRIGHT_DATABASE_URL``, else SQLite in the user data directory."""
    url = os.environ.get("CLOUDWRIGHT_DATABASE_URL")
    if url:
        return url
    from platformdirs import user_data_dir

    home = Path(os.environ.get("CLOUDWRIGHT_HOME") or user_data_dir("cloudwright", appauthor=False))
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'workspace.db'}"


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite hands back naive datetimes; they were stored as UTC
        value = value.replace(tzinfo=UTC)
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def _redact(url: str) -> str:
    """The URL without its password, for error messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn: Any, _: Any) -> None:
            dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN below control transactions
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class NotFound(Exception):
    """No such design, version or file (the API answers 404)."""


class Store:
    def __init__(self, url: str | None = None) -> None:
        from sqlalchemy.exc import ArgumentError, SQLAlchemyError

        url = url or default_url()
        self.url = url
        try:
            self.engine = _engine(url)
            migrate(self.engine)
        except ArgumentError:
            raise InputError(
                "not a database URL",
                field="database_url",
                value=_redact(url),
                allowed="sqlite:///PATH or postgresql+psycopg://USER:PASSWORD@HOST/DB",
            ) from None
        except ModuleNotFoundError as exc:
            raise InputError(
                f"the database driver is not installed ({exc.name}); for PostgreSQL install "
                "cloudwright[postgres]",
                field="database_url",
                value=_redact(url),
            ) from None
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise InputError(
                f"cannot open the database: {reason}", field="database_url", value=_redact(url)
            ) from None

    # ------------------------------------------------------------------ writes
    def create(self, name: str, environment: str, first: NewVersion) -> tuple[int, int]:
        """A new design with its version 1. Returns (design id, 1)."""
        now = _now()
        with Session(self.engine) as s, s.begin():
            row = DesignRow(name=name, environment=environment, created_at=now, updated_at=now)
            s.add(row)
            s.flush()
            self._add_version(s, row, 1, first, now)
            return row.id, 1

    def add_version(self, design_id: int, new: NewVersion) -> int:
        """Append a version to a design; returns its number. Safe under concurrent callers."""
        from sqlalchemy.exc import IntegrityError

        for _attempt in range(5):
            try:
                with Session(self.engine) as s, s.begin():
                    row = self._locked(s, design_id)
                    last = s.scalar(
                        select(func.max(VersionRow.number)).where(VersionRow.design_id == design_id)
                    )
                    number = int(last or 0) + 1
                    now = _now()
                    self._add_version(s, row, number, new, now)
                    row.updated_at = now
                    return number
            except IntegrityError:  # another writer took the number first; try the next one
                continue
        raise RuntimeError("could not add a version after 5 attempts")

    def rename(self, design_id: int, name: str) -> None:
        with Session(self.engine) as s, s.begin():
            row = self._locked(s, design_id)
            row.name = name
            row.updated_at = _now()

    def delete(self, design_id: int) -> None:
        """Soft delete: the design leaves the list; its versions and permalinks are kept."""
        with Session(self.engine) as s, s.begin():
            row = self._locked(s, design_id)
            row.deleted_at = _now()

    def duplicate(self, design_id: int, name: str | None = None) -> tuple[int, int]:
        """A new design whose version 1 is a copy of the source design's latest version."""
        src = self.design(design_id)
        latest = src["versions"][-1]["number"]
        with Session(self.engine) as s:
            v = self._version_row(s, design_id, latest)
            files = {
                f.name: (f.media_type, f.content)
                for f in s.scalars(select(FileRow).where(FileRow.version_id == v.id))
            }
            copy = NewVersion(
                requirements=json.loads(v.requirements_json),
                usage=json.loads(v.usage_json),
                result=json.loads(v.result_json),
                files=files,
                note=f"copy of design {design_id} version {latest}",
            )
        now = _now()
        with Session(self.engine) as s, s.begin():
            row = DesignRow(
                name=name or f"{src['name']} (copy)",
                environment=src["environment"],
                created_at=now,
                updated_at=now,
                copied_from=f"{design_id}/{latest}",
            )
            s.add(row)
            s.flush()
            self._add_version(s, row, 1, copy, now)
            return row.id, 1

    # ------------------------------------------------------------------ reads
    def list(self) -> list[dict[str, Any]]:
        """Designs not deleted, newest change first, with their latest version's cost and verdict."""
        with Session(self.engine) as s:
            latest = (
                select(VersionRow.design_id, func.max(VersionRow.number).label("n"))
                .group_by(VersionRow.design_id)
                .subquery()
            )
            rows = s.execute(
                select(DesignRow, VersionRow)
                .join(latest, latest.c.design_id == DesignRow.id)
                .join(
                    VersionRow,
                    (VersionRow.design_id == DesignRow.id) & (VersionRow.number == latest.c.n),
                )
                .where(DesignRow.deleted_at.is_(None))
                .order_by(DesignRow.updated_at.desc(), DesignRow.id.desc())
            ).all()
            return [self._design_dict(d) | {"latest": self._version_dict(v)} for d, v in rows]

    def design(self, design_id: int, *, include_deleted: bool = True) -> dict[str, Any]:
        with Session(self.engine) as s:
            row = s.get(DesignRow, design_id)
            if row is None or (row.deleted_at is not None and not include_deleted):
                raise NotFound(f"no design {design_id}")
            versions = s.scalars(
                select(VersionRow).where(VersionRow.design_id == design_id).order_by(VersionRow.number)
            ).all()
            return self._design_dict(row) | {"versions": [self._version_dict(v) for v in versions]}

    def version(self, design_id: int, number: int) -> dict[str, Any]:
        """One version in full: summary, requirements, usage overrides and result."""
        with Session(self.engine) as s:
            v = self._version_row(s, design_id, number)
            files = s.scalars(select(FileRow.name).where(FileRow.version_id == v.id).order_by(FileRow.name))
            return self._version_dict(v) | {
                "design_id": design_id,
                "requirements": json.loads(v.requirements_json),
                "usage": json.loads(v.usage_json),
                "result": json.loads(v.result_json),
                "files": list(files),
            }

    def file(self, design_id: int, number: int, name: str) -> tuple[str, bytes]:
        with Session(self.engine) as s:
            v = self._version_row(s, design_id, number)
            f = s.get(FileRow, (v.id, name))
            if f is None:
                raise NotFound(f"version {number} of design {design_id} has no file {name}")
            return f.media_type, f.content

    def count_versions(self) -> int:
        with Session(self.engine) as s:
            return int(s.scalar(select(func.count()).select_from(VersionRow)) or 0)

    # ------------------------------------------------------------------ helpers
    def _locked(self, s: Session, design_id: int) -> DesignRow:
        row = s.scalars(select(DesignRow).where(DesignRow.id == design_id).with_for_update()).first()
        if row is None:
            raise NotFound(f"no design {design_id}")
        return row

    @staticmethod
    def _version_row(s: Session, design_id: int, number: int) -> VersionRow:
        v = s.scalars(
            select(VersionRow).where(VersionRow.design_id == design_id, VersionRow.number == number)
        ).first()
        if v is None:
            raise NotFound(f"design {design_id} has no version {number}")
        return v

    @staticmethod
    def _add_version(s: Session, design: DesignRow, number: int, new: NewVersion, now: datetime) -> None:
        result = new.result
        review = result.get("review") or {}
        v = VersionRow(
            design_id=design.id,
            number=number,
            created_at=now,
            note=new.note[:500],
            requirements_json=json.dumps(new.requirements, sort_keys=True),
            usage_json=json.dumps(new.usage, sort_keys=True),
            pattern_id=str(result.get("pattern", {}).get("id", "")),
            catalog_date=str(result.get("estimate", {}).get("catalog_date", "")),
            monthly_usd=str(result.get("estimate", {}).get("monthly_usd", "")),
            verdict=str(result.get("budget", {}).get("verdict", "")),
            findings=len(review.get("findings") or []),
            result_json=json.dumps(result, sort_keys=True),
        )
        s.add(v)
        s.flush()
        for name, (media, content) in sorted(new.files.items()):
            s.add(FileRow(version_id=v.id, name=name, media_type=media, content=content))

    @staticmethod
    def _design_dict(d: DesignRow) -> dict[str, Any]:
        return {
            "id": d.id,
            "name": d.name,
            "environment": d.environment,
            "created_at": _iso(d.created_at),
            "updated_at": _iso(d.updated_at),
            "deleted": d.deleted_at is not None,
            "copied_from": d.copied_from,
        }

    @staticmethod
    def _version_dict(v: VersionRow) -> dict[str, Any]:
        return {
            "number": v.number,
            "created_at": _iso(v.created_at),
            "note": v.note,
            "pattern": v.pattern_id,
            "catalog_date": v.catalog_date,
            "monthly_usd": float(v.monthly_usd) if v.monthly_usd else None,
            "verdict": v.verdict,
            "findings": v.findings,
        }
