"""Reports beyond the summary on hand-built scenarios with known answers: tickets, contacts per
10,000 orders, the tenant's service-level T, the breakdown by agent, and every export."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
from sqlalchemy import update

from kefu.analytics.business import days_starting_in
from kefu.analytics.reports import safe_cell
from kefu.analytics.tasks import sync_facts
from kefu.bot.models import BotTurn
from kefu.tickets.models import Ticket
from tests.analytics.test_metrics import T0, scenario
from tests.factories import Factory
from tests.tickets.helpers import contact, ticket

DAY = {"start": "2026-11-11T00:00:00+08:00", "end": "2026-11-12T00:00:00+08:00"}


def metrics(body: dict[str, object]) -> dict[str, float | None]:
    return {m["key"]: m["value"] for m in body["metrics"]}  # type: ignore[attr-defined]


async def test_orders_rate_settings_and_breakdown(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    await scenario(factory, world)
    await sync_facts(factory.rt)
    h, sup = world.admin.headers, world.supervisor.headers
    orders = {"days": [{"day": "2026-11-11", "orders": 20000}, {"day": "2026-11-12", "orders": 7}]}
    assert (
        await client.put("/api/v1/analytics/orders", json=orders, headers=sup)
    ).status_code == 403
    assert (await client.put("/api/v1/analytics/orders", json=orders, headers=h)).status_code == 200
    bad = {"days": [{"day": "2026-11-11", "orders": -1}]}
    assert (await client.put("/api/v1/analytics/orders", json=bad, headers=h)).status_code == 422
    m = metrics((await client.get("/api/v1/analytics/summary", params=DAY, headers=sup)).json())
    assert m["contacts_per_10k_orders"] == 10 / 20000 * 10_000
    assert m["service_level"] == 0.7  # the tenant's T defaults to 20 s
    assert (await client.get("/api/v1/analytics/settings", headers=sup)).json() == {
        "service_level_seconds": 20
    }
    r = await client.put(
        "/api/v1/analytics/settings", json={"service_level_seconds": 10}, headers=h
    )
    assert r.status_code == 200
    m = metrics((await client.get("/api/v1/analytics/summary", params=DAY, headers=sup)).json())
    assert m["service_level"] == 0.4

    rows = (
        await client.get("/api/v1/analytics/breakdown", params={**DAY, "by": "agent"}, headers=sup)
    ).json()
    by_key = {row["key"]: row for row in rows}
    agent = by_key[str(world.agent.user_id)]
    assert agent["name"].startswith("agent ") and agent["conversations"] == 9
    assert agent["service_level"] == 4 / 9 and agent["abandonment_rate"] == 0
    assert by_key[None]["conversations"] == 1 and by_key[None]["abandonment_rate"] == 1
    only_agent = {**DAY, "agent_id": str(world.agent.user_id), "bucket": "hour"}
    volume = (await client.get("/api/v1/analytics/volume", params=only_agent, headers=sup)).json()
    assert volume == [{"bucket": "2026-11-11 10:00", "conversations": 9, "messages": 9}]


async def test_ticket_metrics(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    requester = await contact(client, world)
    ids = [(await ticket(client, world.admin, requester))["id"] for _ in range(3)]
    solved = await client.patch(
        f"/api/v1/tickets/{ids[0]}", json={"status": "solved"}, headers=world.admin.headers
    )
    assert solved.status_code == 200, solved.text
    async with factory.rt.db.sessions() as session:
        now = datetime.now(UTC)
        await session.execute(
            update(Ticket).where(Ticket.id == uuid.UUID(ids[1])).values(resolution_breached_at=now)
        )
        await session.commit()
    period = {
        "start": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        "end": (datetime.now(UTC) + timedelta(minutes=5)).isoformat(),
    }
    r = await client.get("/api/v1/analytics/summary", params=period, headers=world.admin.headers)
    m = metrics(r.json())
    assert (m["tickets_created"], m["tickets_solved"], m["tickets_breached"]) == (3, 1, 1)
    assert m["contacts_per_10k_orders"] is None  # no orders posted


async def test_every_report_exports_as_csv_and_xlsx(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    await scenario(factory, world)
    await sync_facts(factory.rt)
    h = world.supervisor.headers
    expected = {
        "summary": ["metric", "value", "previous"],
        "volume": ["bucket", "conversations", "messages"],
        "heatmap": ["weekday", "hour", "conversations"],
        "top_questions": ["faq_id", "question", "count"],
        "top_unanswered": ["question", "count"],
        "breakdown": ["agent", "name", "conversations"],
    }
    for report, header in expected.items():
        params = {**DAY, "report": report, "by": "agent", "format": "csv"}
        r = await client.get("/api/v1/analytics/export", params=params, headers=h)
        assert r.status_code == 200, (report, r.text)
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert rows[0][: len(header)] == header, report
        x = await client.get(
            "/api/v1/analytics/export", params={**params, "format": "xlsx"}, headers=h
        )
        assert x.content[:2] == b"PK" and x.headers["content-disposition"].endswith('.xlsx"')
    heat = await client.get(
        "/api/v1/analytics/export", params={**DAY, "report": "heatmap"}, headers=h
    )
    assert list(csv.reader(io.StringIO(heat.content.decode("utf-8-sig"))))[1] == ["2", "10", "10"]
    assert (
        await client.get("/api/v1/analytics/export", params=DAY, headers=world.agent.headers)
    ).status_code == 403


def test_order_days_and_formula_cells() -> None:
    start, end = datetime.fromisoformat(DAY["start"]), datetime.fromisoformat(DAY["end"])
    assert days_starting_in(start, end, "Asia/Shanghai") == (date(2026, 11, 11), date(2026, 11, 11))
    assert days_starting_in(T0, T0 + timedelta(days=2), "Asia/Shanghai") == (
        date(2026, 11, 12),
        date(2026, 11, 13),
    )
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("ok") == "ok"
    assert safe_cell(-3) == -3


async def test_bot_figures_follow_the_channel_and_unanswered_text_exports_safely(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    said = []
    for text in ('=HYPERLINK("x")', "where is my parcel", "refund?", "hello"):
        said.append(await factory.contact_says(await factory.visitor(world), text))
    outcomes = [("fallback", None), ("fallback", None), ("answer", "faq-1"), ("clarify", None)]
    async with factory.rt.db.sessions() as session:
        for message, (outcome, faq) in zip(said, outcomes, strict=True):
            session.add(
                BotTurn(
                    tenant_id=world.tenant_id, conversation_id=uuid.UUID(message["conversation_id"]),
                    message_id=uuid.UUID(message["id"]), outcome=outcome, faq_id=faq,
                    language="en", created_at=T0,
                )
            )  # fmt: skip
        await session.commit()
    h = world.supervisor.headers

    async def coverage(channel: str) -> float | None:
        params = {**DAY, "channel": channel}
        r = await client.get("/api/v1/analytics/summary", params=params, headers=h)
        return metrics(r.json())["bot_coverage"]

    assert await coverage("widget") == 1 / 4
    assert await coverage("email") is None
    top = (await client.get("/api/v1/analytics/top-questions", params=DAY, headers=h)).json()
    assert top["answered"] == [{"faq_id": "faq-1", "question": "", "count": 1}]
    assert sorted(q["text"] for q in top["unanswered"]) == ['=HYPERLINK("x")', "where is my parcel"]
    params = {**DAY, "report": "top_unanswered"}
    r = await client.get("/api/v1/analytics/export", params=params, headers=h)
    cells = [row[0] for row in csv.reader(io.StringIO(r.content.decode("utf-8-sig")))]
    assert '\'=HYPERLINK("x")' in cells and '=HYPERLINK("x")' not in cells
