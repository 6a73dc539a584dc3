"""Every ended conversation (resolved, abandoned or closed; bot or human) is inspected by this
job within a minute; again when it ends again after a reopen, or when marked for re-inspection."""

from __future__ import annotations

from sqlalchemy import or_, select

from kefu.conversations.models import Conversation
from kefu.core.context import Runtime
from kefu.core.jobs import PeriodicJob
from kefu.quality.models import QaResult
from kefu.quality.repository import ended_at
from kefu.quality.service import inspect_by_id

BATCH = 50
ENDED = ("resolved", "abandoned", "closed")


async def inspect_resolved(rt: Runtime) -> int:
    stmt = (
        select(Conversation.id)
        .outerjoin(QaResult, QaResult.conversation_id == Conversation.id)
        .where(
            Conversation.status.in_(ENDED),
            or_(
                QaResult.id.is_(None),
                QaResult.stale.is_(True),
                QaResult.inspected_at < ended_at(),
            ),
        )
        .order_by(ended_at())
        .limit(BATCH)
    )
    async with rt.db.read_sessions() as session:
        ids = list((await session.execute(stmt)).scalars())
    return sum([await inspect_by_id(rt, cid) for cid in ids])


JOBS = [PeriodicJob("qa_inspect_resolved", 20.0, inspect_resolved)]
