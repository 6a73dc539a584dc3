"""Victim ids and request bodies of the WFM endpoints, for tests/core/test_tenant_isolation.py
(which walks every id-taking route)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from tests.factories import World
from tests.wfm.api_data import csv_history, today, upload

TEMPLATE = {
    "name": "Day",
    "length_minutes": 120,
    "earliest_start": "09:00",
    "latest_start": "09:00",
}
WFM_BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/wfm/events/{event_id}": {"name": "x", "date": "2026-11-11"},
    "/api/v1/wfm/shift-templates/{template_id}": TEMPLATE,
}


async def wfm_ids(client: httpx.AsyncClient, victim: World) -> dict[str, str]:
    h = victim.admin.headers
    await upload(client, victim.admin, csv_history(today() - timedelta(days=3), 3))
    body = {"queue": "calls", "days_ahead": 1}
    fc = (await client.post("/api/v1/wfm/forecasts", json=body, headers=h)).json()
    event = await client.post(
        "/api/v1/wfm/events", json={"name": "双11", "date": "2026-11-11"}, headers=h
    )
    tpl = (await client.post("/api/v1/wfm/shift-templates", json=TEMPLATE, headers=h)).json()
    plan = {
        "forecast_id": fc["id"],
        "week_start": fc["first_day"],
        "templates": [tpl["id"]],
        "agents": [str(victim.agent.user_id)],
        "time_limit_seconds": 2,
    }
    schedule = (await client.post("/api/v1/wfm/schedules", json=plan, headers=h)).json()
    return {
        "forecast_id": fc["id"],
        "event_id": event.json()["id"],
        "template_id": tpl["id"],
        "schedule_id": schedule["id"],
    }
