"""Background jobs of conversations: the bot's idle timeout."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from kefu.conversations import service
from kefu.conversations.lifecycle import Status
from kefu.conversations.models import Conversation
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.deps import commit
from kefu.core.jobs import PeriodicJob

BATCH = 200


async def resolve_idle_bot_conversations(rt: Runtime) -> int:
    """`bot → resolved` after `bot_idle_timeout` without a handoff (guarded: status re-checked)."""
    cutoff = utcnow() - timedelta(seconds=rt.settings.bot_idle_timeout)
    last_activity = func.coalesce(Conversation.last_message_at, Conversation.created_at)
    done = 0
    async with rt.db.sessions() as session:
        stmt = (
            select(Conversation.id)
            .where(Conversation.status == Status.BOT.value, last_activity < cutoff)
            .limit(BATCH)
        )
        ids = list((await session.execute(stmt)).scalars())
    for conversation_id in ids:
        async with rt.db.sessions() as session:
            stmt2 = select(Conversation).where(
                Conversation.id == conversation_id, Conversation.status == Status.BOT.value
            )
            c = (await session.execute(stmt2.with_for_update())).scalar_one_or_none()
            if c is None:
                continue
            await service.resolve(session, rt, c, service.Actor("system"))
            await commit(session)
            done += 1
    return done


JOBS = [PeriodicJob("bot_idle_timeout", 30.0, resolve_idle_bot_conversations)]
