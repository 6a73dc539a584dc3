"""Interval labels of a schedule's week name the real weekday of each day, whatever weekday the
week starts on (the console's coverage chart and scenario comparison show them)."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from tests.factories import Factory
from tests.wfm.api_data import csv_history, forecast, today, upload

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TEMPLATE = {
    "name": "Early",
    "length_minutes": 60,
    "earliest_start": "09:00",
    "latest_start": "09:00",
}


def _next_thursday(d: date) -> date:
    return d + timedelta(days=(3 - d.weekday()) % 7 or 7)


async def test_week_labels_follow_week_start(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    h = world.admin.headers
    flat = (1.0,) * 7
    text = csv_history(today() - timedelta(days=7), 7, slots=("09:00", "09:30"), weekly=flat)
    assert (await upload(client, world.admin, text)).status_code == 201
    start = _next_thursday(today())
    fc = await forecast(
        client,
        world.admin,
        queue="all",
        days_ahead=7,
        start=start.isoformat(),
        model="seasonal_naive",
    )
    tpl = (await client.post("/api/v1/wfm/shift-templates", json=TEMPLATE, headers=h)).json()
    body = {
        "forecast_id": fc["id"],
        "week_start": start.isoformat(),
        "templates": [tpl["id"]],
        "agents": [str(world.agent.user_id)],
    }
    r = await client.post("/api/v1/wfm/schedules", json=body, headers=h)
    assert r.status_code == 201, r.text
    labels = r.json()["result"]["coverage"]["labels"]
    per_day = len(labels) // 7
    assert [labels[d * per_day][:3] for d in range(7)] == [
        "Thu",
        "Fri",
        "Sat",
        "Sun",
        "Mon",
        "Tue",
        "Wed",
    ]
    assert labels[18] == "Thu 09:00"  # 30-minute intervals: the 19th of day 0

    sim = await client.post(
        "/api/v1/wfm/simulations",
        json={"schedule_id": r.json()["id"], "replications": 1, "scenarios": []},
        headers=h,
    )
    assert sim.status_code == 200, sim.text
    assert sim.json()["scenarios"][0]["intervals"]["labels"] == labels
    assert all(b[:3] in WEEKDAYS for b in sim.json()["scenarios"][0]["bottlenecks"])
