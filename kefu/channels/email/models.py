"""Mailboxes (one per email inbox, secrets kept server-side) and every email seen or sent."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kefu.core.db import Base, UTCDateTime, new_id, utcnow
from kefu.core.sealing import Sealed


class Mailbox(Base):
    __tablename__ = "email_mailboxes"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    inbox_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inboxes.id"))
    address: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    imap_host: Mapped[str | None] = mapped_column(String(255), default=None)
    imap_port: Mapped[int] = mapped_column(Integer, default=993)
    imap_ssl: Mapped[bool] = mapped_column(Boolean, default=True)
    imap_user: Mapped[str | None] = mapped_column(String(320), default=None)
    imap_password: Mapped[str | None] = mapped_column(Sealed(500), default=None)
    imap_folder: Mapped[str] = mapped_column(String(200), default="INBOX")
    imap_uidvalidity: Mapped[int | None] = mapped_column(Integer, default=None)
    imap_last_uid: Mapped[int] = mapped_column(Integer, default=0)
    smtp_host: Mapped[str | None] = mapped_column(String(255), default=None)
    smtp_port: Mapped[int] = mapped_column(Integer, default=587)
    smtp_security: Mapped[str] = mapped_column(String(16), default="starttls")
    smtp_user: Mapped[str | None] = mapped_column(String(320), default=None)
    smtp_password: Mapped[str | None] = mapped_column(Sealed(500), default=None)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EmailRecord(Base):
    """One email in or out: threading (Message-ID) and de-duplication; outbound is an outbox."""

    __tablename__ = "email_messages"
    __table_args__ = (
        UniqueConstraint("tenant_id", "message_id"),
        Index("ix_email_messages_outbox", "direction", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), index=True)
    mailbox_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("email_mailboxes.id"), index=True)
    message_id: Mapped[str] = mapped_column(String(500))
    direction: Mapped[str] = mapped_column(String(8))  # in | out
    kind: Mapped[str] = mapped_column(String(16), default="message")  # message|auto_reply|bounce
    status: Mapped[str] = mapped_column(String(16))  # received|ignored|pending|sent|failed
    ticket_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tickets.id"), default=None)
    comment_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    from_addr: Mapped[str] = mapped_column(String(320), default="")
    to_addr: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    in_reply_to: Mapped[str | None] = mapped_column(String(500), default=None)
    references: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
