"""Group commit on SQLite: self-contained writes that arrive while one is running share the
next call to the writer's thread and one commit (docs/decisions/0005-one-call-writes.md).

SQLite has one writer. Each write that holds it pays for the trip to aiosqlite's thread and
back through a busy event loop; under load most of the writer's time went to those trips, not
to SQLite. Here the writes waiting for the writer go over together: one trip, one commit,
each write's result (or error) handed back to its caller. A write that fails does not take
the others with it: the batch is rolled back and each write is run again on its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from kefu.core.sqlite_driver import OneHopConnection

T = TypeVar("T")
Work = Callable[[Connection], Any]
Outcome = tuple[bool, Any]  # (succeeded, result or exception)


class GroupCommit:
    """Runs self-contained writes (`in_one_call(..., commit=True)`) on one SQLite engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._waiting: list[tuple[Work, asyncio.Future[Any]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` and commit it, with whatever other writes are waiting."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append((work, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                outcomes = await self._run([work for work, _ in batch])
            except Exception as error:  # the connection itself failed: every write did
                outcomes = [(False, error)] * len(batch)
            except BaseException:  # cancelled (shutdown): nobody is left waiting forever
                for _, future in [*batch, *self._waiting]:
                    future.cancel()
                raise
            _settle(batch, outcomes)

    async def _run(self, works: list[Work]) -> list[Outcome]:
        async with self.engine.connect() as conn:
            sync = conn.sync_connection
            assert sync is not None
            raw = (await conn.get_raw_connection()).dbapi_connection
            assert isinstance(raw, OneHopConnection)
            return await raw.run(_together, works, sync, raw)


def _settle(batch: list[tuple[Work, asyncio.Future[Any]]], outcomes: list[Outcome]) -> None:
    for (_, future), (ok, value) in zip(batch, outcomes, strict=True):
        if future.done():  # its caller gave up waiting; the write stands
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)


def _together(works: list[Work], sync: Connection, raw: OneHopConnection) -> list[Outcome]:
    """On the writer's thread: all the writes and one commit; if one fails, each on its own."""
    try:
        results = [work(sync) for work in works]
        raw.commit()
        return [(True, result) for result in results]
    except Exception as error:
        raw.rollback()
        if len(works) == 1:
            return [(False, error)]
    return [_alone(work, sync, raw) for work in works]


def _alone(work: Work, sync: Connection, raw: OneHopConnection) -> Outcome:
    try:
        result = work(sync)
        raw.commit()
        return True, result
    except Exception as error:
        raw.rollback()
        return False, error
