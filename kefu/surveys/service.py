"""Recording a contact's satisfaction rating (once per conversation, within a late window)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.conversations.models import Conversation
from kefu.core.auth import ContactPrincipal
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.errors import Conflict, NotFound
from kefu.surveys.models import CsatResponse
from kefu.surveys.schemas import CsatIn, TicketCsatIn
from kefu.tickets.models import Ticket


async def rate_conversation(
    session: AsyncSession, rt: Runtime, contact: ContactPrincipal, data: CsatIn
) -> CsatResponse:
    c = await session.get(Conversation, data.conversation_id)
    if c is None or c.contact_id != contact.contact_id:
        raise NotFound("conversation")
    if c.resolved_at is None:
        raise Conflict("csat_not_resolved")
    if utcnow() - c.resolved_at > timedelta(seconds=rt.settings.csat_window):
        raise Conflict("csat_too_late")
    answer = CsatResponse(
        tenant_id=c.tenant_id,
        conversation_id=c.id,
        contact_id=contact.contact_id,
        agent_id=c.assignee_id,
        score=data.score,
        comment=data.comment.strip(),
        channel=c.channel,
    )
    try:
        async with session.begin_nested():
            session.add(answer)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("csat_already_rated") from exc
    return answer


async def csat_of(session: AsyncSession, c: Conversation) -> CsatResponse | None:
    stmt = select(CsatResponse).where(CsatResponse.conversation_id == c.id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def rate_ticket(
    session: AsyncSession, rt: Runtime, t: Ticket, data: TicketCsatIn
) -> CsatResponse:
    """The requester rates a solved ticket (signed link), once, within the same late window."""
    if t.solved_at is None:
        raise Conflict("csat_ticket_not_solved")
    if utcnow() - t.solved_at > timedelta(seconds=rt.settings.csat_window):
        raise Conflict("csat_too_late")
    answer = CsatResponse(
        tenant_id=t.tenant_id,
        ticket_id=t.id,
        contact_id=t.requester_id,
        agent_id=t.assignee_id,
        score=data.score,
        comment=data.comment.strip(),
        channel=t.channel,
    )
    try:
        async with session.begin_nested():
            session.add(answer)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict("csat_ticket_already_rated") from exc
    return answer
