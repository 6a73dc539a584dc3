"""Deliver new durable events to the tenants' webhook endpoints; prune the delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.context import Runtime
from kefu.core.db import rows_affected, utcnow
from kefu.core.jobs import PeriodicJob
from kefu.core.pagination import Cursor
from kefu.webhooks.models import WebhookDelivery
from kefu.webhooks.repository import older_than
from kefu.webhooks.service import deliver_webhooks

KEEP_PER_WEBHOOK = 500
KEEP_DAYS = 30


async def _oldest_kept(session: AsyncSession, webhook_id: uuid.UUID) -> Cursor | None:
    """The `KEEP_PER_WEBHOOK`-th newest delivery of an endpoint, if it has that many."""
    stmt = (
        select(WebhookDelivery.attempted_at, WebhookDelivery.id)
        .where(WebhookDelivery.webhook_id == webhook_id)
        .order_by(WebhookDelivery.attempted_at.desc(), WebhookDelivery.id.desc())
        .offset(KEEP_PER_WEBHOOK - 1)
        .limit(1)
    )
    row = (await session.execute(stmt)).first()
    return None if row is None else Cursor(row[0], row[1])


async def prune_deliveries(rt: Runtime, now: datetime | None = None) -> int:
    """Keep each endpoint's newest `KEEP_PER_WEBHOOK` deliveries of the last `KEEP_DAYS` days."""
    cutoff = (now or utcnow()) - timedelta(days=KEEP_DAYS)
    async with rt.db.sessions() as session:
        old = await session.execute(
            delete(WebhookDelivery).where(WebhookDelivery.attempted_at < cutoff)
        )
        removed = rows_affected(old)
        crowded = (
            select(WebhookDelivery.webhook_id)
            .group_by(WebhookDelivery.webhook_id)
            .having(func.count() > KEEP_PER_WEBHOOK)
        )
        for webhook_id in list((await session.execute(crowded)).scalars()):
            kept = await _oldest_kept(session, webhook_id)
            if kept is not None:
                extra = await session.execute(
                    delete(WebhookDelivery).where(
                        WebhookDelivery.webhook_id == webhook_id, older_than(kept)
                    )
                )
                removed += rows_affected(extra)
        await session.commit()
    return removed


JOBS = [
    PeriodicJob("webhooks_deliver", 5.0, deliver_webhooks),
    PeriodicJob("webhooks_prune_deliveries", 3600.0, prune_deliveries),
]
