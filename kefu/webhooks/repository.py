"""Tenant-scoped reads of webhook endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.auth import Principal
from kefu.core.errors import NotFound
from kefu.realtime.models import EventRecord
from kefu.webhooks.models import Webhook


async def get_webhook_for(
    session: AsyncSession, principal: Principal, webhook_id: uuid.UUID
) -> Webhook:
    webhook = await session.get(Webhook, webhook_id)
    if webhook is None or webhook.tenant_id != principal.tenant_id:
        raise NotFound("webhook")
    return webhook


async def webhooks_of(session: AsyncSession, tenant_id: uuid.UUID) -> list[Webhook]:
    stmt = select(Webhook).where(Webhook.tenant_id == tenant_id).order_by(Webhook.created_at)
    return list((await session.execute(stmt)).scalars())


async def enabled_webhooks(session: AsyncSession, now: datetime) -> list[Webhook]:
    """Enabled endpoints not waiting out a back-off."""
    due = or_(Webhook.retry_at.is_(None), Webhook.retry_at <= now)
    stmt = select(Webhook).where(Webhook.enabled.is_(True), due).order_by(Webhook.id)
    return list((await session.execute(stmt)).scalars())


async def events_after(
    session: AsyncSession, tenant_id: uuid.UUID, after: int, limit: int
) -> list[EventRecord]:
    stmt = (
        select(EventRecord)
        .where(EventRecord.tenant_id == tenant_id, EventRecord.id > after)
        .order_by(EventRecord.id)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())
