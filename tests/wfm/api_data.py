"""Small, deterministic WFM data for the API tests (CSV history, uploads)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.factories import Login

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKLY = (1.0, 1.1, 1.0, 0.9, 1.2, 0.6, 0.5)  # Monday first


def today() -> date:
    return datetime.now(SHANGHAI).date()


def csv_history(
    first: date,
    days: int,
    queue: str = "calls",
    slots: tuple[str, ...] = ("09:00", "09:30", "10:00", "10:30"),
    base: float = 20.0,
    weekly: tuple[float, ...] = WEEKLY,
    aht: float | None = 180.0,
) -> str:
    """One row per day and slot, volume = base × weekday factor (+ a small fixed pattern)."""
    head = "timestamp,queue,contacts" + (",aht_seconds" if aht is not None else "")
    rows = [head]
    for i in range(days):
        d = first + timedelta(days=i)
        for j, hhmm in enumerate(slots):
            contacts = round(base * weekly[d.weekday()] + (j % 2), 1)
            tail = f",{aht:g}" if aht is not None else ""
            rows.append(f"{d.isoformat()}T{hhmm}:00,{queue},{contacts:g}{tail}")
    return "\n".join(rows) + "\n"


async def upload(client: httpx.AsyncClient, who: Login, text: str) -> httpx.Response:
    files = {"file": ("history.csv", text.encode("utf-8"), "text/csv")}
    return await client.post("/api/v1/wfm/history/import", files=files, headers=who.headers)


async def forecast(client: httpx.AsyncClient, who: Login, **body: Any) -> dict[str, Any]:
    r = await client.post("/api/v1/wfm/forecasts", json=body, headers=who.headers)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out
