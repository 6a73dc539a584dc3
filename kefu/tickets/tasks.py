"""Ticket timers: SLA warnings, breaches with escalation, and follow-ups (回访).

Each effect is a guarded write (`UPDATE … SET warned_at = now WHERE warned_at IS NULL`) in the
same transaction as its event, so a job run twice, or after the process was down, fires a due
warning exactly once: late, never twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.deps import commit
from kefu.core.jobs import PeriodicJob
from kefu.tenants.models import User
from kefu.tickets import service
from kefu.tickets.events import (
    TicketEscalated,
    TicketFollowUpDue,
    TicketSlaBreached,
    TicketSlaWarning,
)
from kefu.tickets.models import FollowUp, SlaPolicy, Ticket
from kefu.tickets.states import ACTIVE, PRIORITIES, priority_name
from kefu.tickets.views import ticket_out

BATCH = 200
ACTIVE_NAMES = [s.value for s in ACTIVE]


@dataclass(frozen=True)
class Timer:
    clock: str  # first_response | resolution
    phase: str  # warning | breach
    at: Any  # the column holding when it is due
    done: Any  # the column stamped when it fired

    def conditions(self) -> list[Any]:
        extra = [Ticket.first_responded_at.is_(None)] if self.clock == "first_response" else []
        return [self.at.is_not(None), self.done.is_(None), Ticket.status.in_(ACTIVE_NAMES), *extra]


TIMERS = (
    Timer(
        "first_response", "warning", Ticket.first_response_warn_at, Ticket.first_response_warned_at
    ),
    Timer("resolution", "warning", Ticket.resolution_warn_at, Ticket.resolution_warned_at),
    Timer(
        "first_response", "breach", Ticket.first_response_due_at, Ticket.first_response_breached_at
    ),
    Timer("resolution", "breach", Ticket.resolution_due_at, Ticket.resolution_breached_at),
)


async def supervisors(session: AsyncSession, tenant_id: uuid.UUID) -> list[uuid.UUID]:
    stmt = select(User.id).where(
        User.tenant_id == tenant_id, User.role == "supervisor", User.active.is_(True)
    )
    return list((await session.execute(stmt)).scalars())


async def _recipients(session: AsyncSession, t: Ticket, extra: list[uuid.UUID]) -> list[uuid.UUID]:
    found = [t.assignee_id] if t.assignee_id else []
    return list(dict.fromkeys([*found, *await supervisors(session, t.tenant_id), *extra]))


async def escalate(session: AsyncSession, rt: Runtime, t: Ticket, clock: str) -> None:
    """The breached policy's escalation rules: raise priority, reassign to a team, notify."""
    policy = await session.get(SlaPolicy, t.sla_policy_id) if t.sla_policy_id else None
    rules: dict[str, Any] = dict(policy.escalation) if policy else {}
    actions: list[str] = []
    now = utcnow()
    if rules.get("raise_priority") and t.priority < len(PRIORITIES) - 1:
        old = priority_name(t.priority)
        t.priority += 1
        service.record(session, t, service.SYSTEM, "priority", old, priority_name(t.priority), now)
        actions.append("raise_priority")
    team = rules.get("team_id")
    if team and str(t.team_id) != team:
        service.record(
            session, t, service.SYSTEM, "team_id", str(t.team_id) if t.team_id else None, team, now
        )
        t.team_id = uuid.UUID(team)
        if t.assignee_id is not None:
            service.record(session, t, service.SYSTEM, "assignee_id", str(t.assignee_id), None, now)
            t.assignee_id = None
        actions.append("reassign_team")
    notify = [uuid.UUID(u) for u in rules.get("notify_user_ids", [])]
    if notify:
        actions.append("notify")
    if not actions:
        return
    t.updated_at = now
    recipients = await _recipients(session, t, notify)
    event = TicketEscalated(
        ticket=ticket_out(t), clock=clock, actions=actions, recipients=recipients
    )
    await service.emit(session, rt, t, event)


async def _fire(rt: Runtime, timer: Timer, ticket_id: uuid.UUID, now: datetime) -> bool:
    async with rt.db.sessions() as session:
        stmt = (
            update(Ticket)
            .where(Ticket.id == ticket_id, timer.at <= now, *timer.conditions())
            .values({timer.done.key: now})
            .returning(Ticket.id)
            .execution_options(synchronize_session=False)
        )
        if (await session.execute(stmt)).scalar_one_or_none() is None:
            return False  # another run (or process) fired it, or the clock moved
        t = await session.get(Ticket, ticket_id, populate_existing=True)
        assert t is not None
        recipients = await _recipients(session, t, [])
        make: Callable[..., Any] = (
            TicketSlaWarning if timer.phase == "warning" else TicketSlaBreached
        )
        await service.emit(
            session, rt, t, make(ticket=ticket_out(t), clock=timer.clock, recipients=recipients)
        )
        if timer.phase == "breach":
            await escalate(session, rt, t, timer.clock)
        await commit(session)
        return True


async def run_sla_timers(rt: Runtime, now: datetime | None = None) -> int:
    """Fire every warning and breach due by `now` (warnings first, each once)."""
    now = now or utcnow()
    fired = 0
    for timer in TIMERS:
        # what is due is read on a reader (SQLite's writer stays free); the guarded UPDATE in
        # `_fire` decides, so a stale read fires nothing twice
        async with rt.db.read_sessions() as session:
            stmt = select(Ticket.id).where(timer.at <= now, *timer.conditions()).limit(BATCH)
            ids = list((await session.execute(stmt)).scalars())
        for ticket_id in ids:
            fired += await _fire(rt, timer, ticket_id, now)
    return fired


async def run_followups(rt: Runtime, now: datetime | None = None) -> int:
    """Remind the assignee of each due follow-up, once."""
    now = now or utcnow()
    async with rt.db.read_sessions() as session:  # the claim below decides (as above)
        stmt = select(FollowUp.id).where(FollowUp.due_at <= now, FollowUp.fired_at.is_(None))
        ids = list((await session.execute(stmt.limit(BATCH))).scalars())
    fired = 0
    for followup_id in ids:
        async with rt.db.sessions() as session:
            claim = (
                update(FollowUp)
                .where(FollowUp.id == followup_id, FollowUp.fired_at.is_(None))
                .values(fired_at=now)
                .returning(FollowUp.ticket_id, FollowUp.assignee_id, FollowUp.note)
            )
            row = (await session.execute(claim)).first()
            if row is None:
                continue
            t = await session.get(Ticket, row.ticket_id)
            assert t is not None
            recipients = (
                [row.assignee_id] if row.assignee_id else await supervisors(session, t.tenant_id)
            )
            event = TicketFollowUpDue(
                ticket=ticket_out(t), followup_id=followup_id, note=row.note, recipients=recipients
            )
            await service.emit(session, rt, t, event)
            await commit(session)
            fired += 1
    return fired


JOBS = [
    PeriodicJob("ticket_sla_timers", 30.0, run_sla_timers),
    PeriodicJob("ticket_followups", 60.0, run_followups),
]
