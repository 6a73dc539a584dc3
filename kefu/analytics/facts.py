"""Computing a conversation's fact row from its stamped transitions and message counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.analytics.models import ConversationFact
from kefu.conversations.models import Conversation, Message, Transition


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None or end < start:
        return None
    return int((end - start).total_seconds())


def _first(transitions: Sequence[Transition], status: str) -> datetime | None:
    return next((t.created_at for t in transitions if t.to_status == status), None)


async def _counts(session: AsyncSession, c: Conversation) -> dict[str, int]:
    stmt = (
        select(Message.sender_type, func.count())
        .where(Message.conversation_id == c.id, Message.private.is_(False))
        .group_by(Message.sender_type)
    )
    return {str(k): int(v) for k, v in (await session.execute(stmt)).all()}


async def sync_fact(session: AsyncSession, c: Conversation) -> ConversationFact:
    transitions = list(
        (
            await session.execute(
                select(Transition)
                .where(Transition.conversation_id == c.id)
                .order_by(Transition.created_at)
            )
        ).scalars()
    )
    counts = await _counts(session, c)
    queued, assigned = _first(transitions, "queued"), _first(transitions, "assigned")
    resolved = c.resolved_at if c.status in ("resolved", "closed") else None
    fact = await session.get(ConversationFact, c.id) or ConversationFact(conversation_id=c.id)
    fact.tenant_id, fact.channel, fact.team_id, fact.agent_id = (
        c.tenant_id,
        c.channel,
        c.team_id,
        c.assignee_id,
    )
    fact.status, fact.created_at, fact.first_queued_at = c.status, c.created_at, queued
    fact.had_bot = counts.get("bot", 0) > 0 or any(t.to_status == "bot" for t in transitions)
    fact.self_service = (
        resolved is not None and queued is None and assigned is None and fact.had_bot
    )
    fact.abandoned = any(t.to_status == "abandoned" for t in transitions)
    fact.transfers = max(0, sum(t.to_status == "assigned" for t in transitions) - 1)
    fact.messages_contact = counts.get("contact", 0)
    fact.messages_agent = counts.get("agent", 0)
    fact.messages_bot = counts.get("bot", 0)
    fact.wait_seconds = _seconds(queued, c.first_agent_reply_at)
    fact.first_response_seconds = _seconds(assigned, c.first_agent_reply_at)
    fact.handle_seconds = _seconds(assigned, resolved)
    fact.resolution_seconds = _seconds(c.created_at, resolved)
    fact.synced_at = c.updated_at  # the version synced: a later change is picked up next time
    session.add(fact)
    return fact
