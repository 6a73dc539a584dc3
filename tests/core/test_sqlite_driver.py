"""The SQLite adapter kefu's engines use (kefu/core/sqlite_driver.py): what SQLAlchemy reads
back from a statement is right, errors surface and leave the connection usable, and each
statement crosses to aiosqlite's thread once (the reason the adapter exists)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from kefu.core.db import Database, in_one_call


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with database.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    yield database
    await database.dispose()


async def test_rows_rowcount_and_returning_come_back(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": f"n{i}"} for i in range(5)]
        )
        updated = await conn.execute(text("UPDATE t SET name = name || '!' WHERE id <= 3"))
        assert updated.rowcount == 3
        returned = await conn.execute(
            text("UPDATE t SET name = 'x' WHERE id = 5 RETURNING id, name")
        )
        assert returned.all() == [(5, "x")]
    async with db.read_engine.connect() as conn:
        names = (await conn.execute(text("SELECT name FROM t ORDER BY id"))).scalars().all()
    assert names == ["n0!", "n1!", "n2!", "n3", "x"]


async def test_an_error_surfaces_and_the_connection_stays_usable(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text("INSERT INTO t (name) VALUES ('a')"))
    with pytest.raises(IntegrityError):
        async with db.engine.begin() as conn:
            await conn.execute(text("INSERT INTO t (name) VALUES ('b')"))
            await conn.execute(text("INSERT INTO t (name) VALUES ('a')"))
    async with db.engine.connect() as conn:
        names = (await conn.execute(text("SELECT name FROM t"))).scalars().all()
    assert names == ["a"]  # the failed transaction left nothing behind


async def test_one_thread_hop_per_statement(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(fn, "__name__", "?"))
        return await real(self, fn, *args, **kwargs)

    async with db.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))  # the connection is open before counting
        monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
        await conn.execute(text("INSERT INTO t (name) VALUES ('a') RETURNING id"))
        await conn.execute(text("SELECT name FROM t"))
        await conn.commit()
    # one call per statement (not cursor + execute + fetch + close), then the commit; the
    # pool's reset when the connection goes back finds no transaction open: no call
    assert calls == ["_run", "_run", "commit"]


def _insert_names(names: list[str], conn: Connection) -> int:
    for name in names:
        conn.execute(text("INSERT INTO t (name) VALUES (:name)"), {"name": name})
    return int(conn.execute(text("SELECT count(*) FROM t")).scalar_one())


def _count_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(getattr(fn, "func", fn), "__name__", "?"))
        return await real(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return calls


async def test_a_write_in_one_call(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    async with db.sessions() as session:
        await session.execute(text("SELECT 1"))  # the connection is open before counting
        calls = _count_calls(monkeypatch)
        count = await in_one_call(session, partial(_insert_names, ["a", "b", "c"]))
        assert count == 3
        await session.commit()
    # three inserts and a count in one call, then the commit
    assert calls == ["_insert_names", "commit"]
    async with db.read_engine.connect() as conn:
        assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 3


async def test_a_write_committed_in_the_same_call(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with db.sessions() as session:
        await session.execute(text("SELECT 1"))
        calls = _count_calls(monkeypatch)
        await in_one_call(session, partial(_insert_names, ["a"]), commit=True)
        assert calls == ["_then_commit"]
        monkeypatch.undo()
        async with db.read_engine.connect() as conn:  # committed before the session commits
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1
        calls = _count_calls(monkeypatch)
        await session.commit()
    assert calls == []  # the session's commit found nothing left to do


async def test_a_failed_write_in_one_call_leaves_nothing(db: Database) -> None:
    async with db.sessions() as session:
        with pytest.raises(IntegrityError):
            await in_one_call(session, partial(_insert_names, ["a", "b", "a"]))
        await session.rollback()
        assert await in_one_call(session, partial(_insert_names, ["z"])) == 1
        await session.commit()
    async with db.read_engine.connect() as conn:
        names = (await conn.execute(text("SELECT name FROM t"))).scalars().all()
    assert names == ["z"]


async def test_writes_waiting_for_the_writer_share_a_call_and_a_commit(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def send(names: list[str]) -> int:
        async with db.sessions() as session:
            count = await in_one_call(session, partial(_insert_names, names), commit=True)
            await session.commit()
            return count

    await send(["warm"])  # the writer connection is open before counting
    calls = _count_calls(monkeypatch)
    results = await asyncio.gather(
        *(send([f"n{i}"]) for i in range(10)), send(["warm"]), return_exceptions=True
    )
    # the duplicate fails alone; the ten others are stored
    assert isinstance(results[-1], IntegrityError)
    assert all(isinstance(r, int) for r in results[:-1])
    async with db.read_engine.connect() as conn:
        names = set((await conn.execute(text("SELECT name FROM t"))).scalars())
    assert names == {"warm", *(f"n{i}" for i in range(10))}
    # far fewer trips to the writer's thread than writes (the first goes alone, the rest
    # together; after the failure each is run again on its own in that same call)
    assert calls.count("_together") <= 3
