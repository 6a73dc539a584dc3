"""Helpers of the webhook tests: an endpoint, an event it receives, logged deliveries."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from kefu.analytics.alerts import evaluate_alerts
from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.webhooks.models import Webhook
from kefu.webhooks.service import Attempt, deliver_webhooks, record_attempts
from tests.factories import Factory, World

URL = "/api/v1/webhooks"


async def new_hook(client: httpx.AsyncClient, world: World, url: str) -> dict[str, Any]:
    body = {"url": url, "event_types": ["alert.*", "ticket.created"]}
    r = await client.post(URL, json=body, headers=world.admin.headers)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def raise_alert(factory: Factory, client: httpx.AsyncClient, world: World) -> str:
    """An `alert.raised` event in the world's tenant; returns the alert rule's id."""
    body = {"name": "Queue building up", "metric": "waiting", "threshold": 0}
    h = world.supervisor.headers
    rule = (await client.post("/api/v1/analytics/alert-rules", json=body, headers=h)).json()
    await factory.contact_says(await factory.visitor(world), "hello")
    await evaluate_alerts(factory.rt)
    return str(rule["id"])


async def event_delivered(factory: Factory, client: httpx.AsyncClient, world: World) -> None:
    """An `alert.raised` event, then one delivery pass."""
    await raise_alert(factory, client, world)
    await deliver_webhooks(factory.rt)


async def hook_with_alert(
    factory: Factory, client: httpx.AsyncClient, world: World, url: str
) -> dict[str, Any]:
    """An endpoint at `url`, then an `alert.raised` event it subscribes to."""
    hook = await new_hook(client, world, url)
    await raise_alert(factory, client, world)
    return hook


def signature(secret: str, body: bytes) -> str:
    """`X-Kefu-Signature` as a receiver computes it (docs/webhooks.md)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def logged(
    rt: Runtime, webhook_id: str, count: int = 1, *, at: datetime | None = None
) -> list[str]:
    """Log `count` deliveries of an event that is not in the event log, one second apart
    (newest at `at`), through the service's own write: for tests that need rows, not POSTs."""
    newest = at or utcnow()
    attempts = [
        Attempt(10**12 + i, "alert.raised", newest - timedelta(seconds=i), 3, 200)
        for i in range(count)
    ]
    async with rt.db.sessions() as session:
        webhook = await session.get(Webhook, uuid.UUID(webhook_id))
        assert webhook is not None
        rows = await record_attempts(session, webhook, attempts)
        await session.commit()
    return [str(row.id) for row in rows]
