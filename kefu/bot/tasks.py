"""Background jobs of the bot: answer messages whose process died before the bot replied."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, exists, select

from kefu.bot.models import BotTurn
from kefu.bot.service import answer_message
from kefu.conversations.lifecycle import Status
from kefu.conversations.models import Conversation, Message
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.jobs import PeriodicJob

GRACE_SECONDS = 30
BATCH = 100


async def answer_missed(rt: Runtime) -> int:
    """Latest contact messages in bot conversations, older than the grace, with no bot turn."""
    cutoff = utcnow() - timedelta(seconds=GRACE_SECONDS)
    answered = exists().where(
        and_(BotTurn.conversation_id == Message.conversation_id, BotTurn.message_id == Message.id)
    )
    stmt = (
        select(Conversation.tenant_id, Conversation.id, Message.id, Message.body)
        .join(Message, Message.conversation_id == Conversation.id)
        .where(
            Conversation.status == Status.BOT.value,
            Message.seq == Conversation.last_seq,
            Message.sender_type == "contact",
            Message.created_at < cutoff,
            ~answered,
        )
        .limit(BATCH)
    )
    async with rt.db.sessions() as session:
        rows = list((await session.execute(stmt)).all())
    done = 0
    for tenant_id, conversation_id, message_id, body in rows:
        if await answer_message(rt, tenant_id, conversation_id, message_id, body) is not None:
            done += 1
    return done


JOBS = [PeriodicJob("bot_answer_missed", 15.0, answer_missed)]
