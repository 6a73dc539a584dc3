"""Keep analytics facts in step (every conversation changed since its fact was written) and
judge the live alert rules."""

from __future__ import annotations

from sqlalchemy import or_, select

from kefu.analytics.alerts import evaluate_alerts
from kefu.analytics.facts import fact_values, write_facts
from kefu.analytics.models import ConversationFact
from kefu.conversations.models import Conversation
from kefu.core.context import Runtime
from kefu.core.jobs import PeriodicJob

BATCH = 500
WRITE_CHUNK = 100


async def sync_facts(rt: Runtime) -> int:
    """Recompute the facts of changed conversations: reads on a reader connection, writes in
    short transactions (on SQLite the single writer is never held for a whole batch)."""
    stmt = (
        select(Conversation)
        .outerjoin(ConversationFact, ConversationFact.conversation_id == Conversation.id)
        .where(
            or_(
                ConversationFact.conversation_id.is_(None),
                Conversation.updated_at > ConversationFact.synced_at,
            )
        )
        .limit(BATCH)
    )
    async with rt.db.read_sessions() as session:
        conversations = list((await session.execute(stmt)).scalars())
        rows = [await fact_values(session, c) for c in conversations]
    for i in range(0, len(rows), WRITE_CHUNK):
        async with rt.db.sessions() as session:
            await write_facts(session, rows[i : i + WRITE_CHUNK])
            await session.commit()
    return len(rows)


JOBS = [
    PeriodicJob("analytics_sync_facts", 10.0, sync_facts),
    PeriodicJob("analytics_alerts", 15.0, evaluate_alerts),
]
