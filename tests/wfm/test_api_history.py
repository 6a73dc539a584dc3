"""WFM history (kefu's own conversations and CSV imports), events and forecasts over HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import update

from kefu.conversations.models import Conversation, Transition
from tests.factories import Factory
from tests.wfm.api_data import SHANGHAI, csv_history, forecast, today, upload


async def _place(factory: Factory, conversation_id: str, queued: datetime, aht: float) -> None:
    """Move a conversation (and its queue transition) into the past, with a handle time."""
    cid = uuid.UUID(conversation_id)
    async with factory.rt.db.sessions() as session:
        await session.execute(
            update(Transition)
            .where(Transition.conversation_id == cid)
            .values(created_at=queued.astimezone(UTC))
        )
        assigned = queued + timedelta(seconds=30)
        await session.execute(
            update(Conversation)
            .where(Conversation.id == cid)
            .values(
                created_at=queued,
                queued_at=queued,
                assigned_at=assigned,
                resolved_at=assigned + timedelta(seconds=aht),
            )
        )
        await session.commit()


async def test_history_from_own_conversations(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    d1, d2 = today() - timedelta(days=3), today() - timedelta(days=2)
    placed = [
        (datetime(d1.year, d1.month, d1.day, 10, 5, tzinfo=SHANGHAI), 100.0),
        (datetime(d1.year, d1.month, d1.day, 10, 25, tzinfo=SHANGHAI), 300.0),
        (datetime(d1.year, d1.month, d1.day, 11, 40, tzinfo=SHANGHAI), 200.0),
        (datetime(d2.year, d2.month, d2.day, 10, 10, tzinfo=SHANGHAI), 120.0),
    ]
    for i, (when, aht) in enumerate(placed):
        visitor = await factory.visitor(world)
        said = await factory.contact_says(visitor, "你好，我的订单到哪了？")
        if i == 0:  # a requeue after unassign is the same contact, not a new one
            url = f"/api/v1/conversations/{said['conversation_id']}"
            assign = {"assignee_id": str(world.agent.user_id)}
            h = world.admin.headers
            assert (await client.post(f"{url}/assign", json=assign, headers=h)).status_code == 200
            assert (await client.post(f"{url}/unassign", headers=h)).status_code == 200
            assert (await client.post(f"{url}/assign", json=assign, headers=h)).status_code == 200
            assert (await client.post(f"{url}/resolve", headers=h)).status_code == 200
        await _place(factory, said["conversation_id"], when, aht)
    h = world.supervisor.headers
    r = await client.get(
        "/api/v1/wfm/history", params={"interval_minutes": 30, "days": 7}, headers=h
    )
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["timezone"] == "Asia/Shanghai"
    assert s["days"] == [d1.isoformat(), d2.isoformat()]
    assert s["slots"] == ["10:00", "11:30"]
    assert s["volume"] == [[2.0, 1.0], [1.0, 0.0]]
    assert s["aht_seconds"][0] == [200.0, 200.0] and s["aht_seconds"][1][0] == 120.0
    # by queue: no conversation has a team, so "default" has them all and a team has none
    r = await client.get("/api/v1/wfm/history", params={"queue": "default"}, headers=h)
    assert sum(map(sum, r.json()["volume"])) == 4
    r = await client.get("/api/v1/wfm/history", params={"channel": "email"}, headers=h)
    assert r.json()["days"] == []
    # a forecast from kefu's own records alone (two days of history: seasonal naive)
    fc = await forecast(client, world.admin, interval_minutes=60, days_ahead=3)
    assert fc["result"]["history"]["contacts"] == 4
    assert fc["model"] in ("seasonal_naive", "ets", "sarima")


async def test_csv_import_good_and_bad(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    first = today() - timedelta(days=7)
    good = csv_history(first, 7, queue="电话")
    r = await upload(client, world.admin, good)
    assert r.status_code == 201, r.text
    assert r.json()["rows"] == 28 and r.json()["queues"] == ["电话"]
    # importing the same range again replaces instead of doubling
    r = await upload(client, world.admin, good)
    assert r.json()["replaced"] == 28
    hist = await client.get(
        "/api/v1/wfm/history", params={"queue": "电话", "days": 10}, headers=world.admin.headers
    )
    assert len(hist.json()["days"]) == 7 and hist.json()["volume"][0][0] > 0

    bad = (
        "timestamp,queue,contacts,aht_seconds\n"
        "2026-11-01T09:00:00,sales,10,180\n"
        "yesterday,sales,10,180\n"
        "2026-11-01T09:30:00,sales,many,180\n"
        "2026-11-01T10:00:00,,3,\n"
        "2026-11-01T10:30:00,sales,3,-5\n"
    )
    r = await upload(client, world.admin, bad)
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "import_invalid"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (3, "timestamp"),
        (4, "contacts"),
        (5, "queue"),
        (6, "aht_seconds"),
    ]
    queues = await client.get("/api/v1/wfm/queues", headers=world.admin.headers)
    assert queues.json()["imported"] == ["电话"]  # nothing of the bad file was stored
    r = await upload(client, world.admin, "when,queue,contacts\n2026-11-01T09:00,a,1\n")
    assert r.status_code == 422 and r.json()["errors"][0]["column"] == "timestamp"
    zh = await client.post(
        "/api/v1/wfm/history/import",
        files={"file": ("x.csv", b"timestamp,queue,contacts\nx,a,1\n")},
        headers={**world.admin.headers, "Accept-Language": "zh-CN"},
    )
    assert "未导入" in zh.json()["message"]


async def test_forecast_model_report_and_events(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    h = world.admin.headers
    first = today() - timedelta(days=21)
    assert (await upload(client, world.admin, csv_history(first, 21))).status_code == 201
    promo_day = today() + timedelta(days=1)
    ev = await client.post(
        "/api/v1/wfm/events",
        json={"name": "双11", "date": promo_day.isoformat(), "factor": 2.0},
        headers=h,
    )
    assert ev.status_code == 201, ev.text
    fc = await forecast(client, world.admin, queue="calls", interval_minutes=30, days_ahead=3)
    res = fc["result"]
    assert fc["model"] == res["selection"]["model"]
    assert set(res["selection"]["wape"]) == {"seasonal_naive", "ets", "sarima"}
    assert res["slots"] == ["09:00", "09:30", "10:00", "10:30"]
    assert res["days"] == [(today() + timedelta(days=i)).isoformat() for i in range(3)]
    vol = res["volume"]
    assert len(vol) == 3 and all(len(row) == 4 for row in vol)
    hist = res["history"]
    week_before = hist["volume"][hist["days"].index((promo_day - timedelta(days=7)).isoformat())]
    assert sum(vol[1]) > 1.5 * sum(week_before)  # the 双11 factor doubles the day
    assert res["lower"] is not None and res["lower"][0][0] <= vol[0][0] <= res["upper"][0][0]
    rep = res["report"]
    for key in ("interval_wape", "interval_mape", "daily_wape", "daily_mape", "months"):
        assert key in rep["model_accuracy"] and key in rep["seasonal_naive"]
    assert rep["test_days"] == 7 and rep["wape_ratio"] >= 0
    assert rep["chosen"]["model"] == fc["model"] and "daily_wape" in rep["chosen"]["accuracy"]
    assert res["aht_seconds"][0][0] == 180.0
    # stored, listed, fetched
    got = await client.get(f"/api/v1/wfm/forecasts/{fc['id']}", headers=h)
    assert got.json()["result"] == res
    listed = await client.get("/api/v1/wfm/forecasts", params={"queue": "calls"}, headers=h)
    assert [f["id"] for f in listed.json()] == [fc["id"]]
    # events CRUD
    eid = ev.json()["id"]
    r = await client.put(
        f"/api/v1/wfm/events/{eid}",
        json={"name": "双11", "date": promo_day.isoformat(), "end": promo_day.isoformat()},
        headers=h,
    )
    assert r.status_code == 200 and r.json()["factor"] is None
    assert len((await client.get("/api/v1/wfm/events", headers=h)).json()) == 1
    assert (await client.delete(f"/api/v1/wfm/events/{eid}", headers=h)).status_code == 204
    assert (await client.get("/api/v1/wfm/events", headers=h)).json() == []


async def test_forecast_without_history_is_422_bilingual(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    r = await client.post(
        "/api/v1/wfm/forecasts",
        json={"queue": "nobody"},
        headers={**world.admin.headers, "Accept-Language": "zh-CN"},
    )
    assert r.status_code == 422
    assert r.json()["code"] == "wfm_not_enough_history" and "历史数据不足" in r.json()["message"]
    r = await client.post(
        "/api/v1/wfm/forecasts", json={"interval_minutes": 7}, headers=world.admin.headers
    )
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
