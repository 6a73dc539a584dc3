"""Keep analytics facts in step (every conversation changed since its fact was written) and
judge the live alert rules."""

from __future__ import annotations

from sqlalchemy import or_, select

from kefu.analytics.alerts import evaluate_alerts
from kefu.analytics.facts import sync_fact
from kefu.analytics.models import ConversationFact
from kefu.conversations.models import Conversation
from kefu.core.context import Runtime
from kefu.core.jobs import PeriodicJob

BATCH = 500


async def sync_facts(rt: Runtime) -> int:
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
    async with rt.db.sessions() as session:
        conversations = list((await session.execute(stmt)).scalars())
        for c in conversations:
            await sync_fact(session, c)
        await session.commit()
    return len(conversations)


JOBS = [
    PeriodicJob("analytics_sync_facts", 10.0, sync_facts),
    PeriodicJob("analytics_alerts", 15.0, evaluate_alerts),
]
