"""Angry contacts first: while a tenant prioritises them (`prioritise_negative`), each contact
text is checked by the bot's sentiment analyser (SnowNLP with an anger cue for Chinese, VADER for
English) off the event loop and outside any transaction; the first strongly negative one is
recorded as the conversation's `SentimentFlag`, and a conversation waiting in the queue gets the
tenant's priority boost at once (`enqueue` adds it to conversations queued later).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.conversations.lifecycle import OPEN
from kefu.conversations.models import Conversation
from kefu.core.context import Runtime
from kefu.core.deps import commit
from kefu.routing.engine import Kicker
from kefu.routing.models import SentimentFlag
from kefu.routing.service import prioritise_negative, settings_for

MAX_CHARS = 2000
# Whether a tenant prioritises angry contacts is asked on every contact message; each process
# remembers the answer this long (a change made in this process applies at once: `forget`).
SETTING_TTL_SECONDS = 5.0
_ENABLED = "routing.prioritise_negative"
_REFRESH = "routing.prioritise_negative.refresh"


def forget(rt: Runtime, tenant_id: uuid.UUID) -> None:
    rt.extras.get(_ENABLED, {}).pop(tenant_id, None)


async def _enabled(rt: Runtime, tenant_id: uuid.UUID) -> bool:
    """Cached per process; when it expires one caller reads it again and the others wait for
    that read (at 100 messages a second, each reading it at once used up the reader pool)."""
    known: dict[uuid.UUID, tuple[float, bool]] = rt.extras.setdefault(_ENABLED, {})
    hit = known.get(tenant_id)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    locks: dict[uuid.UUID, asyncio.Lock] = rt.extras.setdefault(_REFRESH, {})
    async with locks.setdefault(tenant_id, asyncio.Lock()):
        hit = known.get(tenant_id)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]  # read by the caller that held the lock
        async with rt.db.read_sessions() as session:
            value = bool((await settings_for(session, tenant_id)).prioritise_negative)
        known[tenant_id] = (time.monotonic() + SETTING_TTL_SECONDS, value)
        return value


async def _wanted(rt: Runtime, tenant_id: uuid.UUID, conversation_id: uuid.UUID) -> bool:
    """The tenant prioritises angry contacts, the conversation is open and not flagged yet."""
    if not await _enabled(rt, tenant_id):
        return False
    async with rt.db.read_sessions() as session:  # read-only: never holds SQLite's writer
        if await session.get(SentimentFlag, conversation_id) is not None:
            return False
        c = await session.get(Conversation, conversation_id)
        return c is not None and c.tenant_id == tenant_id and c.status in OPEN


async def _flag(session: AsyncSession, c: Conversation, message_id: uuid.UUID) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(SentimentFlag).values(
        conversation_id=c.id, tenant_id=c.tenant_id, message_id=message_id
    )
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["conversation_id"]))


async def on_contact_message(rt: Runtime, tenant_id: uuid.UUID, message: dict[str, Any]) -> bool:
    """Check one stored contact message; True when it raised a queued conversation's priority."""
    from kefu.bot.sentiment import strongly_negative

    body = str(message.get("body") or "")
    if message.get("sender_type") != "contact" or message.get("private") or not body.strip():
        return False
    cid = uuid.UUID(message["conversation_id"])
    if not await _wanted(rt, tenant_id, cid):
        return False
    if not await asyncio.to_thread(strongly_negative, body[:MAX_CHARS]):
        return False
    async with rt.db.sessions() as session:
        stmt = select(Conversation).where(Conversation.id == cid).with_for_update()
        c = (await session.execute(stmt)).scalar_one()
        await _flag(session, c, uuid.UUID(message["id"]))
        raised = await prioritise_negative(session, rt, c)
        await commit(session)
    if raised:
        Kicker.of(rt).kick(tenant_id)
    return raised


def install(rt: Runtime) -> None:
    async def listener(tenant_id: uuid.UUID, data: dict[str, Any]) -> None:
        await on_contact_message(rt, tenant_id, data["message"])

    rt.listeners.listen("message.created", listener)
