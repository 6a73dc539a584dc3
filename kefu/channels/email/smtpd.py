"""An SMTP receiving endpoint for self-hosting (aiosmtpd): mail to a mailbox's address
becomes tickets, as if fetched over IMAP. Run with `kefu email smtpd`."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from kefu.channels.email.models import Mailbox
from kefu.channels.email.service import ingest_raw
from kefu.core.context import Runtime


class KefuHandler:
    """aiosmtpd handler: refuse unknown recipients at RCPT, ingest once per mailbox at DATA."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    async def _mailbox_id(self, address: str) -> Any:
        async with self.rt.db.sessions() as session:
            stmt = select(Mailbox.id).where(
                func.lower(Mailbox.address) == address.lower(), Mailbox.active.is_(True)
            )
            return (await session.execute(stmt)).scalar_one_or_none()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if await self._mailbox_id(address) is None:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        if not isinstance(raw, bytes):
            raw = str(raw).encode()
        for address in dict.fromkeys(envelope.rcpt_tos):
            mailbox_id = await self._mailbox_id(address)
            if mailbox_id is not None:
                await ingest_raw(self.rt, mailbox_id, raw)
        return "250 Message accepted for delivery"


async def serve(rt: Runtime, host: str, port: int) -> asyncio.Server:
    """Listen on the running event loop (the runtime's database engine lives on it)."""
    from aiosmtpd.smtp import SMTP  # only the SMTP endpoint needs aiosmtpd

    handler = KefuHandler(rt)
    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: SMTP(handler, hostname="kefu", decode_data=False), host=host, port=port
    )
