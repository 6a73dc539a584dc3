"""Outbound email: replies are stored with the change that made them, then sent (at least once,
each claim a guarded UPDATE), threaded with In-Reply-To / References under our own Message-ID."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.channels.adapters import ReplyTarget
from kefu.channels.email.models import EmailRecord, Mailbox
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.deps import after_commit

log = logging.getLogger(__name__)
MAX_REFERENCES = 20
MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=10)


async def mailbox_for(session: AsyncSession, target: ReplyTarget) -> Mailbox | None:
    """The ticket's own mailbox; else (a widget or API ticket whose requester left an email
    address) the tenant's first active mailbox with SMTP."""
    if target.inbox_id is not None:
        stmt = select(Mailbox).where(
            Mailbox.tenant_id == target.tenant_id, Mailbox.inbox_id == target.inbox_id
        )
        own = (await session.execute(stmt)).scalar_one_or_none()
        if own is not None:
            return own
    stmt = (
        select(Mailbox)
        .where(
            Mailbox.tenant_id == target.tenant_id,
            Mailbox.active.is_(True),
            Mailbox.smtp_host.is_not(None),
        )
        .order_by(Mailbox.created_at)
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def _thread(session: AsyncSession, target: ReplyTarget) -> list[EmailRecord]:
    stmt = (
        select(EmailRecord)
        .where(
            EmailRecord.tenant_id == target.tenant_id,
            EmailRecord.ticket_id == target.ticket_id,
            EmailRecord.kind == "message",
        )
        .order_by(EmailRecord.created_at)
    )
    return list((await session.execute(stmt)).scalars())


def reply_subject(subject: str, number: int) -> str:
    tag = f"[#{number}]"
    base = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    return base if tag in base else f"{base} {tag}"


async def queue_reply(
    session: AsyncSession,
    rt: Runtime,
    target: ReplyTarget,
    comment_id: uuid.UUID,
    body: str,
) -> EmailRecord | None:
    mailbox = await mailbox_for(session, target)
    if mailbox is None or not target.requester_email:
        return None
    thread = await _thread(session, target)
    inbound = [r.message_id for r in thread if r.direction == "in"]
    domain = mailbox.address.rpartition("@")[2] or "kefu.local"
    footer = f"\n\n--\n{target.portal_url}" if target.portal_url else ""
    if target.rating_url:
        footer += f"\n\n请评价本次服务 / How did we do? {target.rating_url}"
    record = EmailRecord(
        tenant_id=target.tenant_id,
        mailbox_id=mailbox.id,
        message_id=make_msgid(idstring=f"t{target.number}", domain=domain),
        direction="out",
        status="pending",
        ticket_id=target.ticket_id,
        comment_id=comment_id,
        from_addr=mailbox.address,
        to_addr=target.requester_email,
        subject=reply_subject(target.subject, target.number),
        body=body + footer,
        in_reply_to=inbound[-1] if inbound else None,
        references=" ".join(r.message_id for r in thread[-MAX_REFERENCES:]),
    )
    session.add(record)
    await session.flush()
    record_id = record.id

    async def _send_now() -> None:
        task = asyncio.create_task(deliver(rt, record_id))
        rt.extras.setdefault("email_tasks", set()).add(task)
        task.add_done_callback(rt.extras["email_tasks"].discard)

    after_commit(session, f"email:{record_id}", _send_now)
    return record


def build_message(record: EmailRecord, mailbox: Mailbox) -> bytes:
    msg = EmailMessage()
    msg["From"] = formataddr((mailbox.display_name, mailbox.address))
    msg["To"] = record.to_addr
    msg["Subject"] = record.subject
    msg["Message-ID"] = record.message_id
    msg["Date"] = format_datetime(record.created_at)
    if record.in_reply_to:
        msg["In-Reply-To"] = record.in_reply_to
    if record.references:
        msg["References"] = record.references
    msg.set_content(record.body)
    return msg.as_bytes()


async def _claim(rt: Runtime, record_id: uuid.UUID) -> bool:
    async with rt.db.sessions() as session:
        stmt = (
            update(EmailRecord)
            .where(EmailRecord.id == record_id, EmailRecord.status == "pending")
            .values(status="sending", attempts=EmailRecord.attempts + 1, last_error=None)
            .returning(EmailRecord.id)
        )
        claimed = (await session.execute(stmt)).scalar_one_or_none() is not None
        await session.commit()
        return claimed


async def deliver(rt: Runtime, record_id: uuid.UUID) -> bool:
    """Send one pending email; True when this call sent it."""
    from kefu.channels.email.adapter import EmailAdapter, OutboundEmail, SmtpConfig

    if not await _claim(rt, record_id):
        return False
    async with rt.db.sessions() as session:
        record = await session.get(EmailRecord, record_id)
        assert record is not None
        mailbox = await session.get(Mailbox, record.mailbox_id)
        assert mailbox is not None
        try:
            if not mailbox.smtp_host:
                raise RuntimeError("mailbox has no SMTP host")
            smtp = SmtpConfig(
                mailbox.smtp_host,
                mailbox.smtp_port,
                mailbox.smtp_security,
                mailbox.smtp_user,
                mailbox.smtp_password,
            )
            out = OutboundEmail(
                smtp, mailbox.address, record.to_addr, build_message(record, mailbox)
            )
            await EmailAdapter().send(rt, out)
        except Exception as exc:
            log.warning("email %s not sent: %s", record_id, type(exc).__name__)
            record.status = "failed" if record.attempts >= MAX_ATTEMPTS else "pending"
            record.last_error = f"{type(exc).__name__}: {exc}"[:500]
            await session.commit()
            return False
        record.status, record.sent_at = "sent", utcnow()
        await session.commit()
        return True


async def deliver_pending(rt: Runtime) -> int:
    """The outbox job: retry what is pending, and release claims left by a crashed process."""
    async with rt.db.sessions() as session:
        await session.execute(
            update(EmailRecord)
            .where(
                EmailRecord.direction == "out",
                EmailRecord.status == "sending",
                EmailRecord.created_at < utcnow() - STUCK_AFTER,
            )
            .values(status="pending")
        )
        stmt = select(EmailRecord.id).where(
            EmailRecord.direction == "out", EmailRecord.status == "pending"
        )
        ids = list((await session.execute(stmt.limit(100))).scalars())
        await session.commit()
    sent = 0
    for record_id in ids:
        sent += await deliver(rt, record_id)
    return sent
