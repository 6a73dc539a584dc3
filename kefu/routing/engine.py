"""The routing pass of a tenant: overflow, then queued conversations (priority first, longest
waiting first) to eligible online agents with spare capacity; then queue positions.

Passes are kicked by conversation events and presence changes (coalesced per tenant in this
process) and run periodically as a safety net; `service.try_assign` makes concurrent passes
in several processes safe.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.conversations import service as conversations
from kefu.conversations.lifecycle import Status
from kefu.conversations.models import Conversation
from kefu.core.business_hours import is_open
from kefu.core.business_hours_db import load_schedule
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.deps import commit
from kefu.routing import queue, rules
from kefu.routing.models import AgentCursor, QueueEntry, RoutingSettings, TeamRouting
from kefu.routing.presence import PresenceStore
from kefu.routing.repository import loads
from kefu.routing.service import enqueue, settings_for, try_assign
from kefu.tenants.models import TeamMember, User

BATCH = 200
log = logging.getLogger(__name__)


async def candidates(
    session: AsyncSession, rt: Runtime, tenant_id: uuid.UUID
) -> list[rules.Candidate]:
    """Active users of the tenant whose presence is `online`, with their load."""
    presence = await PresenceStore.of(rt).all(tenant_id)
    online = [uid for uid, p in presence.items() if p.status == "online"]
    if not online:
        return []
    stmt = select(User).where(
        User.tenant_id == tenant_id, User.active.is_(True), User.id.in_(online)
    )
    users = (await session.execute(stmt)).scalars().all()
    load = await loads(session, tenant_id)
    teams: dict[uuid.UUID, set[uuid.UUID]] = {}
    members = select(TeamMember).where(TeamMember.tenant_id == tenant_id)
    for m in (await session.execute(members)).scalars():
        teams.setdefault(m.user_id, set()).add(m.team_id)
    cursors = select(AgentCursor).where(AgentCursor.tenant_id == tenant_id)
    last = {a.user_id: a.last_assigned_at for a in (await session.execute(cursors)).scalars()}
    return [
        rules.Candidate(
            user_id=u.id,
            skills=frozenset(u.skills or []),
            languages=frozenset(u.languages or []),
            team_ids=frozenset(teams.get(u.id, set())),
            capacity=u.max_concurrent,
            load=load.get(u.id, 0),
            last_assigned_at=last.get(u.id),
        )
        for u in users
    ]


async def _sticky_agent(session: AsyncSession, c: Conversation) -> uuid.UUID | None:
    stmt = (
        select(Conversation.assignee_id)
        .where(
            Conversation.tenant_id == c.tenant_id,
            Conversation.contact_id == c.contact_id,
            Conversation.id != c.id,
            Conversation.assignee_id.is_not(None),
        )
        .order_by(Conversation.created_at.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def _team_settings(
    session: AsyncSession, tenant_id: uuid.UUID
) -> dict[uuid.UUID, TeamRouting]:
    stmt = select(TeamRouting).where(TeamRouting.tenant_id == tenant_id)
    return {t.team_id: t for t in (await session.execute(stmt)).scalars()}


async def queued(
    session: AsyncSession, tenant_id: uuid.UUID
) -> Sequence[tuple[Conversation, QueueEntry | None]]:
    """Queued conversations of a tenant in routing order: priority first, then longest waiting."""
    stmt = (
        select(Conversation, QueueEntry)
        .outerjoin(QueueEntry, QueueEntry.conversation_id == Conversation.id)
        .where(Conversation.tenant_id == tenant_id, Conversation.status == Status.QUEUED.value)
        .order_by(Conversation.priority.desc(), Conversation.queued_at, Conversation.id)
        .limit(BATCH)
    )
    return (await session.execute(stmt)).all()


def _overflow_target(
    settings: RoutingSettings,
    teams: dict[uuid.UUID, TeamRouting],
    entry: QueueEntry,
    now: datetime,
) -> uuid.UUID | None:
    """The team to overflow to when the entry has waited in its team too long, else None."""
    team = teams.get(entry.team_id) if entry.team_id else None
    after = team.overflow_after_seconds if team and team.overflow_after_seconds else None
    target = team.overflow_team_id if team and team.overflow_team_id else None
    after = after or settings.overflow_after_seconds
    target = target or settings.overflow_team_id
    if not after or not target or target == entry.team_id:
        return None
    return target if entry.team_since + timedelta(seconds=after) <= now else None


async def _prepare(rt: Runtime, tenant_id: uuid.UUID) -> None:
    """Give every queued conversation its queue entry, and overflow those waiting too long.

    Each change re-checks under the conversation's row lock, so concurrent passes agree."""
    async with rt.db.sessions() as session:
        settings = await settings_for(session, tenant_id)
        teams = await _team_settings(session, tenant_id)
        todo = [
            c.id
            for c, entry in await queued(session, tenant_id)
            if entry is None
            or entry.queued_at != c.queued_at
            or _overflow_target(settings, teams, entry, utcnow())
        ]
    for cid in todo:
        async with rt.db.sessions() as session:
            stmt = select(Conversation).where(
                Conversation.id == cid, Conversation.status == Status.QUEUED.value
            )
            stmt = stmt.with_for_update(skip_locked=True)
            locked = await session.execute(stmt.execution_options(populate_existing=True))
            c = locked.scalar_one_or_none()
            if c is None:
                continue
            entry = await session.get(QueueEntry, cid, populate_existing=True)
            if entry is None or entry.queued_at != c.queued_at:
                await enqueue(session, rt, c)
            elif target := _overflow_target(settings, teams, entry, utcnow()):
                entry.team_id, entry.team_since, entry.overflowed = target, utcnow(), True
                await conversations.set_queue(session, rt, c, target, entry.priority)
            await commit(session)


def _strategy(
    settings: RoutingSettings, teams: dict[uuid.UUID, TeamRouting], team_id: uuid.UUID | None
) -> str:
    team = teams.get(team_id) if team_id else None
    return team.strategy if team and team.strategy else settings.strategy


@dataclass(frozen=True)
class Job:
    conversation_id: uuid.UUID
    need: rules.Need
    sticky: uuid.UUID | None
    strategy: str


async def _plan(
    rt: Runtime, tenant_id: uuid.UUID
) -> tuple[RoutingSettings, list[rules.Candidate], list[Job]]:
    """Online agents and the queued conversations to offer them, in routing order."""
    async with rt.db.sessions() as session:
        settings = await settings_for(session, tenant_id)
        open_now = is_open(await load_schedule(session, tenant_id), utcnow())
        if not settings.auto_assign or not open_now:
            return settings, [], []
        agents = await candidates(session, rt, tenant_id)
        teams = await _team_settings(session, tenant_id)
        jobs = []
        for c, entry in await queued(session, tenant_id) if agents else []:
            if entry is None or entry.queued_at != c.queued_at:
                continue  # not placed yet (rules, team): the next pass takes it
            need = rules.Need(
                team_id=c.team_id,
                skills=frozenset(entry.required_skills),
                language=c.language,
                excluded=frozenset(uuid.UUID(u) for u in entry.excluded),
            )
            sticky = await _sticky_agent(session, c) if settings.sticky else None
            jobs.append(Job(c.id, need, sticky, _strategy(settings, teams, c.team_id)))
        return settings, agents, jobs


async def route_tenant(rt: Runtime, tenant_id: uuid.UUID) -> int:
    """One routing pass; returns how many conversations were assigned.

    Tenants where no agent has ever set a presence do not route automatically: skip them."""
    if not await PresenceStore.of(rt).all(tenant_id):
        return 0
    await _prepare(rt, tenant_id)
    settings, agents, jobs = await _plan(rt, tenant_id)
    match = {"match_skills": settings.match_skills, "match_language": settings.match_language}
    assigned, busy = 0, False
    for job in jobs:
        fits = [a for a in agents if rules.eligible(a, job.need, **match)]
        for agent in rules.order(fits, job.strategy, job.sticky):
            outcome = await try_assign(rt, tenant_id, job.conversation_id, agent.user_id)
            if outcome == "full":
                agent.full = True
                continue
            if outcome == "assigned":
                agent.load += 1
                agent.last_assigned_at = utcnow()
                assigned += 1
            busy = busy or outcome == "busy"
            break
    if busy:
        Kicker.of(rt).kick(tenant_id)  # a held conversation gets another pass right after this
    await queue.announce(rt, tenant_id)
    return assigned


class Kicker:
    """Coalesces routing passes per tenant in this process: many kicks while a pass runs cost
    one more pass."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.wanted: set[uuid.UUID] = set()
        self.tasks: dict[uuid.UUID, asyncio.Task[None]] = {}

    @classmethod
    def of(cls, rt: Runtime) -> Kicker:
        kicker = rt.extras.get("routing_kicker")
        if kicker is None:
            kicker = rt.extras["routing_kicker"] = cls(rt)
        assert isinstance(kicker, Kicker)
        return kicker

    def kick(self, tenant_id: uuid.UUID) -> None:
        self.wanted.add(tenant_id)
        task = self.tasks.get(tenant_id)
        if task is None or task.done():
            self.tasks[tenant_id] = asyncio.create_task(self._run(tenant_id))

    async def _run(self, tenant_id: uuid.UUID) -> None:
        while tenant_id in self.wanted:
            self.wanted.discard(tenant_id)
            try:
                await route_tenant(self.rt, tenant_id)
            except Exception:
                log.exception("routing pass failed; the periodic pass retries")

    async def drain(self) -> None:
        while any(not t.done() for t in self.tasks.values()):
            await asyncio.gather(*self.tasks.values(), return_exceptions=True)


async def settle(rt: Runtime) -> None:
    """Wait until no listener and no routing pass started so far runs (tests, shutdown)."""
    kicker = Kicker.of(rt)
    while True:
        await rt.listeners.drain()
        if all(t.done() for t in kicker.tasks.values()):
            return
        await kicker.drain()
