"""Transfer (to an agent or a team, with a private note), bulk reassignment, handoff context."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.bot.models import BotTurn
from kefu.conversations import service as conversations
from kefu.conversations.lifecycle import Status, check
from kefu.conversations.messages import Draft, post_message
from kefu.conversations.models import Conversation, Message
from kefu.conversations.service import Actor
from kefu.core.context import Runtime
from kefu.core.errors import Invalid
from kefu.knowledge.models import Faq
from kefu.routing.models import QueueEntry
from kefu.routing.schemas import BotTurnOut, HandoffContextOut, TranscriptLine
from kefu.routing.service import enqueue
from kefu.tenants.models import Team, User

TURNS = 10
TRANSCRIPT = 30


async def to_agent(
    session: AsyncSession, rt: Runtime, c: Conversation, agent: User, actor: Actor
) -> None:
    if agent.role not in ("agent", "supervisor", "admin") or not agent.active:
        raise Invalid("assignee_invalid")
    if c.assignee_id == agent.id and c.status == Status.ASSIGNED:
        return
    await conversations.assign(session, rt, c, agent, actor)
    entry = await session.get(QueueEntry, c.id)
    if entry is not None:
        await session.delete(entry)


async def to_team(
    session: AsyncSession, rt: Runtime, c: Conversation, team: Team, actor: Actor
) -> None:
    """Back to the queue of `team` (the previous agent is not offered it again)."""
    previous = c.assignee_id
    if c.status == Status.ASSIGNED:
        await conversations.unassign(session, rt, c, actor, "transferred")
    elif c.status == Status.BOT:
        await conversations.handoff(session, rt, c, actor, "transferred")
    elif c.status != Status.QUEUED:
        check("unassign", c.status)  # raises the 409 for closed states
    await enqueue(session, rt, c, team=team, exclude=[previous] if previous else ())


async def transfer(
    session: AsyncSession,
    rt: Runtime,
    c: Conversation,
    actor: Actor,
    target: User | Team,
    note: str,
) -> None:
    if note.strip():
        await post_message(session, rt, c, actor, Draft(body=note.strip(), private=True))
    if isinstance(target, User):
        await to_agent(session, rt, c, target, actor)
    else:
        await to_team(session, rt, c, target, actor)


async def _questions(session: AsyncSession, c: Conversation, ids: set[str]) -> dict[str, str]:
    wanted = []
    for raw in ids:
        try:
            wanted.append(uuid.UUID(raw))
        except ValueError:
            continue
    if not wanted:
        return {}
    stmt = select(Faq).where(Faq.tenant_id == c.tenant_id, Faq.id.in_(wanted))
    zh = (c.language or "").startswith("zh")
    return {
        str(f.id): (f.question_zh or f.question_en) if zh else (f.question_en or f.question_zh)
        for f in (await session.execute(stmt)).scalars()
    }


def _turn_out(t: BotTurn, questions: dict[str, str]) -> BotTurnOut:
    return BotTurnOut(
        outcome=t.outcome,
        faq_id=t.faq_id,
        question=questions.get(t.faq_id) if t.faq_id else None,
        score=t.score,
        language=t.language,
        sentiment=t.sentiment,
        handoff_reason=t.handoff_reason,
        created_at=t.created_at,
    )


async def _transcript(session: AsyncSession, c: Conversation) -> list[TranscriptLine]:
    stmt = (
        select(Message)
        .where(Message.conversation_id == c.id, Message.private.is_(False))
        .order_by(Message.seq.desc())
        .limit(TRANSCRIPT)
    )
    rows = list((await session.execute(stmt)).scalars())
    return [
        TranscriptLine(seq=m.seq, sender_type=m.sender_type, body=m.body, created_at=m.created_at)
        for m in reversed(rows)
    ]


async def handoff_context(session: AsyncSession, c: Conversation) -> HandoffContextOut:
    """What the bot knew when it handed off: last turns, recognised intents, transcript."""
    stmt = (
        select(BotTurn)
        .where(BotTurn.tenant_id == c.tenant_id, BotTurn.conversation_id == c.id)
        .order_by(BotTurn.created_at.desc())
        .limit(TURNS)
    )
    turns = list((await session.execute(stmt)).scalars())
    questions = await _questions(session, c, {t.faq_id for t in turns if t.faq_id})
    intents = list(dict.fromkeys(t.faq_id for t in turns if t.faq_id))
    return HandoffContextOut(
        conversation_id=c.id,
        handoff_reason=c.handoff_reason,
        language=c.language,
        intents=intents,
        turns=[_turn_out(t, questions) for t in turns],
        transcript=await _transcript(session, c),
    )
