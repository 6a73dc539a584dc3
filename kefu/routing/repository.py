"""Tenant-scoped reads of routing: rules, presence rows with load, queue monitor rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.conversations.lifecycle import Status
from kefu.conversations.models import Conversation
from kefu.core.auth import Principal
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.errors import NotFound
from kefu.routing.models import RoutingRule
from kefu.routing.presence import PresenceStore
from kefu.routing.schemas import PresenceOut, QueueOut
from kefu.tenants.models import Team, TeamMember, User


async def get_rule_for(
    session: AsyncSession, principal: Principal, rule_id: uuid.UUID
) -> RoutingRule:
    rule = await session.get(RoutingRule, rule_id)
    if rule is None or rule.tenant_id != principal.tenant_id:
        raise NotFound("routing_rule")
    return rule


async def list_rules(session: AsyncSession, principal: Principal) -> Sequence[RoutingRule]:
    stmt = (
        select(RoutingRule)
        .where(RoutingRule.tenant_id == principal.tenant_id)
        .order_by(RoutingRule.position, RoutingRule.created_at)
    )
    return (await session.execute(stmt)).scalars().all()


async def loads(session: AsyncSession, tenant_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """Open assigned conversations per agent."""
    stmt = (
        select(Conversation.assignee_id, func.count())
        .where(Conversation.tenant_id == tenant_id, Conversation.status == Status.ASSIGNED.value)
        .group_by(Conversation.assignee_id)
    )
    return {uid: int(n) for uid, n in (await session.execute(stmt)).all() if uid is not None}


async def presence_rows(
    rt: Runtime, session: AsyncSession, tenant_id: uuid.UUID, users: Sequence[User]
) -> list[PresenceOut]:
    store = PresenceStore.of(rt)
    known = await store.all(tenant_id)
    load = await loads(session, tenant_id)
    rows = []
    for u in users:
        p = known.get(u.id)
        gone = await store.gone_since(tenant_id, f"agent:{u.id}")
        sockets = await store.h.hgetall(f"sockets:{tenant_id}:agent:{u.id}")
        rows.append(
            PresenceOut(
                user_id=u.id,
                name=u.name,
                status=p.status if p else "offline",
                since=datetime.fromtimestamp(p.since, UTC) if p else None,
                auto=p.auto if p else False,
                connected=bool(sockets) and gone is None,
                load=load.get(u.id, 0),
                capacity=u.max_concurrent,
            )
        )
    return rows


async def queue_rows(rt: Runtime, session: AsyncSession, tenant_id: uuid.UUID) -> list[QueueOut]:
    stmt = (
        select(Conversation.team_id, func.count(), func.min(Conversation.queued_at))
        .where(Conversation.tenant_id == tenant_id, Conversation.status == Status.QUEUED.value)
        .group_by(Conversation.team_id)
    )
    waiting = {team: (int(n), oldest) for team, n, oldest in (await session.execute(stmt)).all()}
    teams = {
        t.id: t.name
        for t in (await session.execute(select(Team).where(Team.tenant_id == tenant_id))).scalars()
    }
    online = {
        uid
        for uid, p in (await PresenceStore.of(rt).all(tenant_id)).items()
        if p.status == "online"
    }
    members: dict[uuid.UUID, int] = {}
    for m in (
        await session.execute(select(TeamMember).where(TeamMember.tenant_id == tenant_id))
    ).scalars():
        if m.user_id in online:
            members[m.team_id] = members.get(m.team_id, 0) + 1
    now = utcnow()
    keys: list[uuid.UUID | None] = [None, *teams]
    out = []
    for team_id in keys:
        n, oldest = waiting.get(team_id, (0, None))
        out.append(
            QueueOut(
                team_id=team_id,
                team_name=teams.get(team_id) if team_id else None,
                waiting=n,
                longest_wait_seconds=int((now - oldest).total_seconds()) if oldest else 0,
                online_agents=members.get(team_id, 0) if team_id else len(online),
            )
        )
    return out
