"""Outbound webhooks: the admin API, signed delivery to a real HTTP receiver, retries."""

from __future__ import annotations

import hmac
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import String, func, select, type_coerce

from kefu.core.sealing import PREFIX
from kefu.webhooks.models import Webhook
from kefu.webhooks.service import deliver_webhooks, matches, retry_delay
from tests.factories import Factory
from tests.webhooks.helpers import (
    URL,
    event_delivered,
    hook_with_alert,
    new_hook,
    raise_alert,
    signature,
)
from tests.webhooks.receiver import running_receiver


async def test_an_alert_is_delivered_signed_to_a_real_receiver(
    factory: Factory, client: httpx.AsyncClient, allow_private: None
) -> None:
    world = await factory.world()
    async with running_receiver() as receiver:
        hook = await new_hook(client, world, receiver.url)
        secret = hook["secret"]
        assert secret.startswith("whsec_") and hook["last_error"] is None
        async with factory.rt.db.sessions() as session:  # sealed at rest, not as shown once
            raw = select(type_coerce(Webhook.secret, String()))  # the column's bytes, unopened
            stored = await session.scalar(raw.where(Webhook.id == uuid.UUID(hook["id"])))
        assert stored.startswith(PREFIX) and secret not in stored
        rule_id = await raise_alert(factory, client, world)
        await deliver_webhooks(factory.rt)
        await deliver_webhooks(factory.rt)  # nothing new: nothing sent again
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert hmac.compare_digest(got.headers["x-kefu-signature"], signature(secret, got.body))
    assert got.headers["x-kefu-event"] == "alert.raised"
    event = json.loads(got.body)
    assert set(event) == {"id", "type", "tenant_id", "created_at", "data"}
    assert event["type"] == "alert.raised" and event["tenant_id"] == str(world.tenant_id)
    assert event["data"]["rule"]["id"] == rule_id
    listed = (await client.get(URL, headers=world.admin.headers)).json()
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]
    assert listed[0]["last_event_id"] >= event["id"] and listed[0]["last_delivered_at"]
    await client.delete(f"{URL}/{hook['id']}", headers=world.admin.headers)


async def test_a_rotated_secret_signs_every_later_delivery(
    factory: Factory, client: httpx.AsyncClient, allow_private: None
) -> None:
    world = await factory.world()
    async with running_receiver() as receiver:
        hook = await new_hook(client, world, receiver.url)
        r = await client.post(f"{URL}/{hook['id']}/secret", headers=world.admin.headers)
        assert r.status_code == 200, r.text
        rotated = r.json()
        assert rotated["id"] == hook["id"] and rotated["url"] == receiver.url
        assert rotated["secret"].startswith("whsec_") and rotated["secret"] != hook["secret"]
        await event_delivered(factory, client, world)
    (got,) = receiver.received

    def signed(secret: str) -> str:
        return signature(secret, got.body)

    assert hmac.compare_digest(got.headers["x-kefu-signature"], signed(rotated["secret"]))
    assert got.headers["x-kefu-signature"] != signed(hook["secret"])


async def test_a_rotation_with_grace_signs_with_both_secrets_until_the_grace_ends(
    factory: Factory, client: httpx.AsyncClient, allow_private: None
) -> None:
    world = await factory.world()
    h = world.admin.headers
    async with running_receiver() as receiver:
        hook = await new_hook(client, world, receiver.url)
        r = await client.post(f"{URL}/{hook['id']}/secret", json={"grace_hours": 24}, headers=h)
        assert r.status_code == 200, r.text
        rotated = r.json()
        until = datetime.fromisoformat(rotated["previous_secret_until"])
        assert timedelta(hours=23.9) < until - datetime.now(UTC) <= timedelta(hours=24)
        await event_delivered(factory, client, world)
        async with factory.rt.db.sessions() as session:  # the grace period ends
            row = await session.get(Webhook, uuid.UUID(hook["id"]))
            assert row is not None
            row.previous_secret_until = datetime.now(UTC) - timedelta(seconds=1)
            await session.commit()
        await event_delivered(factory, client, world)
    during, after = receiver.received
    old, new = hook["secret"], rotated["secret"]
    both = f"{signature(new, during.body)}, {signature(old, during.body)}"
    assert during.headers["x-kefu-signature"] == both
    assert after.headers["x-kefu-signature"] == signature(new, after.body)


async def test_rotating_again_without_grace_stops_every_older_secret(
    factory: Factory, client: httpx.AsyncClient, allow_private: None
) -> None:
    world = await factory.world()
    h = world.admin.headers
    async with running_receiver() as receiver:
        hook = await new_hook(client, world, receiver.url)
        url = f"{URL}/{hook['id']}/secret"
        assert (await client.post(url, json={"grace_hours": 24}, headers=h)).status_code == 200
        r = await client.post(url, headers=h)  # the new secret leaked too: no grace this time
        assert r.status_code == 200 and r.json()["previous_secret_until"] is None
        await event_delivered(factory, client, world)
    (got,) = receiver.received
    assert got.headers["x-kefu-signature"] == signature(r.json()["secret"], got.body)


async def test_a_rotation_with_a_bad_grace_is_refused_and_changes_nothing(
    factory: Factory, client: httpx.AsyncClient, allow_private: None
) -> None:
    world = await factory.world()
    h = world.admin.headers
    async with running_receiver() as receiver:
        hook = await new_hook(client, world, receiver.url)
        for grace in (-1, 169, "soon"):
            body = {"grace_hours": grace}
            r = await client.post(f"{URL}/{hook['id']}/secret", json=body, headers=h)
            assert r.status_code == 422 and r.json()["code"] == "validation_error", r.text
        await event_delivered(factory, client, world)
    (got,) = receiver.received
    assert got.headers["x-kefu-signature"] == signature(hook["secret"], got.body)


async def test_a_failing_receiver_is_retried_with_back_off_and_the_cursor_stays(
    factory: Factory, client: httpx.AsyncClient, allow_private: None
) -> None:
    world = await factory.world()
    h = world.admin.headers
    now = datetime.now(UTC)
    async with running_receiver(status=500) as receiver:
        hook = await hook_with_alert(factory, client, world, receiver.url)
        await deliver_webhooks(factory.rt, now=now)
        failed = (await client.get(f"{URL}/{hook['id']}", headers=h)).json()
        assert failed["last_error"] == "HTTP 500" and failed["failures"] == 1
        assert _at(failed["retry_at"]) == now + retry_delay(1)
        await deliver_webhooks(factory.rt, now=now + timedelta(seconds=5))
        assert len(receiver.received) == 1  # resting: not asked again before retry_at
        later = now + retry_delay(1)
        await deliver_webhooks(factory.rt, now=later)
        again = (await client.get(f"{URL}/{hook['id']}", headers=h)).json()
        assert len(receiver.received) == 2 and again["failures"] == 2
        assert _at(again["retry_at"]) == later + retry_delay(2)  # twice as long
        ids = {json.loads(r.body)["id"] for r in receiver.received}
        assert len(ids) == 1  # the same event each time
        # the events before it (not subscribed) are passed over, the failed one is not
        assert hook["last_event_id"] <= again["last_event_id"] < min(ids)
        receiver.status = 200
        await deliver_webhooks(factory.rt, now=later + retry_delay(2))
    done = (await client.get(f"{URL}/{hook['id']}", headers=h)).json()
    assert done["last_event_id"] >= ids.pop() and done["last_error"] is None
    assert done["failures"] == 0 and done["retry_at"] is None
    await client.delete(f"{URL}/{hook['id']}", headers=h)


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_back_off_doubles_up_to_an_hour() -> None:
    delays = [retry_delay(n).total_seconds() for n in (1, 2, 3, 10, 1000)]
    assert delays == [10, 20, 40, 3600, 3600]


async def test_an_admins_change_ends_the_back_off(
    factory: Factory, client: httpx.AsyncClient, allow_private: None
) -> None:
    world = await factory.world()
    h = world.admin.headers
    async with running_receiver(status=503) as receiver:
        hook = await hook_with_alert(factory, client, world, receiver.url)
        await deliver_webhooks(factory.rt)
        url = f"{URL}/{hook['id']}"
        assert (await client.get(url, headers=h)).json()["retry_at"] is not None
        receiver.status = 200
        fixed = (await client.patch(url, json={"enabled": True}, headers=h)).json()
        assert fixed["retry_at"] is None and fixed["failures"] == 0
        await deliver_webhooks(factory.rt)  # at once, not after the back-off
        assert len(receiver.received) == 2
    await client.delete(url, headers=h)


async def test_private_targets_are_refused_unless_allowed(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    async with running_receiver() as receiver:
        hook = await hook_with_alert(factory, client, world, receiver.url)
        await deliver_webhooks(factory.rt, allow_private=False)
    assert receiver.received == []
    row = (await client.get(f"{URL}/{hook['id']}", headers=world.admin.headers)).json()
    assert row["last_error"] == "outbound_blocked"
    raised = [e.id for e in await factory.events(world.tenant_id) if e.type == "alert.raised"]
    assert row["last_event_id"] < raised[0]
    await client.delete(f"{URL}/{hook['id']}", headers=world.admin.headers)


async def _count(factory: Factory) -> int:
    async with factory.rt.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Webhook)) or 0)


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://example.com/x", "event_types": ["alert.raised"]},
        {"url": "example.com", "event_types": ["alert.raised"]},
        {"url": "https://example.com/x", "event_types": []},
        {"url": "https://example.com/x", "event_types": ["Alert raised"]},
        {"url": "https://example.com/x", "event_types": ["*.raised"]},
        {"url": "https://example.com/x", "event_types": ["alert.raised"], "secret": "mine"},
        {"url": "https://example.com/x", "event_types": ["alert.raised"], "extra": 1},
    ],
)
async def test_bad_input_is_refused_and_nothing_is_written(
    factory: Factory, client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    world = await factory.world()
    before = await _count(factory)
    r = await client.post(URL, json=body, headers=world.admin.headers)
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    assert await _count(factory) == before


async def test_update_and_delete(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    h = world.admin.headers
    hook = await new_hook(client, world, "https://example.com/hook")
    bad = await client.patch(f"{URL}/{hook['id']}", json={"url": "file:///etc"}, headers=h)
    assert bad.status_code == 422
    r = await client.patch(
        f"{URL}/{hook['id']}", json={"enabled": False, "event_types": ["ticket.*"]}, headers=h
    )
    assert r.json()["enabled"] is False and r.json()["event_types"] == ["ticket.*"]
    assert r.json()["url"] == "https://example.com/hook"
    assert (await client.delete(f"{URL}/{hook['id']}", headers=h)).status_code == 204
    assert (await client.get(f"{URL}/{hook['id']}", headers=h)).status_code == 404
    assert (await client.get(URL, headers=h)).json() == []


async def test_only_admins_manage_webhooks(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    hook = await new_hook(client, world, "https://example.com/hook")
    body = {"url": "https://example.com/x", "event_types": ["alert.raised"]}
    for user in (world.supervisor, world.agent):
        assert (await client.get(URL, headers=user.headers)).status_code == 403
        assert (await client.post(URL, json=body, headers=user.headers)).status_code == 403
        r = await client.delete(f"{URL}/{hook['id']}", headers=user.headers)
        assert r.status_code == 403
        r = await client.post(f"{URL}/{hook['id']}/secret", headers=user.headers)
        assert r.status_code == 403
    assert (await client.get(URL)).status_code == 401
    assert len((await client.get(URL, headers=world.admin.headers)).json()) == 1


async def test_another_tenants_webhook_is_not_found(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    victim, attacker = await factory.world("Victim"), await factory.world("Attacker")
    hook = await new_hook(client, victim, "https://example.com/hook")
    h = attacker.admin.headers
    for method in ("GET", "PATCH", "DELETE"):
        body = {"enabled": False} if method == "PATCH" else None
        r = await client.request(method, f"{URL}/{hook['id']}", json=body, headers=h)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert (await client.get(URL, headers=h)).json() == []
    mine = (await client.get(f"{URL}/{hook['id']}", headers=victim.admin.headers)).json()
    assert mine["enabled"] is True


def test_event_type_patterns() -> None:
    assert matches(["alert.raised"], "alert.raised")
    assert not matches(["alert.raised"], "alert.cleared")
    assert matches(["ticket.*"], "ticket.sla.breached")
    assert not matches(["ticket.*"], "tickets.created")
    assert not matches(["ticket.*"], "ticket")
