"""Outside business hours in the widget: the session says whether the team is in, the bot's
handoff does not promise an agent and routing's off-hours notice is said once, and the contact
leaves a message that becomes a ticket (bad input writes nothing; tokens stay in their tenant)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from kefu.bot.service import CLOSED_VARIANTS, TEXTS
from tests.conftest import LiveServer
from tests.factories import Factory, Visitor, World
from tests.routing.helpers import settled

ALL_DAY = {str(d): [{"start": "00:00", "end": "24:00"}] for d in range(7)}
AWAY = {"en": "We are away until tomorrow.", "zh-CN": "我们明天上班，请留言。"}


async def hours(client: httpx.AsyncClient, world: World, **body: Any) -> None:
    r = await client.put("/api/v1/business-hours", json=body, headers=world.admin.headers)
    assert r.status_code == 200, r.text


async def closed_today(client: httpx.AsyncClient, world: World) -> datetime:
    """Open every day but today (a holiday in the tenant's zone): returns tomorrow's opening."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    await hours(
        client,
        world,
        enabled=True,
        weekly=ALL_DAY,
        holidays=[{"date": today.isoformat(), "name": "休息日"}],
        off_hours_message=AWAY,
    )
    tomorrow = today + timedelta(days=1)
    return datetime.combine(tomorrow, datetime.min.time(), ZoneInfo("Asia/Shanghai"))


async def session_inbox(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    body = {"widget_key": world.widget_key, "locale": "en"}
    r = await client.post("/api/v1/widget/sessions", json=body)
    assert r.status_code == 201, r.text
    inbox: dict[str, Any] = r.json()["inbox"]
    return inbox


async def status(client: httpx.AsyncClient, visitor: Visitor) -> dict[str, Any]:
    r = await client.get("/api/v1/widget/status", headers=visitor.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_session_and_status_say_closed_outside_hours_and_open_inside(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world, other = await factory.world(), await factory.world("Other")
    visitor, outsider = await factory.visitor(world), await factory.visitor(other)
    inbox = await session_inbox(client, world)
    assert inbox["open_now"] is True and inbox["next_open"] is None, "no hours: always open"

    opens = await closed_today(client, world)
    inbox = await session_inbox(client, world)
    assert inbox["open_now"] is False and datetime.fromisoformat(inbox["next_open"]) == opens
    assert await status(client, visitor) == {"open_now": False, "next_open": inbox["next_open"]}
    assert (await status(client, outsider))["open_now"] is True, "another tenant's hours"

    await hours(client, world, enabled=True, weekly={})
    assert await status(client, visitor) == {"open_now": False, "next_open": None}, "never"
    await hours(client, world, enabled=True, weekly=ALL_DAY)
    assert (await session_inbox(client, world))["open_now"] is True
    assert await status(client, visitor) == {"open_now": True, "next_open": None}
    assert (await client.get("/api/v1/widget/status")).status_code == 401
    bad = {"Authorization": "Bearer not-a-contact-token"}
    assert (await client.get("/api/v1/widget/status", headers=bad)).status_code == 401


async def bot_reply(client: httpx.AsyncClient, visitor: Visitor) -> dict[str, Any]:
    for _ in range(300):
        r = await client.get("/api/v1/widget/messages", headers=visitor.headers)
        replies = [m for m in r.json()["items"] if m["sender_type"] == "bot"]
        if replies:
            return replies[0]
        await asyncio.sleep(0.1)
    raise AssertionError("the bot did not reply")


async def test_bot_handoff_while_closed_queues_and_says_off_hours_once(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    r = await client.patch(
        f"/api/v1/inboxes/{world.inbox_id}",
        json={"settings": {"bot_enabled": True}},
        headers=world.admin.headers,
    )
    assert r.status_code == 200, r.text
    await closed_today(client, world)
    visitor = await factory.visitor(world)
    await factory.contact_says(visitor, "转人工")
    reply = await bot_reply(client, visitor)
    assert reply["body"] == "我已把您的问题转给人工客服。", "no agent 'in a moment' while closed"
    await settled(server)
    c = await client.get(
        f"/api/v1/conversations/{reply['conversation_id']}", headers=world.admin.headers
    )
    assert c.json()["status"] == "queued" and c.json()["handoff_reason"] == "no_knowledge"
    await factory.contact_says(visitor, "有人吗？")
    await settled(server)
    items = (await client.get("/api/v1/widget/messages", headers=visitor.headers)).json()["items"]
    notices = [m["body"] for m in items if m["sender_type"] == "system"]
    assert notices == [AWAY["zh-CN"]], "the tenant's message, once per stay in the queue"
    assert [m["sender_type"] for m in items][:3] == ["contact", "bot", "system"]


async def tickets_of(client: httpx.AsyncClient, world: World) -> list[dict[str, Any]]:
    r = await client.get("/api/v1/tickets", headers=world.agent.headers)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def contact_row(client: httpx.AsyncClient, world: World, visitor: Visitor) -> Any:
    r = await client.get(f"/api/v1/contacts/{visitor.contact_id}", headers=world.admin.headers)
    assert r.status_code == 200, r.text
    return r.json()


LEFT = {
    "subject": "Order A123 has not arrived",
    "description": "Order A123 has not arrived.\nPlease call me back.",
    "name": "Li Lei",
    "email": "li.lei@example.com",
}


async def test_leave_a_message_creates_a_ticket_for_that_contact(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    await closed_today(client, world)
    visitor = await factory.visitor(world)
    h = visitor.headers
    bad_cases = [
        {**LEFT, "description": ""},
        {**LEFT, "subject": ""},
        {**LEFT, "subject": "x" * 301},
        {**LEFT, "email": "not-an-email"},
        {**LEFT, "name": "n" * 201},
        {**LEFT, "phone": "123"},
        {"description": "no subject"},
    ]
    for bad in bad_cases:
        r = await client.post("/api/v1/widget/tickets", json=bad, headers=h)
        assert r.status_code == 422, bad
    assert await tickets_of(client, world) == [], "nothing written"
    before = await contact_row(client, world, visitor)
    assert before["email"] is None

    r = await client.post("/api/v1/widget/tickets", json=LEFT, headers=h)
    assert r.status_code == 201, r.text
    left = r.json()
    assert left["status"] == "new" and left["subject"] == LEFT["subject"]
    assert left["link"].startswith("http") and "/portal/tickets/" in left["link"]
    [ticket] = await tickets_of(client, world)
    assert ticket["id"] == left["id"] and ticket["channel"] == "widget"
    assert ticket["requester_id"] == str(visitor.contact_id)
    assert ticket["description"] == LEFT["description"]
    after = await contact_row(client, world, visitor)
    assert after["email"] == LEFT["email"] and after["name"] == "Li Lei"
    mine = (await client.get("/api/v1/widget/tickets", headers=h)).json()
    assert [t["id"] for t in mine] == [left["id"]]
    page = await client.get(httpx.URL(left["link"]).path)
    assert page.status_code == 200 and "Order A123" in page.text


async def test_another_tenants_contact_token_stays_in_its_tenant(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world, other = await factory.world(), await factory.world("Other")
    visitor, outsider = await factory.visitor(world), await factory.visitor(other)
    r = await client.post("/api/v1/widget/tickets", json=LEFT, headers=visitor.headers)
    assert r.status_code == 201, r.text
    mine = r.json()
    assert (await client.get("/api/v1/widget/tickets", headers=outsider.headers)).json() == []
    r = await client.post("/api/v1/widget/tickets", json=LEFT, headers=outsider.headers)
    assert r.status_code == 201, r.text
    assert [t["id"] for t in await tickets_of(client, world)] == [mine["id"]]
    assert [t["id"] for t in await tickets_of(client, other)] == [r.json()["id"]]
    r = await client.get(f"/api/v1/tickets/{mine['id']}", headers=other.agent.headers)
    assert r.status_code == 404, "the other tenant's agents cannot read it"
    bad = {"Authorization": f"Bearer {visitor.token}x"}
    r = await client.post("/api/v1/widget/tickets", json=LEFT, headers=bad)
    assert r.status_code == 401
    assert len(await tickets_of(client, world)) == 1
    resumed = {"widget_key": world.widget_key, "contact_token": outsider.token}
    r = await client.post("/api/v1/widget/sessions", json=resumed)
    assert r.status_code == 201 and r.json()["contact_id"] != str(outsider.contact_id)
    assert r.json()["contact_token"] != outsider.token, "not resumed in another tenant"


def test_every_bot_handoff_text_has_an_off_hours_wording() -> None:
    for key in ("handoff", "handoff_negative"):
        for lang, text in TEXTS[key].items():
            assert CLOSED_VARIANTS[text] == TEXTS[f"{key}_closed"][lang]
            assert "稍候" not in CLOSED_VARIANTS[text] and "moment" not in CLOSED_VARIANTS[text]
