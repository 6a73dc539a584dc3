"""WFM staffing, requirement, shift templates, schedules, simulation, intraday and roles."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from tests.factories import Factory, World
from tests.wfm.api_data import csv_history, forecast, today, upload

EIGHT_HOURS = {
    "name": "Day 早班",
    "length_minutes": 480,
    "earliest_start": "09:00",
    "latest_start": "09:00",
    "start_step_minutes": 30,
}


async def test_staffing_textbook_case(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    h = world.supervisor.headers
    body: dict[str, Any] = {
        "calls": 100,
        "interval_seconds": 1800,
        "aht": 180,
        "target_sl": 0.8,
        "target_time": 20,
    }
    r = await client.post("/api/v1/wfm/staffing", json=body, headers=h)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["model"] == "erlang_c" and out["agents"] == 14
    assert out["service_level"] == pytest.approx(0.8884, abs=1e-3)
    assert out["asa_seconds"] == pytest.approx(7.84, abs=0.05)
    assert out["occupancy"] == pytest.approx(0.714, abs=1e-3) and out["traffic_erlangs"] == 10
    r = await client.post("/api/v1/wfm/staffing", json={**body, "shrinkage": 0.3}, headers=h)
    assert r.json()["scheduled_agents"] == 20
    r = await client.post(
        "/api/v1/wfm/staffing", json={**body, "patience": 300, "agents": 14}, headers=h
    )
    a = r.json()
    assert a["model"] == "erlang_a"
    assert a["p_wait"] == pytest.approx(0.1453, abs=5e-4)
    assert a["p_abandon"] == pytest.approx(0.0140, abs=5e-4)
    r = await client.post("/api/v1/wfm/staffing", json={**body, "agents": 10}, headers=h)
    assert r.json()["service_level"] == 0 and r.json()["asa_seconds"] is None  # unstable
    r = await client.post("/api/v1/wfm/staffing", json={**body, "target_sl": 1.5}, headers=h)
    assert r.status_code == 422 and r.json()["code"] == "validation_error"


async def _skilled_world(factory: Factory, client: httpx.AsyncClient) -> World:
    """History of 5 contacts per half hour 09:00–17:00 every day (AHT 180 s): 2 agents needed."""
    world = await factory.world()
    slots = tuple(f"{9 + i // 2:02d}:{30 * (i % 2):02d}" for i in range(16))
    text = csv_history(today() - timedelta(days=14), 14, slots=slots, base=5, weekly=(1.0,) * 7)
    text = text.replace(",6,180", ",5,180")  # flat: no odd-slot bump
    assert (await upload(client, world.admin, text)).status_code == 201
    for who in (world.admin, world.supervisor, world.agent):
        r = await client.patch(
            f"/api/v1/users/{who.user_id}", json={"skills": ["calls"]}, headers=world.admin.headers
        )
        assert r.status_code == 200, r.text
    return world


async def test_requirement_schedule_export_and_simulation(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await _skilled_world(factory, client)
    h = world.admin.headers
    fc = await forecast(client, world.admin, queue="calls", days_ahead=7, model="seasonal_naive")
    assert fc["result"]["volume"][0] == [5.0] * 16
    r = await client.get(
        f"/api/v1/wfm/forecasts/{fc['id']}/requirement",
        params={"target_sl": 0.8, "target_time": 20},
        headers=h,
    )
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert len(rows) == 7 * 16 and {row["agents"] for row in rows} == {2}
    assert rows[0]["aht_seconds"] == 180 and rows[0]["service_level"] >= 0.8
    tpl = await client.post("/api/v1/wfm/shift-templates", json=EIGHT_HOURS, headers=h)
    assert tpl.status_code == 201, tpl.text
    assert tpl.json()["earliest_start"] == "09:00"
    agents = [str(w.user_id) for w in (world.admin, world.supervisor, world.agent, world.agent2)]
    body = {
        "forecast_id": fc["id"],
        "week_start": today().isoformat(),
        "templates": [tpl.json()["id"]],
        "agents": agents,
    }
    r = await client.post("/api/v1/wfm/schedules", json=body, headers=h)
    assert r.status_code == 201, r.text
    s = r.json()
    res = s["result"]
    # known optimum: 2 agents × 16 half-hours × 7 days, nobody short, nobody idle
    assert s["optimal"] and s["cost"] == 2 * 16 * 7
    assert res["totals"] == {
        "shifts": 14,
        "under_intervals": 0,
        "under_agent_intervals": 0,
        "over_agent_intervals": 0,
    }
    assert str(world.agent2.user_id) not in {a["agent_id"] for a in res["assignments"]}  # no skill
    assert res["assignments"][0]["start"] == "09:00" and res["assignments"][0]["end"] == "17:00"
    assert max(res["coverage"]["required"]) == 2 and len(res["coverage"]["labels"]) == 7 * 48
    got = await client.get(f"/api/v1/wfm/schedules/{s['id']}", headers=h)
    assert got.json()["result"] == res
    listed = (await client.get("/api/v1/wfm/schedules", headers=h)).json()
    assert [x["id"] for x in listed] == [s["id"]] and "result" not in listed[0]
    off = [today(), today() + timedelta(days=1)]
    leave = [{"agent_id": str(world.agent.user_id), "date": d.isoformat()} for d in off]
    r = await client.post("/api/v1/wfm/schedules", json={**body, "unavailable": leave}, headers=h)
    assert r.status_code == 201, r.text
    shifts = r.json()["result"]["assignments"]
    on_leave = {(a["agent_id"], a["date"]) for a in shifts} & {
        (str(world.agent.user_id), d.isoformat()) for d in off
    }
    assert not on_leave and r.json()["result"]["totals"]["under_agent_intervals"] == 0
    stranger = {"agent_id": str(world.agent2.user_id), "date": off[0].isoformat()}
    bad = {**body, "agents": agents[:1], "unavailable": [stranger]}
    assert (await client.post("/api/v1/wfm/schedules", json=bad, headers=h)).status_code == 422

    csv = await client.get(f"/api/v1/wfm/schedules/{s['id']}/export?format=csv", headers=h)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("agent,date,template,start,end") and len(lines) == 15
    xlsx = await client.get(f"/api/v1/wfm/schedules/{s['id']}/export?format=xlsx", headers=h)
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["schedule", "coverage"]

    sim = await client.post(
        "/api/v1/wfm/simulations",
        json={
            "schedule_id": s["id"],
            "replications": 2,
            "scenarios": [
                {"name": "volume +30 %", "volume_factor": 1.3},
                {"name": "one fewer from 13:00", "staff_delta": -1, "first_interval": 26},
                {"name": "bot +10 %", "bot_containment_delta": 0.1},
            ],
        },
        headers=h,
    )
    assert sim.status_code == 200, sim.text
    scen = sim.json()["scenarios"]
    assert [x["name"] for x in scen] == [
        "base",
        "volume +30 %",
        "one fewer from 13:00",
        "bot +10 %",
    ]
    base, fewer = scen[0], scen[2]
    assert 0 < base["totals"]["service_level"] <= 1 and base["totals"]["offered"] > 0
    assert len(base["intervals"]["service_level"]) == 7 * 48
    assert fewer["intervals"]["agents"][26] == 1 and base["intervals"]["agents"][26] == 2
    assert fewer["totals"]["service_level"] < base["totals"]["service_level"]
    assert all(
        label.startswith(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
        for label in fewer["bottlenecks"]
    )


async def test_simulation_of_a_staffing_series(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    body = {
        "staffing": {"calls": [100] * 8, "agents": [14] * 8, "interval_seconds": 1800, "aht": 180},
        "patience": 300,
        "replications": 3,
        "scenarios": [{"name": "two fewer at the end", "staff_delta": -2, "first_interval": 6}],
    }
    r = await client.post("/api/v1/wfm/simulations", json=body, headers=world.admin.headers)
    assert r.status_code == 200, r.text
    base, fewer = r.json()["scenarios"]
    assert base["intervals"]["labels"][1] == "00:30"
    assert 0.8 < base["totals"]["service_level"] < 1.0
    assert fewer["intervals"]["agents"][-1] == 12
    assert "03:00" in fewer["bottlenecks"] or "03:30" in fewer["bottlenecks"]
    chat = {**body, "capacity": 2, "scenarios": []}
    r = await client.post("/api/v1/wfm/simulations", json=chat, headers=world.admin.headers)
    two = r.json()["scenarios"][0]["totals"]
    assert two["service_level"] > base["totals"]["service_level"]  # two chats at once each
    assert two["occupancy"] < base["totals"]["occupancy"]
    r = await client.post(
        "/api/v1/wfm/simulations", json={"scenarios": []}, headers=world.admin.headers
    )
    assert r.status_code == 422


async def test_intraday_actual_vs_forecast(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    h = world.admin.headers
    yesterday = today() - timedelta(days=1)
    flat = (1.0,) * 7
    history = csv_history(yesterday - timedelta(days=14), 14, base=20, weekly=flat)
    assert (await upload(client, world.admin, history)).status_code == 201
    fc = await forecast(
        client, world.admin, queue="calls", start=yesterday.isoformat(), days_ahead=2
    )
    # yesterday ran 50 % above the forecast
    assert (
        await upload(client, world.admin, csv_history(yesterday, 1, base=30, weekly=flat))
    ).status_code == 201
    r = await client.get(
        "/api/v1/wfm/intraday", params={"queue": "calls", "date": yesterday.isoformat()}, headers=h
    )
    assert r.status_code == 200, r.text
    day = r.json()
    assert day["forecast_id"] == fc["id"] and day["elapsed"] == 4
    assert day["actual"] == [30.0, 31.0, 30.0, 31.0]
    assert day["deviation"] == pytest.approx(0.5, abs=0.05) and day["alert"] is True
    assert day["reforecast"] == [None] * 4 and len(day["interval_alerts"]) == 4
    r = await client.get(
        "/api/v1/wfm/intraday",
        params={"queue": "calls", "date": (today() + timedelta(days=5)).isoformat()},
        headers=h,
    )
    assert r.status_code == 422 and r.json()["code"] == "wfm_no_forecast"


async def test_agents_are_refused_and_ids_are_checked(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world, other = await factory.world(), await factory.world()
    ah = world.agent.headers
    for method, url in (
        ("GET", "/api/v1/wfm/history"),
        ("GET", "/api/v1/wfm/forecasts"),
        ("POST", "/api/v1/wfm/staffing"),
        ("GET", "/api/v1/wfm/shift-templates"),
        ("GET", "/api/v1/wfm/intraday"),
        ("GET", "/api/v1/wfm/events"),
    ):
        body = {"calls": 1, "aht": 1} if method == "POST" else None
        r = await client.request(method, url, json=body, headers=ah)
        assert r.status_code == 403, (url, r.text)
    r = await client.post("/api/v1/wfm/history/import", files={"file": ("a.csv", b"x")}, headers=ah)
    assert r.status_code == 403
    # another tenant's forecast, template, users and schedule are refused inside bodies too
    assert (
        await upload(client, other.admin, csv_history(today() - timedelta(days=3), 3))
    ).status_code == 201
    fc = await forecast(client, other.admin, queue="calls", days_ahead=1)
    tpl = await client.post(
        "/api/v1/wfm/shift-templates", json=EIGHT_HOURS, headers=other.admin.headers
    )
    mine = await client.post(
        "/api/v1/wfm/shift-templates", json=EIGHT_HOURS, headers=world.admin.headers
    )
    body = {
        "forecast_id": fc["id"],
        "week_start": today().isoformat(),
        "templates": [mine.json()["id"]],
        "agents": [str(world.agent.user_id)],
    }
    r = await client.post("/api/v1/wfm/schedules", json=body, headers=world.admin.headers)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert (
        await upload(client, world.admin, csv_history(today() - timedelta(days=3), 3))
    ).status_code == 201
    own = await forecast(client, world.admin, queue="calls", days_ahead=1)
    for patch in (
        {"templates": [tpl.json()["id"]]},
        {"agents": [str(other.agent.user_id)]},
        {"extra_forecast_ids": [fc["id"]]},
    ):
        r = await client.post(
            "/api/v1/wfm/schedules",
            json={**body, "forecast_id": own["id"], **patch},
            headers=world.admin.headers,
        )
        assert r.status_code in (404, 422), r.text
    r = await client.post(
        "/api/v1/wfm/simulations",
        json={"schedule_id": "00000000-0000-0000-0000-000000000000"},
        headers=world.admin.headers,
    )
    assert r.status_code == 404


async def test_schedule_for_two_queues_uses_skills(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    h = world.admin.headers
    first, flat = today() - timedelta(days=14), (1.0,) * 7
    morning = tuple(f"{9 + i // 2:02d}:{30 * (i % 2):02d}" for i in range(8))
    afternoon = tuple(f"{13 + i // 2:02d}:{30 * (i % 2):02d}" for i in range(8))
    for queue, slots in (("sales", morning), ("support", afternoon)):
        text = csv_history(first, 14, queue=queue, slots=slots, base=5, weekly=flat)
        assert (
            await upload(client, world.admin, text.replace(",6,180", ",5,180"))
        ).status_code == 201
    skills = [
        (world.admin, "sales"),
        (world.supervisor, "sales"),
        (world.agent, "support"),
        (world.agent2, "support"),
    ]
    for who, skill in skills:
        r = await client.patch(f"/api/v1/users/{who.user_id}", json={"skills": [skill]}, headers=h)
        assert r.status_code == 200
    sales = await forecast(client, world.admin, queue="sales", days_ahead=7, model="seasonal_naive")
    support = await forecast(
        client, world.admin, queue="support", days_ahead=7, model="seasonal_naive"
    )
    half = {
        **EIGHT_HOURS,
        "length_minutes": 240,
        "latest_start": "13:00",
        "start_step_minutes": 240,
    }
    tpl = (await client.post("/api/v1/wfm/shift-templates", json=half, headers=h)).json()
    body = {
        "forecast_id": sales["id"],
        "extra_forecast_ids": [support["id"]],
        "week_start": today().isoformat(),
        "templates": [tpl["id"]],
        "agents": [str(w.user_id) for w, _ in skills],
        "max_shifts": 7,
    }
    r = await client.post("/api/v1/wfm/schedules", json=body, headers=h)
    assert r.status_code == 201, r.text
    res = r.json()["result"]
    assert r.json()["optimal"] and r.json()["cost"] == 28 * 8  # 2 + 2 agents, 4 h, 7 days
    assert (
        res["totals"]["under_agent_intervals"] == 0 and res["totals"]["over_agent_intervals"] == 0
    )
    skill_of = {str(w.user_id): s for w, s in skills}
    for a in res["assignments"]:
        assert a["start"] == ("09:00" if skill_of[a["agent_id"]] == "sales" else "13:00")
    assert [q["queue"] for q in res["queues"]] == ["sales", "support"]
    assert sorted(g["skills"] for g in res["groups"]) == [["sales"], ["support"]]
    sim = await client.post(
        "/api/v1/wfm/simulations",
        json={"schedule_id": r.json()["id"], "replications": 1},
        headers=h,
    )
    assert sim.status_code == 200, sim.text
    base = sim.json()["scenarios"][0]
    assert base["totals"]["offered"] > 0 and max(base["intervals"]["agents"]) == 2
    same = {**body, "extra_forecast_ids": [sales["id"], sales["id"]]}  # duplicates collapse
    assert (await client.post("/api/v1/wfm/schedules", json=same, headers=h)).status_code == 201
