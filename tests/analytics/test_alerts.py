"""Live figures and alert rules: a known service level for the last 30 minutes, and a rule that
is raised once while its condition holds and cleared once when it stops (durable events)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update

from kefu.analytics.alerts import evaluate_alerts, holds
from kefu.analytics.live import sl_outcome
from kefu.analytics.models import ConversationFact
from kefu.analytics.tasks import sync_facts
from kefu.conversations.models import Conversation
from kefu.core.auth import Principal
from kefu.realtime.visibility import agent_may_see
from tests.factories import Factory, World

AGO = timedelta(minutes=1)
# (queued this long before now, wait in seconds or None, abandoned) → outcome with T = 20 s
QUEUE = [
    (timedelta(minutes=5), 10, False),  # answered within T
    (timedelta(minutes=5), 30, False),  # answered late
    (timedelta(minutes=5), None, True),  # abandoned
    (timedelta(minutes=10), None, False),  # still waiting, past T
    (timedelta(seconds=5), None, False),  # still waiting, not yet past T: not counted
    (timedelta(minutes=40), 5, False),  # before the window
    (timedelta(minutes=2), 20, False),  # answered within T (exactly T)
]


async def _queued(factory: Factory, world: World, n: int) -> list[str]:
    ids = []
    for _ in range(n):
        visitor = await factory.visitor(world)
        ids.append(str((await factory.contact_says(visitor, "hello"))["conversation_id"]))
    return ids


async def _stamp_facts(factory: Factory, ids: list[str]) -> None:
    await sync_facts(factory.rt)
    now = datetime.now(UTC)
    async with factory.rt.db.sessions() as session:
        for cid, (ago, wait, abandoned) in zip(ids, QUEUE, strict=True):
            await session.execute(
                update(ConversationFact)
                .where(ConversationFact.conversation_id == uuid.UUID(cid))
                .values(first_queued_at=now - ago, wait_seconds=wait, abandoned=abandoned)
            )
        await session.commit()


async def _alert_events(factory: Factory, world: World) -> list[tuple[str, dict[str, Any]]]:
    return [
        (e.type, e.payload)
        for e in await factory.events(world.tenant_id)
        if e.type.startswith("alert.")
    ]


async def test_live_service_level_of_the_last_30_minutes(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    await _stamp_facts(factory, await _queued(factory, world, len(QUEUE)))
    h = world.supervisor.headers
    live = (await client.get("/api/v1/analytics/live", headers=h)).json()
    assert live["waiting"] == len(QUEUE) and live["longest_wait_seconds"] >= 0
    assert live["service_level"] == 2 / 5 and live["service_level_queued"] == 5
    assert live["agents"]["offline"] == 4 and live["alerts"] == []
    assert live["definitions"]["service_level"][2].startswith("最近 30 分钟")
    await client.put(
        "/api/v1/analytics/settings",
        json={"service_level_seconds": 30},
        headers=world.admin.headers,
    )
    live = (await client.get("/api/v1/analytics/live", headers=h)).json()
    assert live["service_level"] == 3 / 5 and live["service_level_seconds"] == 30
    assert (
        await client.get("/api/v1/analytics/live", headers=world.agent.headers)
    ).status_code == 403


async def test_a_rule_is_raised_once_and_cleared_once(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    h = world.supervisor.headers
    body = {"name": "Queue building up", "metric": "waiting", "threshold": 1}
    rule = (await client.post("/api/v1/analytics/alert-rules", json=body, headers=h)).json()
    ids = await _queued(factory, world, 2)
    await evaluate_alerts(factory.rt)
    await evaluate_alerts(factory.rt)
    events = await _alert_events(factory, world)
    assert [(t, p["rule"]["id"], p["value"]) for t, p in events] == [
        ("alert.raised", rule["id"], 2.0)
    ]
    live = (await client.get("/api/v1/analytics/live", headers=h)).json()
    assert [a["id"] for a in live["alerts"]] == [rule["id"]]
    assert live["alerts"][0]["firing_since"] is not None

    await client.post(f"/api/v1/conversations/{ids[0]}/resolve", headers=world.admin.headers)
    await evaluate_alerts(factory.rt)
    await evaluate_alerts(factory.rt)
    events = await _alert_events(factory, world)
    assert [(t, p["value"]) for t, p in events] == [("alert.raised", 2.0), ("alert.cleared", 1.0)]
    assert (await client.get("/api/v1/analytics/live", headers=h)).json()["alerts"] == []


async def test_disabling_a_firing_rule_clears_it_and_agents_never_see_alerts(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    h = world.admin.headers
    body = {"name": "Anyone waiting", "metric": "longest_wait", "threshold": 0}
    rule = (await client.post("/api/v1/analytics/alert-rules", json=body, headers=h)).json()
    await _queued(factory, world, 1)
    async with factory.rt.db.sessions() as session:  # the contact has waited a while
        await session.execute(
            update(Conversation)
            .where(Conversation.tenant_id == world.tenant_id)
            .values(queued_at=datetime.now(UTC) - AGO)
        )
        await session.commit()
    await evaluate_alerts(factory.rt)
    url = f"/api/v1/analytics/alert-rules/{rule['id']}"
    off = await client.patch(url, json={"enabled": False}, headers=h)
    assert off.status_code == 200 and off.json()["firing_since"] is None
    await evaluate_alerts(factory.rt)
    assert [t for t, _ in await _alert_events(factory, world)] == ["alert.raised", "alert.cleared"]
    records = [e for e in await factory.events(world.tenant_id) if e.type.startswith("alert.")]
    agent = Principal(tenant_id=world.tenant_id, role="agent", user_id=world.agent.user_id)
    boss = Principal(tenant_id=world.tenant_id, role="supervisor", user_id=world.supervisor.user_id)
    assert not any(agent_may_see(agent, r) for r in records)
    assert all(agent_may_see(boss, r) for r in records)
    assert (await client.delete(url, headers=h)).status_code == 204
    assert (await client.get("/api/v1/analytics/alert-rules", headers=h)).json() == []


async def test_rule_validation_and_roles(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    url = "/api/v1/analytics/alert-rules"
    sl = {"name": "SL", "metric": "service_level", "threshold": 80}
    r = await client.post(url, json=sl, headers=world.admin.headers)
    assert r.status_code == 422 and r.json()["code"] == "alert_threshold_invalid"
    r = await client.post(url, json={**sl, "threshold": 0.8}, headers=world.admin.headers)
    assert r.status_code == 201
    patch = await client.patch(
        f"{url}/{r.json()['id']}", json={"threshold": 2}, headers=world.admin.headers
    )
    assert patch.status_code == 422
    unknown = {"name": "x", "metric": "cpu", "threshold": 1}
    assert (await client.post(url, json=unknown, headers=world.admin.headers)).status_code == 422
    assert (await client.post(url, json=sl, headers=world.agent.headers)).status_code == 403
    assert (await client.get(url, headers=world.agent.headers)).status_code == 403
    assert len((await client.get(url, headers=world.supervisor.headers)).json()) == 1


def test_conditions() -> None:
    now = datetime.now(UTC)
    assert sl_outcome(now - AGO, 20, False, now, 20) is True
    assert sl_outcome(now - AGO, None, False, now, 20) is False
    assert sl_outcome(now, None, False, now, 20) is None
    assert holds("waiting", 3, 4) and not holds("waiting", 3, 3)
    assert holds("service_level", 0.8, 0.5) and not holds("service_level", 0.8, None)
