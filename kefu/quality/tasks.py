"""Every resolved conversation is inspected by this job within a minute."""

from __future__ import annotations

from sqlalchemy import select

from kefu.conversations.models import Conversation
from kefu.core.context import Runtime
from kefu.core.jobs import PeriodicJob
from kefu.quality.models import QaResult
from kefu.quality.service import inspect_by_id

BATCH = 50


async def inspect_resolved(rt: Runtime) -> int:
    fresh = select(QaResult.conversation_id).where(QaResult.stale.is_(False))
    stmt = (
        select(Conversation.id)
        .where(Conversation.status.in_(["resolved", "closed"]), Conversation.id.not_in(fresh))
        .order_by(Conversation.resolved_at)
        .limit(BATCH)
    )
    async with rt.db.sessions() as session:
        ids = list((await session.execute(stmt)).scalars())
    return sum([await inspect_by_id(rt, cid) for cid in ids])


JOBS = [PeriodicJob("qa_inspect_resolved", 20.0, inspect_resolved)]
