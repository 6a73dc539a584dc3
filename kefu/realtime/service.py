"""Events go into the durable log in the writer's transaction; listeners wake after commit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, insert, update
from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from kefu.core.context import Runtime
from kefu.core.db import Base, utcnow
from kefu.core.deps import after_commit
from kefu.realtime.events import Event
from kefu.realtime.models import EventRecord, TenantCounter

WAKE = "wake"
# This process's hub registers here to receive the records it just committed, so that it can
# fan them out without reading them back (it still reads the log for anything not contiguous).
LOCAL_SINK = "realtime.local_sink"
RECORDS = "realtime.records"
LocalSink = Callable[[list[EventRecord]], None]
# Core statements on the tables: every write that records an event passes here.
COUNTERS: Table = Base.metadata.tables["tenant_counters"]
INSERT_EVENT = insert(Base.metadata.tables["events"])


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, _previous: Any) -> None:
    """Records of a rolled-back transaction never happened (their ids will be reused)."""
    session.info.pop(RECORDS, None)


async def next_event_id(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    """Allocate the tenant's next event id; the row lock orders ids by commit."""
    stmt = (
        update(COUNTERS)
        .where(COUNTERS.c.tenant_id == tenant_id)
        .values(event_seq=COUNTERS.c.event_seq + 1)
        .returning(COUNTERS.c.event_seq)
    )
    value = (await session.execute(stmt)).scalar_one_or_none()
    if value is None:
        session.add(TenantCounter(tenant_id=tenant_id, event_seq=1))
        await session.flush()
        return 1
    return int(value)


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
    event_id = await next_event_id(session, tenant_id)
    row: dict[str, Any] = {
        "tenant_id": tenant_id,
        "id": event_id,
        "type": event.type,
        "conversation_id": conversation_id,
        "contact_id": contact_id,
        "assignee_id": assignee_id,
        "private": private,
        "payload": event.data(),
        "created_at": utcnow(),
    }
    await session.execute(INSERT_EVENT, row)
    record = EventRecord(**row)  # what was stored, detached from the session
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
        rt.listeners.dispatch(event.type, tenant_id, data)

    after_commit(session, f"event:{tenant_id}:{event_id}", _dispatch)
    return record
