"""Metrics on a hand-built scenario with a known answer: 10 queued conversations, 7 answered
within 20 s, 1 abandoned → service level exactly 0.7."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import update

from kefu.analytics.tasks import sync_facts
from kefu.conversations.models import Conversation, Transition
from tests.factories import Factory, World

T0 = datetime(2026, 11, 11, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in Asia/Shanghai
WAITS = [5, 10, 15, 20, 20, 3, 8, 30, 60, None]  # None: the contact left the queue


async def scenario(factory: Factory, world: World) -> list[str]:
    ids = []
    for _ in WAITS:
        visitor = await factory.visitor(world)
        ids.append((await factory.contact_says(visitor, "hi"))["conversation_id"])
    async with factory.rt.db.sessions() as session:
        for cid, wait in zip(ids, WAITS, strict=True):
            await _stamp(session, uuid.UUID(cid), wait, world)
        await session.commit()
    return ids


async def _stamp(session, cid: uuid.UUID, wait: int | None, world: World) -> None:  # type: ignore[no-untyped-def]
    await session.execute(
        update(Transition).where(Transition.conversation_id == cid).values(created_at=T0)
    )
    values: dict[str, object] = {
        "created_at": T0,
        "updated_at": datetime.now(UTC),
    }
    if wait is None:
        values |= {"status": "abandoned", "abandoned_at": T0 + timedelta(seconds=90)}
        session.add(
            Transition(
                tenant_id=world.tenant_id,
                conversation_id=cid,
                from_status="queued",
                to_status="abandoned",
                actor_type="contact",
                created_at=T0 + timedelta(seconds=90),
            )
        )
    else:
        values |= {
            "status": "resolved",
            "assignee_id": world.agent.user_id,
            "first_agent_reply_at": T0 + timedelta(seconds=wait),
            "resolved_at": T0 + timedelta(seconds=wait + 100),
        }
        for status, at in (("assigned", 1), ("resolved", wait + 100)):
            session.add(
                Transition(
                    tenant_id=world.tenant_id,
                    conversation_id=cid,
                    from_status="queued",
                    to_status=status,
                    actor_type="agent",
                    created_at=T0 + timedelta(seconds=at),
                )
            )
    await session.execute(update(Conversation).where(Conversation.id == cid).values(**values))


async def test_summary_metrics_on_a_known_scenario(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    await scenario(factory, world)
    assert await sync_facts(factory.rt) >= 10
    params = {
        "start": (T0 - timedelta(hours=1)).isoformat(),
        "end": (T0 + timedelta(hours=1)).isoformat(),
    }
    r = await client.get(
        "/api/v1/analytics/summary", params=params, headers=world.supervisor.headers
    )
    assert r.status_code == 200, r.text
    m = {x["key"]: x for x in r.json()["metrics"]}
    assert m["conversations"]["value"] == 10
    assert m["service_level"]["value"] == 0.7
    assert m["abandonment_rate"]["value"] == 0.1
    assert m["asa"]["value"] == sum(w for w in WAITS if w) / 9
    answered = [w for w in WAITS if w is not None]
    assert m["first_response_time"]["value"] == sum(w - 1 for w in answered) / 9
    assert m["handle_time"]["value"] == sum(w + 99 for w in answered) / 9
    assert m["conversations"]["previous"] == 0
    assert m["service_level"]["definition_zh"].startswith("排队后 T 秒内")
    strict = await client.get(
        "/api/v1/analytics/summary",
        params={**params, "sl_seconds": 10},
        headers=world.supervisor.headers,
    )
    assert {x["key"]: x for x in strict.json()["metrics"]}["service_level"]["value"] == 0.4


async def test_volume_heatmap_and_export_use_the_tenant_time_zone(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    await scenario(factory, world)
    await sync_facts(factory.rt)
    params = {
        "start": (T0 - timedelta(days=1)).isoformat(),
        "end": (T0 + timedelta(days=1)).isoformat(),
    }
    h = world.admin.headers
    hourly = (
        await client.get("/api/v1/analytics/volume", params={**params, "bucket": "hour"}, headers=h)
    ).json()
    assert hourly == [{"bucket": "2026-11-11 10:00", "conversations": 10, "messages": 10}]
    heat = (await client.get("/api/v1/analytics/heatmap", params=params, headers=h)).json()
    assert heat == [{"weekday": 2, "hour": 10, "conversations": 10}]
    exported = await client.get(
        "/api/v1/analytics/export", params={**params, "format": "csv"}, headers=h
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["metric", "value", "previous"]
    assert rows[[r[0] for r in rows].index("service_level")][:2] == ["service_level", "0.7"]
    xlsx = await client.get(
        "/api/v1/analytics/export",
        params={**params, "format": "xlsx", "report": "volume"},
        headers=h,
    )
    assert xlsx.headers["content-disposition"].endswith('.xlsx"')


async def test_reports_are_for_managers_and_validate_ranges(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    assert (
        await client.get("/api/v1/analytics/summary", headers=world.agent.headers)
    ).status_code == 403
    bad = {"start": "2026-11-12T00:00:00+00:00", "end": "2026-11-11T00:00:00+00:00"}
    r = await client.get("/api/v1/analytics/summary", params=bad, headers=world.admin.headers)
    assert r.status_code == 422
    naive = {"start": "2026-11-10T00:00:00", "end": "2026-11-11T00:00:00"}
    assert (
        await client.get("/api/v1/analytics/summary", params=naive, headers=world.admin.headers)
    ).status_code == 422


async def test_hourly_buckets_are_exact_in_a_half_hour_time_zone(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    """India is UTC+5:30: 02:00 and 02:20 UTC are 07:30 and 07:50 there (one local hour);
    02:40 UTC is 08:10 (the next). Buckets are local hours, not UTC hours shifted."""
    from kefu.tenants.models import Tenant

    world = await factory.world()
    ids = [
        (await factory.contact_says(await factory.visitor(world), "hi"))["conversation_id"]
        for _ in range(3)
    ]
    async with factory.rt.db.sessions() as session:
        await session.execute(
            update(Tenant).where(Tenant.id == world.tenant_id).values(timezone="Asia/Kolkata")
        )
        for cid, minutes in zip(ids, (0, 20, 40), strict=True):
            await session.execute(
                update(Conversation)
                .where(Conversation.id == uuid.UUID(cid))
                .values(created_at=T0 + timedelta(minutes=minutes))
            )
        await session.commit()
    await sync_facts(factory.rt)
    params = {
        "start": (T0 - timedelta(hours=3)).isoformat(),
        "end": (T0 + timedelta(hours=3)).isoformat(),
    }
    h = world.admin.headers
    hourly = (
        await client.get("/api/v1/analytics/volume", params={**params, "bucket": "hour"}, headers=h)
    ).json()
    assert [(p["bucket"], p["conversations"]) for p in hourly] == [
        ("2026-11-11 07:00", 2),
        ("2026-11-11 08:00", 1),
    ]
    heat = (await client.get("/api/v1/analytics/heatmap", params=params, headers=h)).json()
    assert [(c["hour"], c["conversations"]) for c in heat] == [(7, 2), (8, 1)]
