"""Computing a conversation's fact row from its stamped transitions and message counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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


async def fact_values(session: AsyncSession, c: Conversation) -> dict[str, Any]:
    """The fact row of `c` as column values (reads only)."""
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
    had_bot = counts.get("bot", 0) > 0 or any(t.to_status == "bot" for t in transitions)
    return {
        "conversation_id": c.id,
        "tenant_id": c.tenant_id,
        "channel": c.channel,
        "team_id": c.team_id,
        "agent_id": c.assignee_id,
        "status": c.status,
        "created_at": c.created_at,
        "first_queued_at": queued,
        "had_bot": had_bot,
        "self_service": resolved is not None and queued is None and assigned is None and had_bot,
        "abandoned": any(t.to_status == "abandoned" for t in transitions),
        "transfers": max(0, sum(t.to_status == "assigned" for t in transitions) - 1),
        "messages_contact": counts.get("contact", 0),
        "messages_agent": counts.get("agent", 0),
        "messages_bot": counts.get("bot", 0),
        "wait_seconds": _seconds(queued, c.first_agent_reply_at),
        "first_response_seconds": _seconds(assigned, c.first_agent_reply_at),
        "handle_seconds": _seconds(assigned, resolved),
        "resolution_seconds": _seconds(c.created_at, resolved),
        # the version synced: a later change is picked up next time
        "synced_at": c.updated_at,
    }


async def write_facts(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert or replace fact rows in one statement."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(ConversationFact)
    columns = {k: stmt.excluded[k] for k in rows[0] if k != "conversation_id"}
    await session.execute(
        stmt.on_conflict_do_update(index_elements=["conversation_id"], set_=columns), rows
    )
