"""Routing's periodic jobs (at-least-once; every effect is a guarded write or idempotent).

- `presence_timeouts`: agents `online`/`busy` whose sockets have all been gone longer than the
  tenant's `presence_grace_seconds` become `away` (auto); agents `away`/`offline` for longer
  than the grace lose their assigned conversations to the queue.
- `first_response_timeouts`: assigned conversations with no reply from their agent within
  `first_response_seconds` of assignment go back to the queue (that agent excluded).
- `contact_departures`: queued conversations whose contact's widget sockets have all been gone
  longer than `contact_grace_seconds` become `abandoned`.
- `route_all`: a routing pass for every tenant with queued conversations (overflow timers,
  business hours opening, missed kicks).
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.conversations import service as conversations
from kefu.conversations.lifecycle import Status
from kefu.conversations.models import Conversation, Message
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.deps import commit
from kefu.core.jobs import PeriodicJob
from kefu.routing.engine import Kicker, route_tenant
from kefu.routing.hooks import set_presence
from kefu.routing.models import RoutingSettings
from kefu.routing.presence import ABSENT, PresenceStore
from kefu.routing.service import SYSTEM, requeue, settings_for

BATCH = 200
DEFAULT_FIRST_RESPONSE = 300


async def _requeue_where(
    rt: Runtime, tenant_id: uuid.UUID, ids: list[uuid.UUID], reason: str, guard: object
) -> int:
    """Requeue each conversation still matching `guard` (re-checked under a row lock)."""
    done = 0
    for cid in ids:
        async with rt.db.sessions() as session:
            stmt = select(Conversation).where(Conversation.id == cid, guard)  # type: ignore[arg-type]
            c = (await session.execute(stmt.with_for_update())).scalar_one_or_none()
            if c is None:
                continue
            await requeue(session, rt, c, reason, exclude_assignee=True)
            await commit(session)
            done += 1
    if done:
        Kicker.of(rt).kick(tenant_id)
    return done


async def _agent_absences(rt: Runtime, tenant_id: uuid.UUID) -> int:
    store = PresenceStore.of(rt)
    async with rt.db.sessions() as session:
        grace = (await settings_for(session, tenant_id)).presence_grace_seconds
    now, done = time.time(), 0
    for user_id, presence in (await store.all(tenant_id)).items():
        if presence.status in ("online", "busy"):
            gone = await store.gone_since(tenant_id, f"agent:{user_id}")
            if gone is not None and gone + grace <= now:
                presence = await set_presence(
                    rt, tenant_id, user_id, "away", auto=True, previous=presence.status
                )
        if presence.status not in ABSENT or presence.since + grace > time.time():
            continue
        guard = (Conversation.assignee_id == user_id) & (
            Conversation.status == Status.ASSIGNED.value
        )
        async with rt.db.sessions() as session:
            stmt = (
                select(Conversation.id)
                .where(Conversation.tenant_id == tenant_id, guard)
                .limit(BATCH)
            )
            ids = list((await session.execute(stmt)).scalars())
        done += await _requeue_where(rt, tenant_id, ids, "agent_absent", guard)
    return done


async def presence_timeouts(rt: Runtime) -> int:
    done = 0
    for tenant_id in await PresenceStore.of(rt).tenants():
        done += await _agent_absences(rt, tenant_id)
    return done


def _unanswered() -> object:
    answered = exists().where(
        Message.conversation_id == Conversation.id,
        Message.sender_type == "agent",
        Message.sender_id == Conversation.assignee_id,
        Message.private.is_(False),
        Message.created_at >= Conversation.assigned_at,
    )
    return (Conversation.status == Status.ASSIGNED.value) & ~answered


async def first_response_timeouts(rt: Runtime) -> int:
    """One query finds candidates across tenants (older than the smallest limit in use);
    each tenant's own limit then decides."""
    now = utcnow()
    async with rt.db.sessions() as session:
        custom = {
            s.tenant_id: s.first_response_seconds
            for s in (await session.execute(select(RoutingSettings))).scalars()
        }
        limits = [v for v in custom.values() if v > 0] + [DEFAULT_FIRST_RESPONSE]
        oldest = now - timedelta(seconds=min(limits))
        stmt = (
            select(Conversation.id, Conversation.tenant_id, Conversation.assigned_at)
            .where(_unanswered(), Conversation.assigned_at <= oldest)  # type: ignore[arg-type]
            .limit(BATCH)
        )
        rows = (await session.execute(stmt)).all()
    due: dict[uuid.UUID, list[uuid.UUID]] = {}
    for cid, tenant_id, assigned_at in rows:
        limit = custom.get(tenant_id, DEFAULT_FIRST_RESPONSE)
        if limit > 0 and assigned_at is not None and assigned_at <= now - timedelta(seconds=limit):
            due.setdefault(tenant_id, []).append(cid)
    done = 0
    for tenant_id, ids in due.items():
        limit = custom.get(tenant_id, DEFAULT_FIRST_RESPONSE)
        guard = _unanswered() & (  # type: ignore[operator]
            Conversation.assigned_at <= now - timedelta(seconds=limit)
        )
        done += await _requeue_where(rt, tenant_id, ids, "no_first_response", guard)
    return done


async def contact_departures(rt: Runtime) -> int:
    store = PresenceStore.of(rt)
    done = 0
    for tenant_id in await store.tenants():
        async with rt.db.sessions() as session:
            grace = (await settings_for(session, tenant_id)).contact_grace_seconds
        for contact_id in await store.watched(tenant_id, "contact"):
            who = f"contact:{contact_id}"
            gone = await store.gone_since(tenant_id, who)
            if gone is None or gone + grace > time.time():
                continue
            async with rt.db.sessions() as session:
                done += await abandon_queued(session, rt, tenant_id, contact_id)
                await commit(session)
            await store.forget(tenant_id, who)
    return done


async def abandon_queued(
    session: AsyncSession, rt: Runtime, tenant_id: uuid.UUID, contact_id: uuid.UUID
) -> int:
    """The contact left: its queued conversations become `abandoned` (guarded by status;
    the caller commits)."""
    stmt = select(Conversation).where(
        Conversation.tenant_id == tenant_id,
        Conversation.contact_id == contact_id,
        Conversation.status == Status.QUEUED.value,
    )
    rows = list((await session.execute(stmt.with_for_update())).scalars())
    for c in rows:
        await conversations.abandon(session, rt, c, SYSTEM)
    return len(rows)


async def route_all(rt: Runtime) -> int:
    """A pass for each tenant that routes by presence and has queued conversations."""
    routed = await PresenceStore.of(rt).tenants()
    if not routed:
        return 0
    async with rt.db.sessions() as session:
        stmt = (
            select(Conversation.tenant_id)
            .where(Conversation.status == Status.QUEUED.value, Conversation.tenant_id.in_(routed))
            .distinct()
        )
        tenants = list((await session.execute(stmt)).scalars())
    return sum([await route_tenant(rt, t) for t in tenants])


JOBS = [
    PeriodicJob("routing_presence_timeouts", 10.0, presence_timeouts),
    PeriodicJob("routing_first_response", 15.0, first_response_timeouts),
    PeriodicJob("routing_contact_departures", 10.0, contact_departures),
    PeriodicJob("routing_pass", 10.0, route_all),
]
