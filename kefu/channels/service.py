"""Writes for inboxes."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kefu.channels.models import Inbox
from kefu.channels.schemas import InboxIn, InboxUpdateIn
from kefu.core.security import random_token

DEFAULT_SETTINGS: dict[str, Any] = {
    "greeting": {"en": "Hi! How can we help?", "zh-CN": "您好！请问有什么可以帮您？"},
    "color": "#1f6feb",
    "languages": ["zh-CN", "en"],
    "bot_enabled": False,
}


async def create_inbox(
    session: AsyncSession, tenant_id: uuid.UUID, data: InboxIn, channel_type: str = "widget"
) -> Inbox:
    inbox = Inbox(
        tenant_id=tenant_id,
        name=data.name,
        channel_type=channel_type,
        widget_key=random_token(18),
        allowed_origins=data.allowed_origins,
        settings={**DEFAULT_SETTINGS, **data.settings},
    )
    session.add(inbox)
    await session.flush()
    return inbox


async def update_inbox(inbox: Inbox, data: InboxUpdateIn) -> Inbox:
    if data.name is not None:
        inbox.name = data.name
    if data.allowed_origins is not None:
        inbox.allowed_origins = data.allowed_origins
    if data.settings is not None:
        inbox.settings = {**inbox.settings, **data.settings}
    return inbox


def origin_allowed(inbox: Inbox, origin: str | None, own_origin: str, extra: list[str]) -> bool:
    """Browsers send Origin; server-to-server callers don't. Same-origin pages always pass."""
    if origin is None or origin == own_origin:
        return True
    return origin in inbox.allowed_origins or origin in extra
