"""The email channel adapter: parse RFC 5322 bytes in, send over SMTP out."""

from __future__ import annotations

import smtplib
import ssl
import uuid
from dataclasses import dataclass

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.channels.adapters import ReplyTarget
from kefu.channels.email import outbox
from kefu.channels.email.parse import InboundEmail, parse_email
from kefu.core.context import Runtime

TIMEOUT = 30.0


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # none | starttls | ssl
    user: str | None
    password: str | None


@dataclass(frozen=True)
class OutboundEmail:
    smtp: SmtpConfig
    sender: str
    recipient: str
    message: bytes


def _send_blocking(out: OutboundEmail) -> None:
    cfg = out.smtp
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if cfg.security == "ssl":
        client = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(cfg.host, cfg.port, timeout=TIMEOUT)
    with client:
        if cfg.security == "starttls":
            client.starttls(context=context)
        if cfg.user and cfg.password:
            client.login(cfg.user, cfg.password)
        client.sendmail(out.sender, [out.recipient], out.message)


class EmailAdapter:
    channel_type = "email"

    def parse_inbound(self, raw: bytes) -> InboundEmail:
        return parse_email(raw)

    async def send(self, rt: Runtime, outbound: OutboundEmail) -> None:
        await anyio.to_thread.run_sync(_send_blocking, outbound)

    async def queue_reply(
        self,
        session: AsyncSession,
        rt: Runtime,
        target: ReplyTarget,
        comment_id: uuid.UUID,
        body: str,
    ) -> None:
        await outbox.queue_reply(session, rt, target, comment_id, body)
