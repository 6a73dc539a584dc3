"""Channel adapters, keyed by channel type: each turns its protocol into inbound data
(`parse_inbound`) and sends outbound replies (`send`, `queue_reply`). No `if channel == ...`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.context import Runtime


@dataclass(frozen=True)
class ReplyTarget:
    """Where a public ticket reply goes: enough to address and thread it."""

    tenant_id: uuid.UUID
    ticket_id: uuid.UUID
    inbox_id: uuid.UUID | None
    number: int
    subject: str
    requester_email: str | None
    requester_name: str
    portal_url: str | None = None
    rating_url: str | None = None


class ChannelAdapter(Protocol):
    channel_type: str

    def parse_inbound(self, raw: bytes) -> Any: ...

    async def send(self, rt: Runtime, outbound: Any) -> None: ...

    async def queue_reply(
        self,
        session: AsyncSession,
        rt: Runtime,
        target: ReplyTarget,
        comment_id: uuid.UUID,
        body: str,
    ) -> None:
        """Store the reply for delivery in the caller's transaction (an outbox: at-least-once)."""
        ...


@cache
def _registry() -> dict[str, ChannelAdapter]:
    from kefu.channels.email.adapter import EmailAdapter  # adapters import the domains lazily

    adapters: list[ChannelAdapter] = [EmailAdapter()]
    return {a.channel_type: a for a in adapters}


def adapter_for(channel_type: str) -> ChannelAdapter | None:
    return _registry().get(channel_type)
