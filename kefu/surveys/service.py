"""Recording a contact's satisfaction rating (once per conversation, within a late window)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.conversations.models import Conversation
from kefu.core.auth import ContactPrincipal
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.errors import Conflict, NotFound
from kefu.surveys.models import CsatResponse, SurveySettings
from kefu.surveys.schemas import CsatIn, SurveySettingsIn, SurveySettingsOut, TicketCsatIn
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


async def survey_wording(session: AsyncSession, tenant_id: uuid.UUID) -> SurveySettingsOut:
    """The tenant's question / thank-you text per language; empty when never set."""
    row = await session.get(SurveySettings, tenant_id)
    return SurveySettingsOut.model_validate(row) if row is not None else SurveySettingsOut()


async def save_wording(
    session: AsyncSession, tenant_id: uuid.UUID, data: SurveySettingsIn
) -> SurveySettingsOut:
    """Replace the tenant's wording (blank texts are dropped: the built-in text is used)."""
    question: dict[str, Any] = {k: v.strip() for k, v in data.question.items() if v.strip()}
    thanks: dict[str, Any] = {k: v.strip() for k, v in data.thanks.items() if v.strip()}
    row = await session.get(SurveySettings, tenant_id)
    if row is None:
        row = SurveySettings(tenant_id=tenant_id)
        session.add(row)
    row.question, row.thanks = question, thanks
    await session.flush()
    return SurveySettingsOut.model_validate(row)
