"""Database engine, sessions, declarative base and column types shared by every domain."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import JSON, DateTime, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from kefu.core.group_commit import GroupCommit
from kefu.core.sqlite_driver import OneHopConnection, one_hop_dbapi

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

T = TypeVar("T")
GROUP = "db.group_commit"
JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def rows_affected(result: Any) -> int:
    """How many rows an UPDATE or DELETE touched (`rowcount`; 0 when the driver does not say)."""
    return int(getattr(result, "rowcount", 0) or 0)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        # One connection per process: SQLite has one writer; a single pooled connection
        # serialises access in-process and avoids lock-upgrade failures between sessions.
        engine = create_async_engine(
            url, pool_size=1, max_overflow=0, pool_timeout=60, module=one_hop_dbapi()
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)


def make_read_engine(url: str) -> AsyncEngine:
    engine = create_async_engine(
        url, pool_size=2, max_overflow=0, pool_timeout=60, module=one_hop_dbapi()
    )
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    """Owns the engine and session factory of one process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # SQLite's one writer takes self-contained writes in groups (kefu.core.group_commit)
        group = {GROUP: GroupCommit(self.engine)} if self.is_sqlite else {}
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, info=group)
        # Fan-out reads (the event feed) get their own connections on SQLite: in WAL mode
        # readers never wait for the single writer connection.
        self.read_engine = make_read_engine(url) if self.is_sqlite else self.engine
        self.read_sessions = async_sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


async def in_one_call(
    session: AsyncSession, work: Callable[[Connection], T], *, commit: bool = False
) -> T:
    """Run `work` (Core statements on a synchronous connection) in the session's transaction.

    On SQLite the whole of `work` runs in one call on the driver's thread, so the one writer
    connection is held for one round trip instead of one per statement (the hot writes: a
    message and its event); on PostgreSQL it runs as any other statement does. Pending ORM
    changes are flushed first, so `work` sees them. `work` must not touch ORM objects.

    `commit=True` promises that the caller commits the session next, with nothing in between:
    SQLite then commits in the same call, and the session's commit finds nothing left to do.
    If the session holds nothing yet, the write goes with the others waiting for SQLite's
    writer (group commit).
    """
    pending = bool(session.new or session.dirty or session.deleted)
    group: GroupCommit | None = session.info.get(GROUP)
    if commit and group is not None and not pending and not session.in_transaction():
        return await group.run(work)
    if pending:
        await session.flush()
    conn = await session.connection()
    sync = conn.sync_connection
    assert sync is not None
    raw = (await conn.get_raw_connection()).dbapi_connection
    if isinstance(raw, OneHopConnection):
        if commit:
            return await raw.run(_then_commit, work, sync, raw)
        return await raw.run(work, sync)
    return await conn.run_sync(work)


def _then_commit(work: Callable[[Connection], T], sync: Connection, raw: OneHopConnection) -> T:
    result = work(sync)
    raw.commit()  # on the driver's thread: no round trip of its own
    return result
