"""Routing's reactions: presence changes and conversation events start routing passes.

`install(rt)` subscribes to committed conversation events (inline listeners, run once by the
writing process): a conversation entering `queued` gets its queue entry and a pass; a
conversation leaving an agent (resolved, closed, abandoned) frees capacity and starts a pass;
a conversation reopened to an agent who is away or offline is routed afresh.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.conversations.lifecycle import Status
from kefu.conversations.models import Conversation, Transition
from kefu.core.context import Runtime
from kefu.core.deps import commit
from kefu.routing import sentiment
from kefu.routing.engine import Kicker
from kefu.routing.presence import ABSENT, Presence, PresenceStatus, PresenceStore, connected
from kefu.routing.service import enqueue, requeue

FREEING = frozenset({"resolved", "closed", "abandoned"})


async def set_presence(
    rt: Runtime,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    status: PresenceStatus,
    *,
    auto: bool,
    previous: PresenceStatus | None = None,
) -> Presence:
    """Store a status, tell the tenant's consoles (`presence.updated`, ephemeral), route."""
    store = PresenceStore.of(rt)
    presence = await store.put(tenant_id, user_id, status, auto=auto, previous=previous)
    await rt.bus.publish(
        {
            "kind": "ephemeral",
            "type": "presence.updated",
            "audience": "agents",
            "tenant_id": str(tenant_id),
            "data": {"user_id": str(user_id), "status": status, "auto": auto},
        }
    )
    if status == "online":
        Kicker.of(rt).kick(tenant_id)
    return presence


@contextlib.asynccontextmanager
async def agent_connection(
    rt: Runtime, tenant_id: uuid.UUID, user_id: uuid.UUID
) -> AsyncIterator[None]:
    """Track an agent socket; an agent set `away` automatically gets its status back."""
    async with connected(rt, tenant_id, f"agent:{user_id}"):
        presence = await PresenceStore.of(rt).get(tenant_id, user_id)
        if presence is not None and presence.auto and presence.status == "away":
            await set_presence(rt, tenant_id, user_id, presence.previous or "online", auto=True)
        yield


async def _queued(rt: Runtime, conversation_id: uuid.UUID) -> None:
    async with rt.db.sessions() as session:
        stmt = select(Conversation).where(Conversation.id == conversation_id).with_for_update()
        c = (await session.execute(stmt)).scalar_one_or_none()
        if c is not None and c.status == Status.QUEUED:
            await enqueue(session, rt, c)
            await commit(session)


async def _reopened(session: AsyncSession, c: Conversation) -> bool:
    stmt = (
        select(Transition.reason)
        .where(Transition.conversation_id == c.id)
        .order_by(Transition.created_at.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none() == "reopened"


async def _assigned_to_absent(rt: Runtime, conversation_id: uuid.UUID) -> bool:
    """A conversation reopened to an agent known to be away/offline goes back to the queue
    at once (other absences wait for the grace period: `tasks.presence_timeouts`)."""
    async with rt.db.sessions() as session:
        stmt = select(Conversation).where(Conversation.id == conversation_id).with_for_update()
        c = (await session.execute(stmt)).scalar_one_or_none()
        if c is None or c.status != Status.ASSIGNED or c.assignee_id is None:
            return False
        if not await _reopened(session, c):
            return False
        presence = await PresenceStore.of(rt).get(c.tenant_id, c.assignee_id)
        if presence is None or presence.status not in ABSENT:
            return False
        await requeue(session, rt, c, "agent_absent", exclude_assignee=True)
        await commit(session)
        return True


async def on_conversation(tenant_id: uuid.UUID, data: dict[str, Any], rt: Runtime) -> None:
    conversation = data.get("conversation", {})
    status = conversation.get("status")
    cid = uuid.UUID(conversation["id"])
    if status == Status.QUEUED:
        await _queued(rt, cid)
        wanted = True
    elif status == Status.ASSIGNED:
        wanted = await _assigned_to_absent(rt, cid)
    else:
        wanted = status in FREEING
    if wanted:
        Kicker.of(rt).kick(tenant_id)


def install(rt: Runtime) -> None:
    """Subscribe routing to conversation events (called from the app's lifespan)."""

    async def listener(tenant_id: uuid.UUID, data: dict[str, Any]) -> None:
        await on_conversation(tenant_id, data, rt)

    async def reassigned(tenant_id: uuid.UUID, data: dict[str, Any]) -> None:
        if data.get("previous_assignee_id"):
            Kicker.of(rt).kick(tenant_id)  # the previous agent has a free slot now

    for event_type in ("conversation.created", "conversation.updated"):
        rt.listeners.listen(event_type, listener)
    rt.listeners.listen("conversation.assigned", reassigned)
    sentiment.install(rt)  # angry contacts first (when the tenant asks for it)
