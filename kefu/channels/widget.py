"""The website widget channel: visitor sessions and the contact side of messaging."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.channels import repository as inbox_repo
from kefu.channels.models import Inbox
from kefu.channels.service import origin_allowed
from kefu.contacts import service as contacts
from kefu.contacts.auth import CurrentContact
from kefu.contacts.schemas import (
    CsatWording,
    WidgetConfig,
    WidgetSessionIn,
    WidgetSessionOut,
    WidgetStatus,
)
from kefu.conversations import messages as msgs
from kefu.conversations import repository as repo
from kefu.conversations.lifecycle import OPEN, Status
from kefu.conversations.schemas import ContactMessageIn, HandoffOut, MessageOut, MessagePage
from kefu.conversations.service import Actor, conversation_for_contact_message, handoff
from kefu.conversations.views import message_out
from kefu.core.business_hours import is_open, next_open
from kefu.core.business_hours_db import load_schedule
from kefu.core.context import runtime_of
from kefu.core.db import utcnow
from kefu.core.deps import DbSession, commit
from kefu.core.errors import Forbidden, Unauthorized
from kefu.surveys.service import survey_wording
from kefu.tenants.repository import get_tenant

router = APIRouter(prefix="/api/v1/widget", tags=["widget"])


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}"


def check_origin(request: Request, inbox: Inbox) -> None:
    extra = runtime_of(request).settings.allowed_origins
    if not origin_allowed(inbox, request.headers.get("origin"), own_origin(request), extra):
        raise Forbidden("origin_not_allowed")


async def _status(session: AsyncSession, tenant_id: uuid.UUID) -> WidgetStatus:
    """Open now by the tenant's business hours (always when they are off), else when it opens."""
    schedule = await load_schedule(session, tenant_id)
    now = utcnow()
    if is_open(schedule, now):
        return WidgetStatus(open_now=True)
    return WidgetStatus(open_now=False, next_open=next_open(schedule, now))


def _config(inbox: Inbox, status: WidgetStatus, csat: CsatWording) -> WidgetConfig:
    s = inbox.settings
    return WidgetConfig(
        **status.model_dump(),
        name=inbox.name,
        greeting=dict(s.get("greeting", {})),
        color=str(s.get("color", "#1f6feb")),
        languages=list(s.get("languages", ["zh-CN", "en"])),
        csat=csat,
    )


@router.post("/sessions", response_model=WidgetSessionOut, status_code=201)
async def start_session(
    body: WidgetSessionIn, request: Request, session: DbSession
) -> WidgetSessionOut:
    inbox = await inbox_repo.get_inbox_by_key(session, body.widget_key)
    if inbox is None:
        raise Unauthorized("widget_key_invalid")
    check_origin(request, inbox)
    tenant = await get_tenant(session, inbox.tenant_id)
    token = body.contact_token
    resumed = await contacts.resume_widget_session(session, inbox, token) if token else None
    if resumed is not None and body.identity is None and token is not None:
        contact_id = resumed.contact_id
    else:
        contact, token = await contacts.start_widget_session(
            session, tenant, inbox, body.locale, body.identity
        )
        contact_id = contact.id
    await commit(session)
    principal = await contacts.principal_from_contact_token(session, token)
    assert principal is not None
    latest = await repo.latest_conversation_of_contact(session, principal)
    open_id = latest.id if latest is not None and Status(latest.status) in OPEN else None
    status = await _status(session, inbox.tenant_id)
    wording = await survey_wording(session, inbox.tenant_id)
    csat = CsatWording(question=dict(wording.question), thanks=dict(wording.thanks))
    return WidgetSessionOut(
        contact_token=token,
        contact_id=contact_id,
        conversation_id=open_id,
        inbox=_config(inbox, status, csat),
    )


@router.get("/status", response_model=WidgetStatus)
async def service_status(contact: CurrentContact, session: DbSession) -> WidgetStatus:
    """The session's `open_now` / `next_open` again (on reconnect, at the next opening)."""
    return await _status(session, contact.tenant_id)


@router.post("/messages", response_model=MessageOut, status_code=201)
async def post_message(
    body: ContactMessageIn,
    request: Request,
    response: Response,
    contact: CurrentContact,
    session: DbSession,
) -> MessageOut:
    draft = msgs.Draft(
        body=body.body, client_msg_id=body.client_msg_id, attachment_ids=body.attachment_ids
    )
    message, created = await msgs.post_contact_message(session, runtime_of(request), contact, draft)
    if not created:
        response.status_code = 200
    return message_out(message)


@router.post("/handoff", response_model=HandoffOut)
async def ask_for_a_person(
    request: Request, contact: CurrentContact, session: DbSession
) -> HandoffOut:
    """The contact pressed "talk to a person": leave the bot for the queue (idempotent)."""
    rt = runtime_of(request)
    c = await conversation_for_contact_message(session, rt, contact)
    if c.status == Status.BOT:
        await handoff(session, rt, c, Actor("contact", contact.contact_id), "explicit_request")
    await commit(session)
    return HandoffOut(conversation_id=c.id, status=c.status)


@router.get("/messages", response_model=MessagePage)
async def list_messages(
    contact: CurrentContact,
    session: DbSession,
    after_seq: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> MessagePage:
    c = await repo.latest_conversation_of_contact(session, contact)
    if c is None:
        return MessagePage(items=[])
    rows = await repo.list_messages(session, c, after_seq, limit, include_private=False)
    return MessagePage(items=[message_out(m) for m in rows])
