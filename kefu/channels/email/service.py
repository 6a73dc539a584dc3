"""Inbound email → tickets: de-duplicate on Message-ID, thread by In-Reply-To / References
(then by the `[#N]` subject tag from the same requester), keep attachments, never loop."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath

import anyio
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.channels.email.models import EmailRecord, Mailbox
from kefu.channels.email.parse import InboundEmail
from kefu.contacts.models import Contact
from kefu.conversations.attachments import ALLOWED_TYPES, safe_filename, storage_root
from kefu.conversations.models import Attachment
from kefu.core.context import Runtime
from kefu.tickets import service as tickets
from kefu.tickets.models import Ticket
from kefu.tickets.requesters import contact_by_email
from kefu.tickets.states import TicketStatus

EMAIL = "email"


@dataclass(frozen=True)
class Ingested:
    outcome: str  # created | threaded | duplicate | ignored
    ticket_id: uuid.UUID | None = None


async def _claim_message_id(session: AsyncSession, record: EmailRecord) -> bool:
    """Insert the record; False when this Message-ID was already seen (the same email again)."""
    try:
        async with session.begin_nested():
            session.add(record)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def _seen(session: AsyncSession, tenant_id: uuid.UUID, message_id: str) -> bool:
    stmt = select(EmailRecord.id).where(
        EmailRecord.tenant_id == tenant_id, EmailRecord.message_id == message_id
    )
    return (await session.execute(stmt)).first() is not None


async def thread_ticket(
    session: AsyncSession, mailbox: Mailbox, mail: InboundEmail, requester: Contact
) -> Ticket | None:
    if mail.thread_ids:
        stmt = select(EmailRecord.ticket_id).where(
            EmailRecord.tenant_id == mailbox.tenant_id,
            EmailRecord.message_id.in_(list(mail.thread_ids)),
            EmailRecord.ticket_id.is_not(None),
        )
        ticket_id = (await session.execute(stmt.limit(1))).scalar_one_or_none()
        if ticket_id is not None:
            return await session.get(Ticket, ticket_id)
    number = mail.ticket_number()
    if number is None:
        return None
    stmt2 = select(Ticket).where(
        Ticket.tenant_id == mailbox.tenant_id,
        Ticket.number == number,
        Ticket.requester_id == requester.id,
    )
    return (await session.execute(stmt2)).scalar_one_or_none()


async def _store_attachments(
    session: AsyncSession, rt: Runtime, contact: Contact, mail: InboundEmail
) -> list[dict[str, object]]:
    kept: list[dict[str, object]] = []
    for part in mail.attachments:
        filename = safe_filename(part.filename)
        ext = PurePath(filename).suffix.lower()
        if ext not in ALLOWED_TYPES or len(part.data) > rt.settings.max_upload_bytes:
            kept.append({"filename": filename, "skipped": True, "size": len(part.data)})
            continue
        attachment_id = uuid.uuid4()
        key = f"{contact.tenant_id}/{attachment_id}"
        path = anyio.Path(storage_root(rt) / key)
        await path.parent.mkdir(parents=True, exist_ok=True)
        await path.write_bytes(part.data)
        row = Attachment(
            id=attachment_id,
            tenant_id=contact.tenant_id,
            uploader_type="contact",
            uploader_id=contact.id,
            filename=filename,
            content_type=ALLOWED_TYPES[ext],
            size=len(part.data),
            storage_key=key,
        )
        session.add(row)
        kept.append(
            {
                "id": str(attachment_id),
                "filename": filename,
                "content_type": row.content_type,
                "size": row.size,
            }
        )
    return kept


def _record(mailbox: Mailbox, mail: InboundEmail) -> EmailRecord:
    kind = "bounce" if mail.bounce else "auto_reply" if mail.auto_reply else "message"
    own = mail.from_addr == mailbox.address.lower()
    return EmailRecord(
        tenant_id=mailbox.tenant_id,
        mailbox_id=mailbox.id,
        message_id=mail.message_id[:500],
        direction="in",
        kind="loop" if own else kind,
        status="ignored" if mail.automatic or own else "received",
        from_addr=mail.from_addr[:320],
        to_addr=",".join(mail.to)[:320],
        subject=mail.subject,
        body=mail.text[:20_000],
        in_reply_to=mail.in_reply_to[0] if mail.in_reply_to else None,
        references=" ".join(mail.references)[:10_000],
    )


async def ingest(
    session: AsyncSession, rt: Runtime, mailbox: Mailbox, mail: InboundEmail
) -> Ingested:
    """Apply one inbound email in the caller's transaction (the caller commits)."""
    if await _seen(session, mailbox.tenant_id, mail.message_id):
        return Ingested("duplicate")
    record = _record(mailbox, mail)
    if not await _claim_message_id(session, record):
        return Ingested("duplicate")
    if record.status == "ignored" or not mail.from_addr:
        return Ingested("ignored")  # auto-replies, bounces and our own mail never start threads
    requester = await contact_by_email(session, mailbox.tenant_id, mail.from_addr, mail.from_name)
    files = await _store_attachments(session, rt, requester, mail)
    ticket = await thread_ticket(session, mailbox, mail, requester)
    actor = tickets.Actor("contact", requester.id)
    if ticket is not None and ticket.status != TicketStatus.CLOSED:
        draft = tickets.CommentDraft(mail.text or "(empty)", True, EMAIL, mail.html, files)
        await tickets.add_comment(session, rt, ticket, actor, draft)
        record.ticket_id = ticket.id
        return Ingested("threaded", ticket.id)
    new = tickets.NewTicket(
        subject=mail.subject or "(no subject)",
        requester=requester,
        description=mail.text,
        channel=EMAIL,
        inbox_id=mailbox.inbox_id,
        email_subject=mail.subject,
        requester_texts=[mail.subject, mail.text],
    )
    ticket = await tickets.create_ticket(session, rt, new, actor)
    first = tickets.CommentDraft(mail.text or "(empty)", True, EMAIL, mail.html, files)
    await tickets.add_comment(session, rt, ticket, actor, first)
    record.ticket_id = ticket.id
    return Ingested("created", ticket.id)


async def ingest_raw(rt: Runtime, mailbox_id: uuid.UUID, raw: bytes) -> Ingested:
    """Parse and apply one email in its own transaction (IMAP poll, SMTP endpoint)."""
    from kefu.channels.adapters import adapter_for
    from kefu.core.deps import commit

    adapter = adapter_for(EMAIL)
    assert adapter is not None
    mail: InboundEmail = adapter.parse_inbound(raw)
    async with rt.db.sessions() as session:
        mailbox = await session.get(Mailbox, mailbox_id)
        if mailbox is None:
            return Ingested("ignored")
        result = await ingest(session, rt, mailbox, mail)
        await commit(session)
        return result
