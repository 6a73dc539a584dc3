"""Rules and writes for conversations: one function per state change, each publishing its event."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.channels.models import Inbox
from kefu.conversations import repository as repo
from kefu.conversations.lifecycle import OPEN, STAMPS, Status, check
from kefu.conversations.models import Conversation, ConversationTag, Transition
from kefu.conversations.views import conversation_out
from kefu.core.auth import ContactPrincipal, Principal
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.errors import Invalid, NotFound
from kefu.realtime.events import (
    ConversationAssigned,
    ConversationCreated,
    ConversationUpdated,
    Event,
)
from kefu.realtime.service import record_event
from kefu.tenants.models import User


@dataclass(frozen=True)
class Actor:
    """Who caused a change: a contact, an agent (user), the bot or the system."""

    type: str
    id: uuid.UUID | None = None

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls("agent", principal.user_id) if principal.user_id else cls("system")


SYSTEM = Actor("system")


async def _emit(session: AsyncSession, rt: Runtime, c: Conversation, event: Event) -> None:
    await record_event(
        session,
        rt,
        c.tenant_id,
        event,
        conversation_id=c.id,
        contact_id=c.contact_id,
        assignee_id=c.assignee_id,
    )


async def _emit_updated(session: AsyncSession, rt: Runtime, c: Conversation) -> None:
    await session.flush()
    await _emit(
        session, rt, c, ConversationUpdated(conversation=await conversation_out(session, c))
    )


async def _move(
    session: AsyncSession, c: Conversation, to: Status, actor: Actor, reason: str | None = None
) -> None:
    """Change status, stamp the time, record the transition. Callers check legality first."""
    now = utcnow()
    session.add(
        Transition(
            tenant_id=c.tenant_id,
            conversation_id=c.id,
            from_status=c.status,
            to_status=to.value,
            actor_type=actor.type,
            actor_id=actor.id,
            reason=reason,
            created_at=now,
        )
    )
    c.status = to.value
    c.updated_at = now
    if to in STAMPS:
        setattr(c, STAMPS[to], now)


async def create_conversation(
    session: AsyncSession, rt: Runtime, inbox: Inbox, contact_id: uuid.UUID
) -> Conversation:
    start = Status.BOT if inbox.settings.get("bot_enabled", False) else Status.QUEUED
    now = utcnow()
    c = Conversation(
        tenant_id=inbox.tenant_id,
        inbox_id=inbox.id,
        contact_id=contact_id,
        channel=inbox.channel_type,
        status=start.value,
        created_at=now,
        updated_at=now,
        queued_at=now if start is Status.QUEUED else None,
    )
    session.add(c)
    await session.flush()
    session.add(
        Transition(
            tenant_id=c.tenant_id,
            conversation_id=c.id,
            from_status=None,
            to_status=start.value,
            actor_type="contact",
            actor_id=contact_id,
            created_at=now,
        )
    )
    await _emit(
        session, rt, c, ConversationCreated(conversation=await conversation_out(session, c))
    )
    return c


async def assign(
    session: AsyncSession, rt: Runtime, c: Conversation, assignee: User, actor: Actor
) -> Conversation:
    check("assign", c.status)
    if assignee.tenant_id != c.tenant_id or not assignee.active:
        raise Invalid("assignee_invalid")
    previous = c.assignee_id
    c.assignee_id = assignee.id
    await _move(session, c, Status.ASSIGNED, actor)
    await session.flush()
    view = await conversation_out(session, c)
    await _emit(
        session, rt, c, ConversationAssigned(conversation=view, previous_assignee_id=previous)
    )
    return c


async def unassign(
    session: AsyncSession, rt: Runtime, c: Conversation, actor: Actor, reason: str = "unassigned"
) -> Conversation:
    check("unassign", c.status)
    c.assignee_id = None
    await _move(session, c, Status.QUEUED, actor, reason)
    await _emit_updated(session, rt, c)
    return c


async def set_queue(
    session: AsyncSession, rt: Runtime, c: Conversation, team_id: uuid.UUID | None, priority: int
) -> Conversation:
    """Routing places a conversation in a team's queue with a priority (no status change)."""
    if (c.team_id, c.priority) == (team_id, priority):
        return c
    c.team_id, c.priority, c.updated_at = team_id, priority, utcnow()
    await _emit_updated(session, rt, c)
    return c


async def handoff(
    session: AsyncSession, rt: Runtime, c: Conversation, actor: Actor, reason: str
) -> Conversation:
    """Bot → queued: the contact needs a person."""
    check("handoff", c.status)
    c.handoff_reason = reason
    await _move(session, c, Status.QUEUED, actor, reason)
    await _emit_updated(session, rt, c)
    return c


async def resolve(
    session: AsyncSession, rt: Runtime, c: Conversation, actor: Actor
) -> Conversation:
    check("resolve", c.status)
    await _move(session, c, Status.RESOLVED, actor)
    await _emit_updated(session, rt, c)
    return c


async def reopen(
    session: AsyncSession, rt: Runtime, c: Conversation, actor: Actor, *, to_bot: bool = False
) -> Conversation:
    """Back to its agent if it had one, else to the bot (when asked) or the queue."""
    check("reopen", c.status)
    if c.assignee_id is not None:
        target = Status.ASSIGNED
    else:
        target = Status.BOT if to_bot else Status.QUEUED
    await _move(session, c, target, actor, "reopened")
    await _emit_updated(session, rt, c)
    return c


async def close(session: AsyncSession, rt: Runtime, c: Conversation, actor: Actor) -> Conversation:
    check("close", c.status)
    await _move(session, c, Status.CLOSED, actor)
    await _emit_updated(session, rt, c)
    return c


async def abandon(
    session: AsyncSession, rt: Runtime, c: Conversation, actor: Actor
) -> Conversation:
    check("abandon", c.status)
    await _move(session, c, Status.ABANDONED, actor, "left_queue")
    await _emit_updated(session, rt, c)
    return c


async def set_tags(
    session: AsyncSession, rt: Runtime, c: Conversation, tags: list[str]
) -> Conversation:
    clean = sorted({t.strip()[:64] for t in tags if t.strip()})
    await session.execute(delete(ConversationTag).where(ConversationTag.conversation_id == c.id))
    for tag in clean:
        session.add(ConversationTag(conversation_id=c.id, tag=tag, tenant_id=c.tenant_id))
    c.updated_at = utcnow()
    await _emit_updated(session, rt, c)
    return c


async def conversation_for_contact_message(
    session: AsyncSession, rt: Runtime, principal: ContactPrincipal
) -> Conversation:
    """The open conversation, a reopened recent one, or a new one (closed ones stay closed)."""
    latest = await repo.latest_conversation_of_contact(session, principal)
    if latest is not None and Status(latest.status) in OPEN:
        return latest
    inbox = await session.get(Inbox, principal.inbox_id)
    if inbox is None:
        raise NotFound("inbox")
    window = timedelta(seconds=rt.settings.reopen_window)
    if latest is not None and latest.status == Status.RESOLVED:
        if latest.resolved_at and utcnow() - latest.resolved_at <= window:
            to_bot = bool(inbox.settings.get("bot_enabled")) and latest.handoff_reason is None
            return await reopen(
                session, rt, latest, Actor("contact", principal.contact_id), to_bot=to_bot
            )
        await close(session, rt, latest, SYSTEM)
    return await create_conversation(session, rt, inbox, principal.contact_id)
