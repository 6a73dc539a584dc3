"""SQLAlchemy's aiosqlite adapter, one thread hop per statement instead of up to four.

aiosqlite runs each call (make a cursor, execute, fetch the rows, close the cursor) on its own
thread and hands the result back to the event loop: four round trips through a busy loop, each
also waiting for the GIL, for one `UPDATE … RETURNING`. On SQLite every write transaction holds
the one writer connection across those round trips, so under load they limited the message
rate (docs/decisions/0004-message-path.md). This cursor does the four steps in one call on
aiosqlite's thread. Used only for SQLite; the SQLAlchemy and aiosqlite versions it relies on
are pinned.

Two more round trips go (docs/decisions/0005-one-call-writes.md): a commit or rollback with no
transaction open (SQLite says so after every statement) is skipped, and `OneHopConnection.run`
runs a whole function of statements on aiosqlite's thread in one call (`kefu.core.db.in_one_call`):
statements issued from that thread execute directly.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Callable, Sequence
from threading import Thread, current_thread
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

Outcome = tuple[Any, list[Any] | None, int, int | None, bool]
T = TypeVar("T")


def _run(conn: sqlite3.Connection, operation: str, parameters: Any, many: bool = False) -> Outcome:
    """Everything one statement needs, on aiosqlite's thread."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.rowcount, cursor.lastrowid, conn.in_transaction
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:  # no cursor is opened ahead of time
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _hop(self, operation: str, parameters: Any, many: bool) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        adapt: OneHopConnection = self._adapt_connection  # type: ignore[assignment]
        adapt.in_transaction = True  # unknown until the statement says
        async with adapt._execute_mutex:
            outcome: Outcome = await connection._execute(  # type: ignore[no-untyped-call]
                _run, connection._conn, operation, parameters, many
            )
        self._take(outcome)

    def _take(self, outcome: Outcome) -> None:
        self._description, rows, self._rowcount, self._lastrowid, in_tx = outcome
        self._rows = collections.deque(rows or ())
        self._adapt_connection.in_transaction = in_tx  # type: ignore[attr-defined]

    def _direct(self, operation: Any, parameters: Any, many: bool) -> None:
        """On aiosqlite's thread already (inside `OneHopConnection.run`): execute in place."""
        adapt: OneHopConnection = self._adapt_connection  # type: ignore[assignment]
        adapt.in_transaction = True
        try:
            self._take(_run(adapt.sqlite, operation, parameters, many))
        except Exception as error:
            adapt._handle_exception(error)

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        if self._adapt_connection.on_worker():  # type: ignore[attr-defined]
            return self._direct(operation, parameters, many=False)
        return super().execute(operation, parameters)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        if self._adapt_connection.on_worker():  # type: ignore[attr-defined]
            return self._direct(operation, seq_of_parameters, many=True)
        return super().executemany(operation, seq_of_parameters)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._hop(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        await self._hop(operation, seq_of_parameters, many=True)

    async def _async_soft_close(self) -> None:
        return  # nothing is open between calls

    def close(self) -> None:
        self._rows.clear()

    def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        return super().fetchmany(size if size is not None else self._arraysize)


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_worker", "in_transaction")
    _cursor_cls = OneHopCursor

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection) -> None:
        super().__init__(dbapi, connection)  # type: ignore[arg-type]
        self._worker = connection._thread
        self.in_transaction = True  # unknown until a statement says

    @property
    def sqlite(self) -> sqlite3.Connection:
        return self._connection._conn  # type: ignore[no-any-return]

    def on_worker(self) -> bool:
        return current_thread() is self._worker

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Call `fn(*args)` on aiosqlite's thread: its statements cost no round trip each."""
        async with self._execute_mutex:
            return await self._connection._execute(fn, *args)  # type: ignore[no-any-return]

    def commit(self) -> None:
        self._end(sqlite3.Connection.commit, super().commit)

    def rollback(self) -> None:
        self._end(sqlite3.Connection.rollback, super().rollback)

    def _end(self, direct: Callable[[sqlite3.Connection], None], hop: Callable[[], None]) -> None:
        """Commit or roll back; with no transaction open there is nothing to do (no hop)."""
        if not self.in_transaction:
            return
        if self.on_worker():
            try:
                direct(self.sqlite)
            except Exception as error:
                self._handle_exception(error)
        else:
            hop()
        self.in_transaction = False


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """Pass as `module=` to `create_async_engine` for a `sqlite+aiosqlite` URL."""

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        connection = self.aiosqlite.connect(*arg, **kw)
        thread = connection if isinstance(connection, Thread) else connection._thread
        thread.daemon = True  # as SQLAlchemy does: a forgotten connection must not hang exit
        return OneHopConnection(self, await_(connection))


def one_hop_dbapi() -> OneHopDBAPI:
    return OneHopDBAPI(aiosqlite, sqlite3)
