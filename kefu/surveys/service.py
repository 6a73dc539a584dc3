"""Recording a contact's satisfaction rating (once per conversation, within a late window)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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
    answer = CsatResponse(
        tenant_id=c.tenant_id,
        conversation_id=c.id,
        contact_id=contact.contact_id,
        agent_id=c.assignee_id,
        score=data.score,
        comment=data.comment.strip(),
        channel=c.channel,
    )
    return await _record(session, rt, c.resolved_at, answer, "csat_already_rated")


async def _record(
    session: AsyncSession, rt: Runtime, ended_at: datetime, answer: CsatResponse, taken: str
) -> CsatResponse:
    """Store one answer if it comes within the late window; a second answer is `taken` (409)."""
    if utcnow() - ended_at > timedelta(seconds=rt.settings.csat_window):
        raise Conflict("csat_too_late")
    try:
        async with session.begin_nested():
            session.add(answer)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict(taken) from exc
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
    answer = CsatResponse(
        tenant_id=t.tenant_id,
        ticket_id=t.id,
        contact_id=t.requester_id,
        agent_id=t.assignee_id,
        score=data.score,
        comment=data.comment.strip(),
        channel=t.channel,
    )
    return await _record(session, rt, t.solved_at, answer, "csat_ticket_already_rated")


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
    # one statement, so two admins saving the first wording at once cannot collide
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(SurveySettings).values(tenant_id=tenant_id, question=question, thanks=thanks)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["tenant_id"],
            set_={"question": question, "thanks": thanks, "updated_at": utcnow()},
        )
    )
    return SurveySettingsOut(question=question, thanks=thanks)
