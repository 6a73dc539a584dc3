"""Routing writes: put a conversation in its queue (rules, VIP, off-hours), assign, requeue.

The one assignment write path is `try_assign`: in one transaction it locks the queued
conversation (`FOR UPDATE SKIP LOCKED`) and then the agent's cursor row (`FOR UPDATE`), counts
the agent's open conversations and assigns through `conversations.service.assign` only if the
agent has spare capacity. Each attempt locks one conversation and one agent, so attempts never
deadlock; on SQLite writes are serialised by the single writer connection.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.bot.models import BotTurn
from kefu.contacts.models import Contact
from kefu.conversations import service as conversations
from kefu.conversations.lifecycle import Status
from kefu.conversations.messages import Draft, post_message
from kefu.conversations.models import Conversation, ConversationTag
from kefu.conversations.service import Actor
from kefu.core.business_hours import is_open
from kefu.core.business_hours_db import load_config, load_schedule
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.deps import commit, rollback
from kefu.routing import rules
from kefu.routing.models import (
    AgentCursor,
    QueueEntry,
    RoutingRule,
    RoutingSettings,
    SentimentFlag,
)
from kefu.tenants.models import Team, User

SYSTEM = Actor("system")
NEGATIVE_HANDOFF = "negative_sentiment"
OFF_HOURS = {
    "en": "We are closed right now. Leave us a message and we will reply when we are back.",
    "zh-CN": "现在是非工作时间。请留言，我们上班后会尽快回复您。",
}


async def settings_for(session: AsyncSession, tenant_id: uuid.UUID) -> RoutingSettings:
    """The tenant's routing settings (defaults when never saved; not added to the session)."""
    found = await session.get(RoutingSettings, tenant_id)
    if found is not None:
        return found
    return RoutingSettings(
        tenant_id=tenant_id,
        auto_assign=True,
        strategy="least_busy",
        match_skills=True,
        match_language=True,
        vip_tags=[],
        vip_priority=10,
        prioritise_negative=False,
        negative_priority=20,
        sticky=True,
        presence_grace_seconds=60,
        contact_grace_seconds=60,
        first_response_seconds=300,
    )


async def _facts(session: AsyncSession, c: Conversation) -> rules.Facts:
    tags = set(
        (
            await session.execute(
                select(ConversationTag.tag).where(ConversationTag.conversation_id == c.id)
            )
        ).scalars()
    )
    contact = await session.get(Contact, c.contact_id)
    tags |= set(contact.tags if contact else [])
    intents = (
        await session.execute(
            select(BotTurn.faq_id).where(
                BotTurn.conversation_id == c.id, BotTurn.faq_id.is_not(None)
            )
        )
    ).scalars()
    return rules.Facts(
        inbox_id=c.inbox_id,
        language=c.language,
        tags=frozenset(tags),
        intents=frozenset(i for i in intents if i),
        handoff_reason=c.handoff_reason,
    )


async def _negative(session: AsyncSession, settings: RoutingSettings, c: Conversation) -> bool:
    """Whether this conversation's contact gets the angry-contact boost: the tenant prioritises
    them, and the bot handed over on negative sentiment or a strongly negative message was seen."""
    if not settings.prioritise_negative:
        return False
    if c.handoff_reason == NEGATIVE_HANDOFF:
        return True
    return await session.get(SentimentFlag, c.id) is not None


async def _tenant_rules(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[RoutingRule]:
    stmt = select(RoutingRule).where(RoutingRule.tenant_id == tenant_id)
    return (await session.execute(stmt)).scalars().all()


async def enqueue(
    session: AsyncSession,
    rt: Runtime,
    c: Conversation,
    *,
    team: Team | None = None,
    exclude: Sequence[uuid.UUID] = (),
) -> QueueEntry | None:
    """Place a queued conversation: rules (or an explicit team), VIP and angry-contact priority,
    off-hours notice.

    Idempotent per stay in the queue (keyed by `queued_at`); the caller commits.
    """
    if c.status != Status.QUEUED or c.queued_at is None:
        return None
    entry = await session.get(QueueEntry, c.id)
    if entry is not None and entry.queued_at == c.queued_at and team is None:
        return entry
    settings = await settings_for(session, c.tenant_id)
    facts = await _facts(session, c)
    rule = (
        None
        if team is not None
        else rules.first_match(await _tenant_rules(session, c.tenant_id), facts)
    )
    vip = settings.vip_priority if facts.tags & set(settings.vip_tags) else 0
    team_id = team.id if team is not None else (rule.team_id if rule else c.team_id)
    now = utcnow()
    if entry is None:
        entry = QueueEntry(conversation_id=c.id, tenant_id=c.tenant_id)
        session.add(entry)
    entry.team_id, entry.rule_id = team_id, rule.id if rule else None
    entry.required_skills = list(rule.required_skills) if rule else []
    entry.negative = await _negative(session, settings, c)
    angry = settings.negative_priority if entry.negative else 0
    entry.priority = vip + angry + (rule.priority if rule else 0)
    if entry.queued_at != c.queued_at:  # a new stay in the queue
        entry.off_hours_notified_at = None
    entry.queued_at, entry.team_since, entry.overflowed = c.queued_at, now, False
    entry.excluded = [str(u) for u in exclude]
    await conversations.set_queue(session, rt, c, team_id, entry.priority)
    await _off_hours_notice(session, rt, c, entry)
    return entry


async def prioritise_negative(session: AsyncSession, rt: Runtime, c: Conversation) -> bool:
    """A waiting contact turned strongly negative: add the tenant's boost to the conversation's
    priority, once per stay in the queue (the caller holds the conversation's lock, commits)."""
    entry = await session.get(QueueEntry, c.id)
    if c.status != Status.QUEUED or entry is None or entry.negative:
        return False  # not queued, or `enqueue` has yet to run and will see the flag itself
    settings = await settings_for(session, c.tenant_id)
    if not settings.prioritise_negative:
        return False
    entry.negative = True
    entry.priority += settings.negative_priority
    await conversations.set_queue(session, rt, c, entry.team_id, entry.priority)
    return True


async def _off_hours_notice(
    session: AsyncSession, rt: Runtime, c: Conversation, entry: QueueEntry
) -> None:
    if entry.off_hours_notified_at is not None:
        return
    schedule = await load_schedule(session, c.tenant_id)
    if is_open(schedule, utcnow()):
        return
    config, _ = await load_config(session, c.tenant_id)
    texts = {
        **OFF_HOURS,
        **{k: v for k, v in (config.off_hours_message if config else {}).items() if v},
    }
    lang = "zh-CN" if (c.language or "").startswith("zh") else "en" if c.language else None
    body = texts[lang] if lang else f"{texts['zh-CN']}\n{texts['en']}"
    await post_message(session, rt, c, SYSTEM, Draft(body=body))
    entry.off_hours_notified_at = utcnow()


async def _ensure_cursor(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(AgentCursor).values(user_id=user_id, tenant_id=tenant_id)
    await session.execute(stmt.on_conflict_do_nothing(index_elements=["user_id"]))


async def open_load(session: AsyncSession, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(
        Conversation.assignee_id == user_id, Conversation.status == Status.ASSIGNED.value
    )
    return int((await session.execute(stmt)).scalar_one())


async def try_assign(
    rt: Runtime, tenant_id: uuid.UUID, conversation_id: uuid.UUID, user_id: uuid.UUID
) -> str:
    """Assign one queued conversation to one agent if both are still free: "assigned",
    "gone" (no longer queued), "busy" (another transaction holds it: try again later) or
    "full" (the agent has no spare capacity)."""
    async with rt.db.sessions() as session:
        stmt = select(Conversation).where(
            Conversation.id == conversation_id,
            Conversation.tenant_id == tenant_id,
            Conversation.status == Status.QUEUED.value,
        )
        c = (await session.execute(stmt.with_for_update(skip_locked=True))).scalar_one_or_none()
        if c is None:  # no longer queued, or another transaction holds it right now
            still = (await session.execute(stmt.with_only_columns(Conversation.id))).first()
            return "busy" if still is not None else "gone"
        await _ensure_cursor(session, tenant_id, user_id)
        cursor_stmt = select(AgentCursor).where(AgentCursor.user_id == user_id).with_for_update()
        cursor = (await session.execute(cursor_stmt)).scalar_one()
        agent = await session.get(User, user_id)
        if (
            agent is None
            or not agent.active
            or await open_load(session, user_id) >= agent.max_concurrent
        ):
            await rollback(session)
            return "full"
        cursor.last_assigned_at = utcnow()
        await conversations.assign(session, rt, c, agent, SYSTEM)
        await session.execute(delete(QueueEntry).where(QueueEntry.conversation_id == c.id))
        await commit(session)
        return "assigned"


async def requeue(
    session: AsyncSession, rt: Runtime, c: Conversation, reason: str, *, exclude_assignee: bool
) -> None:
    """Take an assigned conversation back from its agent and queue it afresh (caller commits)."""
    previous = c.assignee_id
    await conversations.unassign(session, rt, c, SYSTEM, reason)
    await enqueue(session, rt, c, exclude=[previous] if previous and exclude_assignee else ())
