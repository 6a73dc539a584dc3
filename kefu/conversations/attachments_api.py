"""Upload and download of attachments, for agents and for contacts (widget)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Request, UploadFile
from fastapi.responses import FileResponse
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.contacts.auth import CurrentContact
from kefu.contacts.service import principal_from_contact_token
from kefu.conversations import repository as repo
from kefu.conversations.attachments import file_path, store_upload
from kefu.conversations.models import Attachment, Conversation, Message
from kefu.conversations.schemas import AttachmentOut
from kefu.conversations.views import attachment_url
from kefu.core.auth import ContactPrincipal, Principal
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit
from kefu.core.errors import NotFound, Unauthorized
from kefu.tenants.auth import AnyPrincipal

router = APIRouter(prefix="/api/v1", tags=["attachments"])


def _out(a: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=a.id,
        filename=a.filename,
        content_type=a.content_type,
        size=a.size,
        url=attachment_url(str(a.id)),
    )


def _download(request: Request, a: Attachment) -> FileResponse:
    return FileResponse(
        file_path(runtime_of(request), a),
        media_type=a.content_type,
        filename=a.filename,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox"},
    )


async def _conversation_of(
    session: AsyncSession, a: Attachment
) -> tuple[Conversation, Message] | None:
    if a.message_id is None:
        return None
    message = await session.get(Message, a.message_id)
    conversation = await session.get(Conversation, message.conversation_id) if message else None
    if message is None or conversation is None:
        return None
    return conversation, message


async def _readable_by_agent(session: AsyncSession, p: Principal, a: Attachment) -> bool:
    if a.tenant_id != p.tenant_id:
        return False
    linked = await _conversation_of(session, a)
    if linked is None:
        return p.is_manager or a.uploader_id == p.user_id
    return repo.can_see(p, linked[0])


async def _readable_by_contact(session: AsyncSession, p: ContactPrincipal, a: Attachment) -> bool:
    if a.tenant_id != p.tenant_id:
        return False
    linked = await _conversation_of(session, a)
    if linked is None:
        return a.uploader_id == p.contact_id
    conversation, message = linked
    return conversation.contact_id == p.contact_id and not message.private


@router.post("/attachments", response_model=AttachmentOut, status_code=201)
async def upload(
    file: UploadFile, request: Request, principal: AnyPrincipal, session: DbSession
) -> AttachmentOut:
    uploader_id = principal.user_id or principal.api_key_id
    assert uploader_id is not None
    a = await store_upload(
        session, runtime_of(request), principal.tenant_id, ("agent", uploader_id), file
    )
    await commit(session)
    return _out(a)


@router.get("/attachments/{attachment_id}")
async def download(
    attachment_id: uuid.UUID, request: Request, principal: AnyPrincipal, session: DbSession
) -> FileResponse:
    a = await session.get(Attachment, attachment_id)
    if a is None or not await _readable_by_agent(session, principal, a):
        raise NotFound("attachment")
    return _download(request, a)


@router.post("/widget/attachments", response_model=AttachmentOut, status_code=201)
async def widget_upload(
    file: UploadFile, request: Request, contact: CurrentContact, session: DbSession
) -> AttachmentOut:
    rt = runtime_of(request)
    a = await store_upload(session, rt, contact.tenant_id, ("contact", contact.contact_id), file)
    await commit(session)
    return _out(a)


@router.get("/widget/attachments/{attachment_id}")
async def widget_download(
    attachment_id: uuid.UUID,
    request: Request,
    session: DbSession,
    token: str = Query(max_length=128),
) -> FileResponse:
    contact = await principal_from_contact_token(session, token)
    if contact is None:
        raise Unauthorized("invalid_token")
    a = await session.get(Attachment, attachment_id)
    if a is None or not await _readable_by_contact(session, contact, a):
        raise NotFound("attachment")
    return _download(request, a)
