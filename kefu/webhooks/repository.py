"""Tenant-scoped reads of webhook endpoints and their delivery logs."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.auth import Principal
from kefu.core.errors import NotFound
from kefu.core.pagination import Cursor
from kefu.realtime.models import EventRecord
from kefu.webhooks.models import Webhook, WebhookDelivery


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


async def get_delivery_for(
    session: AsyncSession, webhook: Webhook, delivery_id: uuid.UUID
) -> WebhookDelivery:
    """A logged delivery of `webhook` (itself got with `get_webhook_for`)."""
    delivery = await session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.webhook_id != webhook.id:
        raise NotFound("webhook_delivery")
    return delivery


def older_than(cursor: Cursor) -> ColumnElement[bool]:
    """Deliveries after `cursor` in newest-first order: (attempted_at, id) below it."""
    at, ident = WebhookDelivery.attempted_at, WebhookDelivery.id
    return or_(at < cursor.at, and_(at == cursor.at, ident < cursor.id))


async def deliveries_of(
    session: AsyncSession, webhook: Webhook, before: Cursor | None, limit: int
) -> list[WebhookDelivery]:
    """Newest first; one more than `limit` when there are more."""
    stmt = select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook.id)
    if before is not None:
        stmt = stmt.where(older_than(before))
    stmt = stmt.order_by(WebhookDelivery.attempted_at.desc(), WebhookDelivery.id.desc())
    return list((await session.execute(stmt.limit(limit + 1))).scalars())
