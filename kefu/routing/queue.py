"""Queue positions and wait estimates, announced live to waiting contacts (ephemeral frames).

Position = place among the queued conversations of the same team (priority first, then
longest waiting). Estimate = position × recent average handle time ÷ the spare-capable
capacity of online agents (at least 1), with the recent average handle time taken from the
last 50 conversations resolved by an agent in the past week (default 300 s).
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.conversations.lifecycle import Status
from kefu.conversations.models import Conversation
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.routing.presence import PresenceStore
from kefu.tenants.models import TeamMember, User

DEFAULT_HANDLE_SECONDS = 300.0
CACHE_SECONDS = 60.0


@dataclass(frozen=True)
class Position:
    conversation_id: uuid.UUID
    contact_id: uuid.UUID
    team_id: uuid.UUID | None
    position: int
    estimated_wait_seconds: int


async def average_handle_seconds(rt: Runtime, session: AsyncSession, tenant_id: uuid.UUID) -> float:
    cache: dict[uuid.UUID, tuple[float, float]] = rt.extras.setdefault("handle_times", {})
    hit = cache.get(tenant_id)
    if hit and time.monotonic() - hit[1] < CACHE_SECONDS:
        return hit[0]
    stmt = (
        select(Conversation.assigned_at, Conversation.resolved_at)
        .where(
            Conversation.tenant_id == tenant_id,
            Conversation.assigned_at.is_not(None),
            Conversation.resolved_at.is_not(None),
            Conversation.resolved_at > utcnow() - timedelta(days=7),
        )
        .order_by(Conversation.resolved_at.desc())
        .limit(50)
    )
    spans = [
        (b - a).total_seconds()
        for a, b in (await session.execute(stmt)).all()
        if a is not None and b is not None and b > a
    ]
    value = sum(spans) / len(spans) if spans else DEFAULT_HANDLE_SECONDS
    cache[tenant_id] = (value, time.monotonic())
    return value


async def _capacity_by_team(
    rt: Runtime, session: AsyncSession, tenant_id: uuid.UUID
) -> dict[uuid.UUID | None, int]:
    online = [
        uid
        for uid, p in (await PresenceStore.of(rt).all(tenant_id)).items()
        if p.status == "online"
    ]
    if not online:
        return {}
    users = {
        u.id: u.max_concurrent
        for u in (await session.execute(select(User).where(User.id.in_(online)))).scalars()
    }
    out: dict[uuid.UUID | None, int] = {None: sum(users.values())}
    stmt = select(TeamMember).where(TeamMember.tenant_id == tenant_id)
    for m in (await session.execute(stmt)).scalars():
        if m.user_id in users:
            out[m.team_id] = out.get(m.team_id, 0) + users[m.user_id]
    return out


async def positions(rt: Runtime, session: AsyncSession, tenant_id: uuid.UUID) -> list[Position]:
    stmt = (
        select(Conversation.id, Conversation.contact_id, Conversation.team_id)
        .where(Conversation.tenant_id == tenant_id, Conversation.status == Status.QUEUED.value)
        .order_by(Conversation.priority.desc(), Conversation.queued_at, Conversation.id)
    )
    handle = await average_handle_seconds(rt, session, tenant_id)
    capacity = await _capacity_by_team(rt, session, tenant_id)
    seen: dict[uuid.UUID | None, int] = {}
    out = []
    for cid, contact_id, team_id in (await session.execute(stmt)).all():
        seen[team_id] = seen.get(team_id, 0) + 1
        slots = max(1, capacity.get(team_id, 0))
        wait = math.ceil(seen[team_id] * handle / slots)
        out.append(Position(cid, contact_id, team_id, seen[team_id], wait))
    return out


def frame_data(p: Position) -> dict[str, Any]:
    return {
        "conversation_id": str(p.conversation_id),
        "position": p.position,
        "estimated_wait_seconds": p.estimated_wait_seconds,
    }


async def announce(rt: Runtime, tenant_id: uuid.UUID) -> None:
    """Send `queue.position` to each waiting contact whose position or estimate changed.

    Only tenants that route by presence (an agent has set a status) announce positions.
    """
    if not await PresenceStore.of(rt).all(tenant_id):
        return
    announced: dict[uuid.UUID, dict[uuid.UUID, tuple[int, int]]]
    announced = rt.extras.setdefault("queue_positions", {})
    async with rt.db.read_sessions() as session:
        current = await positions(rt, session, tenant_id)
    before = announced.get(tenant_id, {})
    last = announced[tenant_id] = {
        p.conversation_id: before[p.conversation_id] for p in current if p.conversation_id in before
    }
    for p in current:
        key = (p.position, p.estimated_wait_seconds)
        if last.get(p.conversation_id) == key:
            continue
        last[p.conversation_id] = key
        await rt.bus.publish(
            {
                "kind": "ephemeral",
                "type": "queue.position",
                "audience": "contact",
                "tenant_id": str(tenant_id),
                "contact_id": str(p.contact_id),
                "data": frame_data(p),
            }
        )
