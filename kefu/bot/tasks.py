"""Background jobs of the bot: answer messages whose process died before the bot replied, and
build the indexes that live knowledge-base versions lack (after a kefu upgrade changed the
index format, or when the process that should have built one stopped first), so that no
contact's message waits for such a build."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, and_, exists, func, or_, select

from kefu.bot.live import Engines
from kefu.bot.models import BotTurn
from kefu.bot.service import answer_message
from kefu.conversations.lifecycle import Status
from kefu.conversations.models import Conversation, Message
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.jobs import PeriodicJob
from kefu.knowledge.models import KbState, KbVersion

GRACE_SECONDS = 30
FORMATS_CHECKED = "bot.index_formats_checked"  # Runtime.extras: the first run has read them
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


async def build_missing_indexes(rt: Runtime, *, check_formats: bool | None = None) -> int:
    """Build (and store) the index of every live version without one, and on this process's
    first run (or with `check_formats`) of every live version whose index is in an older format.

    Formats are read once per process because an upgrade happens at a start, and reading a
    stored index's header reads the whole blob on SQLite and detoasts it on PostgreSQL: every
    minute, for every tenant, that would be megabytes of work for nothing.
    """
    from kefu.bot.serialise import FORMAT_VERSION, MAGIC

    if check_formats is None:
        check_formats = not rt.extras.get(FORMATS_CHECKED, False)
    lacking: ColumnElement[bool] = KbVersion.index_blob.is_(None)
    if check_formats:
        header = MAGIC + FORMAT_VERSION.to_bytes(2, "big")
        lacking = or_(lacking, func.substr(KbVersion.index_blob, 1, len(header)) != header)
    stmt = (
        select(KbState.tenant_id)
        .join(KbVersion, KbVersion.id == KbState.live_version_id)
        .where(lacking)
        .order_by(KbState.tenant_id)
    )
    async with rt.db.sessions() as session:
        tenants = list((await session.execute(stmt)).scalars())
    engines = Engines.of(rt)
    for tenant_id in tenants:  # one after another: the build thread takes one at a time anyway
        await engines.for_tenant(rt, tenant_id)
    rt.extras[FORMATS_CHECKED] = True
    return len(tenants)


JOBS = [
    PeriodicJob("bot_answer_missed", 15.0, answer_missed),
    PeriodicJob("bot_build_missing_indexes", 60.0, build_missing_indexes),
]
