"""Business hours over the API: validation, holidays in the tenant's zone, off-hours handling."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from tests.conftest import LiveServer
from tests.factories import Factory
from tests.routing.helpers import assignee, queued, set_status, settled

ALL_DAY = {str(d): [{"start": "00:00", "end": "24:00"}] for d in range(7)}


async def test_business_hours_round_trip_and_validation(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    h = world.admin.headers
    r = await client.get("/api/v1/business-hours", headers=world.agent.headers)
    assert r.status_code == 200 and r.json()["enabled"] is False and r.json()["open_now"] is True
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    body = {
        "enabled": True,
        "weekly": ALL_DAY,
        "holidays": [{"date": today.isoformat(), "name": "国庆节"}],
        "workdays": [{"date": (today + timedelta(days=3)).isoformat(), "name": "调休"}],
        "off_hours_message": {"en": "Closed today.", "zh-CN": "今天休息。"},
    }
    r = await client.put("/api/v1/business-hours", json=body, headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["timezone"] == "Asia/Shanghai" and out["open_now"] is False
    tomorrow = datetime.combine(
        today + timedelta(days=1), datetime.min.time(), ZoneInfo("Asia/Shanghai")
    )
    assert datetime.fromisoformat(out["next_open"]) == tomorrow
    assert out["holidays"][0]["name"] == "国庆节" and out["workdays"][0]["hours"] is None
    bad_cases = [
        {**body, "weekly": {"0": [{"start": "18:00", "end": "09:00"}]}},
        {**body, "weekly": {"0": [{"start": "9:00", "end": "18:00"}]}},
        {**body, "weekly": {"7": []}},
        {**body, "workdays": body["holidays"]},
    ]
    for bad in bad_cases:
        r = await client.put(
            "/api/v1/business-hours", json=bad, headers={**h, "Accept-Language": "zh-CN"}
        )
        assert r.status_code == 422, bad
        assert r.json()["code"] in ("validation_error", "business_hours_invalid")
    assert (await client.get("/api/v1/business-hours", headers=h)).json()["holidays"] == out[
        "holidays"
    ]
    r = await client.put("/api/v1/business-hours", json=body, headers=world.supervisor.headers)
    assert r.status_code == 403


async def test_outside_hours_a_new_conversation_gets_the_message_and_waits(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    h = world.admin.headers
    closed = {"enabled": True, "weekly": {}}
    assert (await client.put("/api/v1/business-hours", json=closed, headers=h)).status_code == 200
    await set_status(client, world.agent, "online")
    visitor, cid = await queued(factory, world)
    await settled(server)
    assert await assignee(client, world, cid) is None, "not routed outside business hours"
    items = (await client.get("/api/v1/widget/messages", headers=visitor.headers)).json()["items"]
    notices = [m for m in items if m["sender_type"] == "system"]
    assert len(notices) == 1
    assert "非工作时间" in notices[0]["body"] and "closed" in notices[0]["body"]
    await factory.contact_says(visitor, "anyone?")
    await settled(server)
    items = (await client.get("/api/v1/widget/messages", headers=visitor.headers)).json()["items"]
    assert len([m for m in items if m["sender_type"] == "system"]) == 1, "said once"
    opened = {"enabled": True, "weekly": ALL_DAY}
    assert (await client.put("/api/v1/business-hours", json=opened, headers=h)).status_code == 200
    await settled(server)
    assert await assignee(client, world, cid) == str(world.agent.user_id)
