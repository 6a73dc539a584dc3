"""The per-endpoint delivery log: what each POST got back, redelivery, paging, retention, access."""

from __future__ import annotations

import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from kefu.core.db import utcnow
from kefu.webhooks.models import WebhookDelivery
from kefu.webhooks.service import deliver_webhooks, retry_delay
from kefu.webhooks.tasks import KEEP_DAYS, KEEP_PER_WEBHOOK, prune_deliveries
from tests.factories import Factory, World
from tests.webhooks.helpers import URL, hook_with_alert, logged, new_hook, signature
from tests.webhooks.receiver import running_receiver

# a pass run "an hour from now" backs off past any pass the in-process job may run meanwhile
LATER = timedelta(hours=1)


async def _deliveries(
    client: httpx.AsyncClient, world: World, hook: dict[str, Any], **params: Any
) -> httpx.Response:
    url = f"{URL}/{hook['id']}/deliveries"
    return await client.get(url, params=params, headers=world.admin.headers)


async def _items(client: httpx.AsyncClient, world: World, hook: dict[str, Any]) -> list[Any]:
    r = await _deliveries(client, world, hook)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def _stored(factory: Factory, webhook_id: str) -> int:
    async with factory.rt.db.sessions() as session:
        stmt = select(func.count()).select_from(WebhookDelivery)
        stmt = stmt.where(WebhookDelivery.webhook_id == uuid.UUID(webhook_id))
        return int(await session.scalar(stmt) or 0)


async def test_a_delivered_event_is_logged_ok_with_the_status(
    factory: Factory, client: httpx.AsyncClient, allow_private: None
) -> None:
    world = await factory.world()
    async with running_receiver() as receiver:
        hook = await hook_with_alert(factory, client, world, receiver.url)
        await deliver_webhooks(factory.rt)
    (got,) = receiver.received
    (row,) = await _items(client, world, hook)
    assert row["event_id"] == json.loads(got.body)["id"] and row["event_type"] == "alert.raised"
    assert row["ok"] is True and row["status_code"] == 200 and row["error"] is None
    assert row["redelivery"] is False and row["duration_ms"] >= 0
    stored = json.dumps(row)
    assert hook["secret"] not in stored and got.headers["x-kefu-signature"] not in stored


async def test_a_failure_and_its_retries_are_each_logged(
    factory: Factory, client: httpx.AsyncClient, allow_private: None
) -> None:
    world = await factory.world()
    now = datetime.now(UTC) + LATER
    async with running_receiver(status=500) as receiver:
        hook = await hook_with_alert(factory, client, world, receiver.url)
        await deliver_webhooks(factory.rt, now=now)
        await deliver_webhooks(factory.rt, now=now + retry_delay(1))
        failed = await _items(client, world, hook)
        receiver.status = 200
        await deliver_webhooks(factory.rt, now=now + retry_delay(1) + retry_delay(2))
    rows = await _items(client, world, hook)
    assert len(rows) == len(receiver.received) >= 3  # one row per POST
    assert rows[0]["status_code"] == 200 and rows[0]["ok"] and rows[0]["error"] is None
    assert len(failed) >= 2 and rows[1:] == failed  # newest first
    assert all(r["status_code"] == 500 and r["error"] == "HTTP 500" for r in failed)
    assert not any(r["ok"] for r in failed)
    assert len({r["event_id"] for r in rows}) == 1  # the same event each time


async def test_a_blocked_target_is_logged_without_a_status(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    async with running_receiver() as receiver:
        hook = await hook_with_alert(factory, client, world, receiver.url)
        await deliver_webhooks(factory.rt, allow_private=False, now=utcnow() + LATER)
    assert receiver.received == []
    rows = await _items(client, world, hook)
    assert rows and all(r["status_code"] is None and not r["ok"] for r in rows)
    assert {r["error"] for r in rows} == {"outbound_blocked"}


async def test_redeliver_posts_again_signed_and_leaves_the_cursor(
    factory: Factory, client: httpx.AsyncClient, allow_private: None
) -> None:
    world = await factory.world()
    h = world.admin.headers
    async with running_receiver(status=500) as receiver:
        hook = await hook_with_alert(factory, client, world, receiver.url)
        await deliver_webhooks(factory.rt, now=utcnow() + LATER)
        before = (await client.get(f"{URL}/{hook['id']}", headers=h)).json()
        failed = (await _items(client, world, hook))[-1]
        rotated = (await client.post(f"{URL}/{hook['id']}/secret", headers=h)).json()["secret"]
        receiver.status = 200
        url = f"{URL}/{hook['id']}/deliveries/{failed['id']}/redeliver"
        r = await client.post(url, headers=h)
    assert r.status_code == 201, r.text
    again = r.json()
    assert again["redelivery"] is True and again["ok"] is True and again["status_code"] == 200
    assert again["event_id"] == failed["event_id"] and again["id"] != failed["id"]
    first, second = receiver.received[0], receiver.received[-1]
    assert second.body == first.body  # the same event, signed afresh with the current secret
    assert hmac.compare_digest(second.headers["x-kefu-signature"], signature(rotated, second.body))
    after = (await client.get(f"{URL}/{hook['id']}", headers=h)).json()
    assert after["last_event_id"] == before["last_event_id"] < failed["event_id"]
    assert after["failures"] == before["failures"] and after["last_error"] == "HTTP 500"
    assert (await _items(client, world, hook))[0]["id"] == again["id"]


async def test_an_event_no_longer_in_the_log_cannot_be_redelivered(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    hook = await new_hook(client, world, "https://example.com/hook")
    (delivery_id,) = await logged(factory.rt, hook["id"])
    url = f"{URL}/{hook['id']}/deliveries/{delivery_id}/redeliver"
    r = await client.post(url, headers={**world.admin.headers, "Accept-Language": "zh-CN"})
    assert r.status_code == 409 and r.json()["code"] == "webhook_event_pruned"
    assert "无法重新投递" in r.json()["message"]
    assert await _stored(factory, hook["id"]) == 1  # nothing written


async def test_deliveries_are_paged_newest_first(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    hook = await new_hook(client, world, "https://example.com/hook")
    ids = await logged(factory.rt, hook["id"], 5)  # newest first
    seen: list[str] = []
    cursor = None
    for size in (2, 2, 1):
        params: dict[str, Any] = {"limit": 2} | ({"before": cursor} if cursor else {})
        page = (await _deliveries(client, world, hook, **params)).json()
        assert len(page["items"]) == size
        seen += [row["id"] for row in page["items"]]
        cursor = page["next_cursor"]
    assert seen == ids and cursor is None


async def test_bad_paging_parameters_are_refused(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    hook = await new_hook(client, world, "https://example.com/hook")
    zh = {**world.admin.headers, "Accept-Language": "zh-CN"}
    for params in ({"limit": 0}, {"limit": 101}, {"limit": "x"}, {"before": "not-a-cursor"}):
        r = await client.get(f"{URL}/{hook['id']}/deliveries", params=params, headers=zh)
        assert r.status_code == 422, (params, r.text)
        assert r.json()["code"] == "validation_error" and "输入无效" in r.json()["message"]


async def test_retention_keeps_the_newest_rows_of_the_last_days(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    busy = await new_hook(client, world, "https://example.com/busy")
    quiet = await new_hook(client, world, "https://example.com/quiet")
    now = utcnow()
    busy_ids = await logged(factory.rt, busy["id"], KEEP_PER_WEBHOOK + 5, at=now)
    old = now - timedelta(days=KEEP_DAYS, minutes=1)
    await logged(factory.rt, quiet["id"], 2, at=old)
    (recent,) = await logged(factory.rt, quiet["id"], at=now)
    assert await prune_deliveries(factory.rt, now=now) >= 5 + 2  # other tests' rows may go too
    assert await _stored(factory, busy["id"]) == KEEP_PER_WEBHOOK
    newest = (await _items(client, world, busy))[0]
    assert newest["id"] == busy_ids[0]
    assert [row["id"] for row in await _items(client, world, quiet)] == [recent]
    r = await client.delete(f"{URL}/{quiet['id']}", headers=world.admin.headers)
    assert r.status_code == 204 and await _stored(factory, quiet["id"]) == 0


async def test_only_admins_see_and_redeliver(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    hook = await new_hook(client, world, "https://example.com/hook")
    (delivery_id,) = await logged(factory.rt, hook["id"])
    url = f"{URL}/{hook['id']}/deliveries"
    for user in (world.supervisor, world.agent):
        assert (await client.get(url, headers=user.headers)).status_code == 403
        r = await client.post(f"{url}/{delivery_id}/redeliver", headers=user.headers)
        assert r.status_code == 403
    assert (await client.get(url)).status_code == 401
    assert await _stored(factory, hook["id"]) == 1


async def test_another_tenants_deliveries_are_not_found(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    victim, attacker = await factory.world("Victim"), await factory.world("Attacker")
    theirs = await new_hook(client, victim, "https://example.com/hook")
    (delivery_id,) = await logged(factory.rt, theirs["id"])
    mine = await new_hook(client, attacker, "https://example.com/mine")
    h = attacker.admin.headers
    for hook_id in (theirs["id"], mine["id"]):  # their endpoint, or mine with their delivery
        r = await client.post(f"{URL}/{hook_id}/deliveries/{delivery_id}/redeliver", headers=h)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = await client.get(f"{URL}/{theirs['id']}/deliveries", headers=h)
    assert r.status_code == 404
    assert (await _items(client, attacker, mine)) == []
    assert await _stored(factory, theirs["id"]) == 1
