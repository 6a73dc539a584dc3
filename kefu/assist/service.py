"""Agent assist: quick replies and knowledge-base suggestions for the contact's last message."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.assist.models import QuickReply
from kefu.assist.schemas import QuickReplyIn, SuggestionList, SuggestionOut
from kefu.bot.live import Engines
from kefu.conversations.models import Conversation, Message
from kefu.core.auth import Principal
from kefu.core.context import Runtime
from kefu.core.errors import Conflict, NotFound

TOP = 3


async def list_quick_replies(session: AsyncSession, principal: Principal) -> Sequence[QuickReply]:
    stmt = select(QuickReply).where(QuickReply.tenant_id == principal.tenant_id)
    return (await session.execute(stmt.order_by(QuickReply.shortcut))).scalars().all()


async def get_quick_reply_for(
    session: AsyncSession, principal: Principal, reply_id: uuid.UUID
) -> QuickReply:
    reply = await session.get(QuickReply, reply_id)
    if reply is None or reply.tenant_id != principal.tenant_id:
        raise NotFound("quick_reply")
    return reply


async def save_quick_reply(
    session: AsyncSession, principal: Principal, data: QuickReplyIn, reply: QuickReply | None = None
) -> QuickReply:
    if reply is None:
        reply = QuickReply(tenant_id=principal.tenant_id)
        session.add(reply)
    reply.shortcut, reply.title, reply.body = data.shortcut, data.title, data.body
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("shortcut_taken") from exc
    return reply


async def last_contact_text(session: AsyncSession, c: Conversation) -> str | None:
    stmt = (
        select(Message.body)
        .where(
            Message.conversation_id == c.id,
            Message.sender_type == "contact",
            Message.body != "",  # a file sent alone is not a question
        )
        .order_by(Message.seq.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def suggestions(rt: Runtime, c: Conversation, text: str | None) -> SuggestionList:
    """The top knowledge-base answers for `text`, in the conversation's language."""
    if not text or not text.strip():
        return SuggestionList(query=text, items=[])
    live = await Engines.of(rt).for_tenant(rt, c.tenant_id)
    if live is None:
        return SuggestionList(query=text, items=[])
    decision = await asyncio.to_thread(live.engine.answer, text)
    lang = "en" if (c.language or "").startswith("en") else decision.language
    items = [
        SuggestionOut(
            faq_id=cand.faq_id,
            question=live.question(cand.faq_id, lang),
            answer=live.answer(cand.faq_id, lang),
            score=round(float(cand.score), 4),
        )
        for cand in decision.candidates[:TOP]
        if live.answer(cand.faq_id, lang)
    ]
    return SuggestionList(query=text, items=items)
