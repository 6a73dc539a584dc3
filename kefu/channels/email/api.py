"""Admin endpoints for mailboxes; a manual poll. Passwords are write-only."""

from __future__ import annotations

import imaplib
import uuid
from collections import Counter

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.channels.email.imap import poll_mailbox
from kefu.channels.email.models import Mailbox
from kefu.channels.email.schemas import MailboxIn, MailboxOut, MailboxUpdateIn, PollOut
from kefu.channels.schemas import InboxIn
from kefu.channels.service import create_inbox
from kefu.core.auth import Principal
from kefu.core.context import runtime_of
from kefu.core.deps import DbSession, commit, rollback
from kefu.core.errors import Conflict, NotFound, Unavailable
from kefu.tenants.auth import AdminPrincipal

router = APIRouter(prefix="/api/v1/email/mailboxes", tags=["email"])


def mailbox_out(m: Mailbox) -> MailboxOut:
    data = {k: getattr(m, k) for k in MailboxOut.model_fields if hasattr(m, k)}
    return MailboxOut(
        **data, imap_password_set=bool(m.imap_password), smtp_password_set=bool(m.smtp_password)
    )


async def get_mailbox_for(
    session: AsyncSession, principal: Principal, mailbox_id: uuid.UUID
) -> Mailbox:
    found = await session.get(Mailbox, mailbox_id)
    if found is None or found.tenant_id != principal.tenant_id:
        raise NotFound("mailbox")
    return found


@router.get("", response_model=list[MailboxOut])
async def list_mailboxes(principal: AdminPrincipal, session: DbSession) -> list[MailboxOut]:
    stmt = select(Mailbox).where(Mailbox.tenant_id == principal.tenant_id)
    return [mailbox_out(m) for m in (await session.execute(stmt)).scalars()]


@router.post("", response_model=MailboxOut, status_code=201)
async def create_mailbox(
    body: MailboxIn, principal: AdminPrincipal, session: DbSession
) -> MailboxOut:
    address = str(body.address).lower()
    inbox = await create_inbox(
        session, principal.tenant_id, InboxIn(name=body.display_name or address), "email"
    )
    mailbox = Mailbox(
        tenant_id=principal.tenant_id,
        inbox_id=inbox.id,
        **{**body.model_dump(), "address": address},
    )
    session.add(mailbox)
    try:
        await session.flush()
    except IntegrityError as exc:
        await rollback(session)
        raise Conflict("mailbox_taken") from exc
    await commit(session)
    return mailbox_out(mailbox)


@router.get("/{mailbox_id}", response_model=MailboxOut)
async def get_mailbox(
    mailbox_id: uuid.UUID, principal: AdminPrincipal, session: DbSession
) -> MailboxOut:
    return mailbox_out(await get_mailbox_for(session, principal, mailbox_id))


@router.patch("/{mailbox_id}", response_model=MailboxOut)
async def update_mailbox(
    mailbox_id: uuid.UUID, body: MailboxUpdateIn, principal: AdminPrincipal, session: DbSession
) -> MailboxOut:
    mailbox = await get_mailbox_for(session, principal, mailbox_id)
    for key, value in body.model_dump(exclude_unset=True).items():
        if key.endswith("_password"):
            value = value or None
        elif value is None and key not in ("imap_host", "imap_user", "smtp_host", "smtp_user"):
            continue
        setattr(mailbox, key, value)
    await commit(session)
    return mailbox_out(mailbox)


@router.post("/{mailbox_id}/poll", response_model=PollOut)
async def poll_now(
    mailbox_id: uuid.UUID, request: Request, principal: AdminPrincipal, session: DbSession
) -> PollOut:
    mailbox = await get_mailbox_for(session, principal, mailbox_id)
    session.expunge(mailbox)  # keep its loaded settings; rollback would expire them
    await rollback(session)  # release the connection: ingestion opens its own transactions
    try:
        counts: Counter[str] = await poll_mailbox(runtime_of(request), mailbox)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise Unavailable(detail="IMAP") from exc
    keys = ("fetched", "created", "threaded", "duplicate", "ignored")
    return PollOut(**{k: counts[k] for k in keys})
