"""Events go into the durable log in the writer's transaction; listeners wake after commit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Table, Uuid, bindparam, insert, update
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from kefu.core.context import Runtime
from kefu.core.db import Base, in_one_call, utcnow
from kefu.core.deps import after_commit
from kefu.realtime.events import Event
from kefu.realtime.models import EventRecord

WAKE = "wake"
# This process's hub registers here to receive the records it just committed, so that it can
# fan them out without reading them back (it still reads the log for anything not contiguous).
LOCAL_SINK = "realtime.local_sink"
RECORDS = "realtime.records"
LocalSink = Callable[[list[EventRecord]], None]
# Core statements on the tables: every write that records an event passes here.
COUNTERS: Table = Base.metadata.tables["tenant_counters"]
INSERT_EVENT = insert(Base.metadata.tables["events"])
NEXT_EVENT_ID = (
    update(COUNTERS)
    .where(COUNTERS.c.tenant_id == bindparam("t_id", type_=Uuid()))
    .values(event_seq=COUNTERS.c.event_seq + 1)
    .returning(COUNTERS.c.event_seq)
)


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, _previous: Any) -> None:
    """Records of a rolled-back transaction never happened (their ids will be reused)."""
    session.info.pop(RECORDS, None)


def _next_event_id(conn: Connection, tenant_id: uuid.UUID) -> int:
    """Allocate the tenant's next event id; the row lock orders ids by commit."""
    value = conn.execute(NEXT_EVENT_ID, {"t_id": tenant_id}).scalar_one_or_none()
    if value is None:
        conn.execute(insert(COUNTERS).values(tenant_id=tenant_id, event_seq=1))
        return 1
    return int(value)


@dataclass(frozen=True)
class Staged:
    """An event about to be logged, with what its log row says about it."""

    tenant_id: uuid.UUID
    event: Event
    conversation_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    private: bool = False


def stage_event(conn: Connection, staged: Staged) -> EventRecord:
    """Number and insert the event's log row (a step of a write run by `in_one_call`)."""
    row: dict[str, Any] = {
        "tenant_id": staged.tenant_id,
        "id": _next_event_id(conn, staged.tenant_id),
        "type": staged.event.type,
        "conversation_id": staged.conversation_id,
        "contact_id": staged.contact_id,
        "assignee_id": staged.assignee_id,
        "private": staged.private,
        "payload": staged.event.data(),
        "created_at": utcnow(),
    }
    conn.execute(INSERT_EVENT, row)
    return EventRecord(**row)  # what was stored, detached from the session


async def record_event(
    session: AsyncSession,
    rt: Runtime,
    tenant_id: uuid.UUID,
    event: Event,
    *,
    conversation_id: uuid.UUID | None = None,
    contact_id: uuid.UUID | None = None,
    assignee_id: uuid.UUID | None = None,
    private: bool = False,
    context: dict[str, Any] | None = None,
) -> EventRecord:
    """Log `event` in the session's transaction. `context` goes to in-process listeners only
    (not to the log or any socket): what the writer knew, so listeners need not read it back."""
    staged = Staged(tenant_id, event, conversation_id, contact_id, assignee_id, private)
    record = await in_one_call(session, partial(stage_event, staged=staged))
    announce(session, rt, record, context)
    return record


def announce(
    session: AsyncSession, rt: Runtime, record: EventRecord, context: dict[str, Any] | None
) -> None:
    """After the session commits: hand `record` to this process's hub, wake the others and
    run the in-process listeners. A rollback forgets it."""
    tenant_id = record.tenant_id
    session.info.setdefault(RECORDS, []).append(record)
    message: dict[str, Any] = {"kind": WAKE, "tenant_id": str(tenant_id)}

    async def _wake() -> None:
        committed: list[EventRecord] = session.info.pop(RECORDS, [])
        sink: LocalSink | None = rt.extras.get(LOCAL_SINK)
        if sink is not None and committed:
            sink(committed)
        await rt.bus.publish(message)

    after_commit(session, f"wake:{tenant_id}", _wake)
    data = {**record.payload, "context": context} if context else record.payload

    async def _dispatch() -> None:
        rt.listeners.dispatch(record.type, tenant_id, data)

    after_commit(session, f"event:{tenant_id}:{record.id}", _dispatch)
