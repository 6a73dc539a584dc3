"""Tenant-scoped queries for inboxes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.channels.models import Inbox
from kefu.core.auth import Principal
from kefu.core.errors import NotFound


async def get_inbox_for(session: AsyncSession, principal: Principal, inbox_id: uuid.UUID) -> Inbox:
    inbox = await session.get(Inbox, inbox_id)
    if inbox is None or inbox.tenant_id != principal.tenant_id:
        raise NotFound("inbox")
    return inbox


async def get_inbox_by_key(session: AsyncSession, widget_key: str) -> Inbox | None:
    stmt = select(Inbox).where(Inbox.widget_key == widget_key)
    return (await session.execute(stmt)).scalar_one_or_none()


async def list_inboxes(session: AsyncSession, principal: Principal) -> Sequence[Inbox]:
    stmt = select(Inbox).where(Inbox.tenant_id == principal.tenant_id).order_by(Inbox.created_at)
    return (await session.execute(stmt)).scalars().all()
