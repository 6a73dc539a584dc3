"""The one write path of tickets: create, change, comment, merge. Every change is history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.contacts.models import Contact
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.errors import Conflict, Invalid
from kefu.realtime.events import Event
from kefu.realtime.service import record_event
from kefu.tenants.models import Team, User
from kefu.tickets import complaints, sla_service
from kefu.tickets import repository as repo
from kefu.tickets.events import TicketCommentCreated, TicketCreated, TicketUpdated
from kefu.tickets.fields import require_for_solving, validate_values
from kefu.tickets.models import (
    FollowUp,
    SlaPolicy,
    Ticket,
    TicketChange,
    TicketComment,
    TicketCounter,
)
from kefu.tickets.schemas import CommentOut, TicketUpdateIn
from kefu.tickets.states import (
    COMPLAINT_TYPES,
    FINISHED,
    TicketStatus,
    check_transition,
    priority_name,
    priority_rank,
)
from kefu.tickets.views import ticket_out


@dataclass(frozen=True)
class Actor:
    """Who changed a ticket: an agent (user), the requester (contact) or the system."""

    type: str
    id: uuid.UUID | None = None


SYSTEM = Actor("system")


@dataclass
class NewTicket:
    subject: str
    requester: Contact
    description: str = ""
    channel: str = "api"
    type: str = "question"
    priority: str = "normal"
    assignee_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    tags: list[str] = field(default_factory=list)
    custom_fields: dict[str, Any] = field(default_factory=dict)
    inbox_id: uuid.UUID | None = None
    conversation_id: uuid.UUID | None = None
    email_subject: str | None = None
    # the requester's own words, when the type was not chosen: strongly negative → complaint
    requester_texts: list[str] = field(default_factory=list)


async def drop_sla_policy(
    session: AsyncSession, rt: Runtime, policy: SlaPolicy, now: datetime
) -> None:
    """Delete an SLA policy; each open ticket it timed is matched again and announced
    (`ticket.updated` with field `sla`), so consoles show the new due times at once."""
    for t in await sla_service.drop_policy(session, policy, now):
        t.updated_at = now
        await emit(session, rt, t, TicketUpdated(ticket=ticket_out(t), fields=["sla"]))


async def emit(session: AsyncSession, rt: Runtime, t: Ticket, event: Event) -> None:
    await session.flush()
    await record_event(session, rt, t.tenant_id, event, assignee_id=t.assignee_id)


def record(
    session: AsyncSession, t: Ticket, actor: Actor, name: str, old: Any, new: Any, at: datetime
) -> None:
    session.add(
        TicketChange(
            tenant_id=t.tenant_id,
            ticket_id=t.id,
            actor_type=actor.type,
            actor_id=actor.id,
            field=name,
            old=old,
            new=new,
            created_at=at,
        )
    )


async def _next_number(session: AsyncSession, tenant_id: uuid.UUID) -> int:
    stmt = (
        update(TicketCounter)
        .where(TicketCounter.tenant_id == tenant_id)
        .values(last_number=TicketCounter.last_number + 1)
        .returning(TicketCounter.last_number)
    )
    value = (await session.execute(stmt)).scalar_one_or_none()
    if value is None:
        session.add(TicketCounter(tenant_id=tenant_id, last_number=1))
        await session.flush()
        return 1
    return int(value)


async def check_assignee(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
    user = await session.get(User, user_id)
    if user is None or user.tenant_id != tenant_id or not user.active:
        raise Invalid("assignee_invalid")


async def check_team(session: AsyncSession, tenant_id: uuid.UUID, team_id: uuid.UUID) -> None:
    team = await session.get(Team, team_id)
    if team is None or team.tenant_id != tenant_id:
        raise Invalid("ticket_team_invalid")


async def _complaint_flag(data: NewTicket) -> str | None:
    """Why the ticket becomes a complaint although nobody typed it so (None: it does not)."""
    if data.type in COMPLAINT_TYPES or not data.requester_texts:
        return None
    return complaints.REASON if await complaints.strongly_negative(data.requester_texts) else None


async def create_ticket(
    session: AsyncSession, rt: Runtime, data: NewTicket, actor: Actor
) -> Ticket:
    tenant_id = data.requester.tenant_id
    definitions = await repo.fields_of(session, tenant_id)
    values = validate_values(definitions, {}, data.custom_fields)
    if data.assignee_id:
        await check_assignee(session, tenant_id, data.assignee_id)
    if data.team_id:
        await check_team(session, tenant_id, data.team_id)
    flagged = await _complaint_flag(data)
    now = utcnow()
    t = Ticket(
        tenant_id=tenant_id,
        number=await _next_number(session, tenant_id),
        subject=data.subject,
        description=data.description,
        requester_id=data.requester.id,
        channel=data.channel,
        inbox_id=data.inbox_id,
        conversation_id=data.conversation_id,
        type="complaint" if flagged else data.type,
        priority=priority_rank(data.priority),
        status=(TicketStatus.OPEN if data.assignee_id else TicketStatus.NEW).value,
        assignee_id=data.assignee_id,
        team_id=data.team_id,
        tags=sorted(set(data.tags)),
        custom_fields=values,
        email_subject=data.email_subject,
        created_at=now,
        updated_at=now,
    )
    session.add(t)
    await session.flush()
    created = {"status": t.status, "channel": t.channel} | ({"flagged": flagged} if flagged else {})
    record(session, t, actor, "created", None, created, now)
    await sla_service.apply_policy(session, t, now, contact=data.requester)
    await emit(session, rt, t, TicketCreated(ticket=ticket_out(t)))
    return t


async def _validate_update(session: AsyncSession, t: Ticket, ch: TicketUpdateIn) -> dict[str, Any]:
    """Check every change before any is written; returns the new custom field values."""
    sent = ch.model_fields_set
    if t.status == TicketStatus.CLOSED:
        raise Conflict("ticket_closed")
    if ch.status is not None and ch.status != t.status:
        check_transition(t.status, ch.status)
    if "assignee_id" in sent and ch.assignee_id is not None:
        await check_assignee(session, t.tenant_id, ch.assignee_id)
    if "team_id" in sent and ch.team_id is not None:
        await check_team(session, t.tenant_id, ch.team_id)
    follow_up = ch.follow_up_at
    if follow_up is not None and (ch.status != "solved" or follow_up.tzinfo is None):
        raise Invalid("ticket_followup_invalid")
    values = dict(t.custom_fields)
    solving = ch.status in FINISHED and ch.status != t.status
    if ch.custom_fields or solving:
        definitions = await repo.fields_of(session, t.tenant_id)
        values = validate_values(definitions, values, ch.custom_fields or {})
        if solving:
            require_for_solving(definitions, values)
    return values


def _planned(t: Ticket, ch: TicketUpdateIn, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """field -> (old, new) for what actually changes (status last)."""
    sent = ch.model_fields_set
    plan: dict[str, tuple[Any, Any]] = {}
    simple = {"subject": ch.subject, "type": ch.type}
    for name, value in simple.items():
        if value is not None and value != getattr(t, name):
            plan[name] = (getattr(t, name), value)
    if ch.priority is not None and priority_rank(ch.priority) != t.priority:
        plan["priority"] = (priority_name(t.priority), ch.priority)
    for name in ("assignee_id", "team_id"):
        if name in sent and getattr(ch, name) != getattr(t, name):
            old, new = getattr(t, name), getattr(ch, name)
            plan[name] = (str(old) if old else None, str(new) if new else None)
    if ch.tags is not None and ch.tags != list(t.tags):
        plan["tags"] = (list(t.tags), ch.tags)
    if values != t.custom_fields:
        plan["custom_fields"] = (dict(t.custom_fields), values)
    if ch.status is not None and ch.status != t.status:
        plan["status"] = (t.status, ch.status)
    elif t.status == TicketStatus.NEW and ch.assignee_id is not None and "assignee_id" in plan:
        plan["status"] = (t.status, TicketStatus.OPEN.value)
    return plan


def _apply(t: Ticket, name: str, new: Any) -> None:
    if name == "priority":
        t.priority = priority_rank(new)
    elif name in ("assignee_id", "team_id"):
        setattr(t, name, uuid.UUID(new) if new else None)
    else:
        setattr(t, name, new)


async def update_ticket(
    session: AsyncSession, rt: Runtime, t: Ticket, ch: TicketUpdateIn, actor: Actor
) -> Ticket:
    values = await _validate_update(session, t, ch)
    plan = _planned(t, ch, values)
    if not plan and ch.follow_up_at is None:
        return t
    now = utcnow()
    for name, (old, new) in plan.items():
        if name != "status":
            _apply(t, name, new)
        record(session, t, actor, name, old, new, now)
    if "status" in plan:
        await _move(session, t, plan["status"][1], now)
    if {"priority", "type"} & plan.keys():
        await sla_service.apply_policy(session, t, now)
    if ch.follow_up_at is not None:
        session.add(
            FollowUp(
                tenant_id=t.tenant_id,
                ticket_id=t.id,
                assignee_id=t.assignee_id or actor.id,
                due_at=ch.follow_up_at,
                note=ch.follow_up_note,
            )
        )
        record(session, t, actor, "follow_up_at", None, ch.follow_up_at.isoformat(), now)
        plan["follow_up_at"] = (None, ch.follow_up_at.isoformat())
    t.updated_at = now
    await emit(session, rt, t, TicketUpdated(ticket=ticket_out(t), fields=sorted(plan)))
    return t


async def _move(session: AsyncSession, t: Ticket, new: str, now: datetime) -> None:
    old = t.status
    t.status = new
    if new == TicketStatus.SOLVED:
        t.solved_at = now
    elif new == TicketStatus.CLOSED:
        t.closed_at = now
    elif old == TicketStatus.SOLVED:
        t.solved_at = None
    await sla_service.on_status(session, t, old, new, now)


async def change_status(
    session: AsyncSession, rt: Runtime, t: Ticket, new: str, actor: Actor
) -> Ticket:
    return await update_ticket(session, rt, t, TicketUpdateIn(status=new), actor)


@dataclass(frozen=True)
class CommentDraft:
    body: str
    public: bool = True
    channel: str = "api"
    html: str | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)


async def add_comment(
    session: AsyncSession, rt: Runtime, t: Ticket, actor: Actor, draft: CommentDraft
) -> TicketComment:
    """A reply or note. An agent's first public reply stops the first-response clock;
    the requester's reply reopens a pending or solved ticket. Closed tickets take nothing."""
    if t.status == TicketStatus.CLOSED:
        raise Conflict("ticket_closed")
    now = utcnow()
    comment = TicketComment(
        tenant_id=t.tenant_id,
        ticket_id=t.id,
        author_type=actor.type,
        author_id=actor.id,
        body=draft.body,
        html=draft.html,
        public=draft.public,
        channel=draft.channel,
        attachments=draft.attachments,
        created_at=now,
    )
    session.add(comment)
    if actor.type == "agent" and draft.public and t.first_responded_at is None:
        t.first_responded_at = now
        record(session, t, actor, "first_responded_at", None, now.isoformat(), now)
    reopen = {TicketStatus.PENDING, TicketStatus.SOLVED}
    if actor.type == "contact" and TicketStatus(t.status) in reopen:
        record(session, t, actor, "status", t.status, TicketStatus.OPEN.value, now)
        await _move(session, t, TicketStatus.OPEN.value, now)
    t.updated_at = now
    await session.flush()
    event = TicketCommentCreated(ticket_id=t.id, comment=CommentOut.model_validate(comment))
    await emit(session, rt, t, event)
    return comment
