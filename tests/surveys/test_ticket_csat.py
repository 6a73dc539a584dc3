"""Rating a solved ticket through the requester's signed link: once, in the late window."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from kefu.channels.email.models import EmailRecord
from kefu.core.db import utcnow
from kefu.surveys.models import CsatResponse
from kefu.tickets.models import Ticket
from tests.factories import Factory, World
from tests.tickets.helpers import contact, ticket

EVIL = '<script>alert("x")</script>'


async def _answers(factory: Factory, tenant_id: uuid.UUID) -> int:
    async with factory.rt.db.sessions() as session:
        stmt = select(func.count()).select_from(CsatResponse)
        return int(await session.scalar(stmt.where(CsatResponse.tenant_id == tenant_id)) or 0)


async def _solved(client: httpx.AsyncClient, w: World) -> tuple[dict[str, str], str]:
    t = await ticket(client, w.agent, await contact(client, w), subject=f"Refund {EVIL}")
    base = f"/api/v1/tickets/{t['id']}"
    link = (await client.get(f"{base}/portal-link", headers=w.agent.headers)).json()
    r = await client.post(
        f"{base}/comments", json={"body": "Refunded", "status": "solved"}, headers=w.agent.headers
    )
    assert r.status_code == 201, r.text
    return t, link["token"]


async def _mail_body(factory: Factory, ticket_id: str) -> str:
    async with factory.rt.db.sessions() as session:
        stmt = select(EmailRecord.body).where(EmailRecord.ticket_id == uuid.UUID(ticket_id))
        return str((await session.execute(stmt)).scalar_one())


async def test_solved_ticket_is_rated_once(factory: Factory, client: httpx.AsyncClient) -> None:
    w = await factory.world()
    box = {"address": f"s-{uuid.uuid4().hex[:8]}@shop.example.com", "display_name": "Shop"}
    smtp = {"smtp_host": "127.0.0.1", "smtp_port": 2525, "smtp_security": "none"}
    r = await client.post("/api/v1/email/mailboxes", json=box | smtp, headers=w.admin.headers)
    assert r.status_code == 201, r.text
    t, token = await _solved(client, w)
    # the solving reply mailed to the requester carries the rating link
    mail = await _mail_body(factory, t["id"])
    assert f"/portal/tickets/{token}/rating" in mail
    path = mail.rpartition("/portal/tickets/")[2].split()[0]
    assert (await client.get(f"/portal/tickets/{path}")).status_code == 200
    page = (await client.get(f"/api/v1/portal/tickets/{token}")).json()
    assert page["rating_link"].endswith(f"/portal/tickets/{token}/rating")
    portal = await client.get(f"/portal/tickets/{token}", headers={"Accept-Language": "zh"})
    assert f'href="/portal/tickets/{token}/rating"' in portal.text and "评价本次服务" in portal.text
    form = await client.get(f"/portal/tickets/{token}/rating", headers={"Accept-Language": "zh"})
    assert form.status_code == 200 and "满意" in form.text and 'name="score"' in form.text
    assert "default-src 'none'" in form.headers["content-security-policy"]
    url = f"/api/v1/portal/tickets/{token}/csat"
    for bad in ({"score": 0}, {"score": 6}, {"score": 3, "comment": "x" * 2001}, {}):
        assert (await client.post(url, json=bad)).status_code == 422
    assert (
        await client.post(f"/portal/tickets/{token}/rating", data={"score": "9"})
    ).status_code == 422
    assert await _answers(factory, w.tenant_id) == 0
    r = await client.post(url, json={"score": 4, "comment": f" fast {EVIL} "})
    assert r.status_code == 201, r.text
    assert r.json()["ticket_id"] == t["id"] and r.json()["comment"] == f"fast {EVIL}"
    again = await client.post(f"/portal/tickets/{token}/rating", data={"score": "1"})
    assert again.status_code == 409 and again.json()["code"] == "csat_ticket_already_rated"
    assert await _answers(factory, w.tenant_id) == 1
    async with factory.rt.db.sessions() as session:
        row = await session.scalar(
            select(CsatResponse).where(CsatResponse.tenant_id == w.tenant_id)
        )
        assert row is not None and row.score == 4 and row.agent_id is None
        assert str(row.ticket_id) == t["id"] and row.conversation_id is None


async def test_html_form_thanks_escaped(factory: Factory, client: httpx.AsyncClient) -> None:
    w = await factory.world()
    _, token = await _solved(client, w)
    r = await client.post(
        f"/portal/tickets/{token}/rating",
        data={"score": "5", "comment": EVIL},
        headers={"Accept-Language": "en"},
    )
    assert r.status_code == 200 and "Thank you" in r.text and "<script>" not in r.text
    assert await _answers(factory, w.tenant_id) == 1


async def test_unsolved_forged_late_and_foreign_links_are_refused(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w, other = await factory.world(), await factory.world("Other")
    open_t = await ticket(client, w.agent, await contact(client, w))
    link = (
        await client.get(f"/api/v1/tickets/{open_t['id']}/portal-link", headers=w.agent.headers)
    ).json()
    page = (await client.get(f"/api/v1/portal/tickets/{link['token']}")).json()
    assert page["rating_link"] is None
    r = await client.post(f"/api/v1/portal/tickets/{link['token']}/csat", json={"score": 5})
    assert r.status_code == 409 and r.json()["code"] == "csat_ticket_not_solved"
    t, token = await _solved(client, w)
    _, foreign = await _solved(client, other)
    ident = t["id"].replace("-", "")
    # the other tenant's signature does not open this tenant's ticket; nor does a forged one
    for bad in (f"{ident}.{foreign.partition('.')[2]}", token[:-4] + "0000", "nope"):
        assert (
            await client.post(f"/api/v1/portal/tickets/{bad}/csat", json={"score": 1})
        ).status_code == 404
        assert (await client.get(f"/portal/tickets/{bad}/rating")).status_code == 404
    # the window is the conversation CSAT window (settings.csat_window), from solved_at
    async with factory.rt.db.sessions() as session:
        row = await session.get(Ticket, uuid.UUID(t["id"]))
        assert row is not None
        window = timedelta(seconds=factory.rt.settings.csat_window)
        row.solved_at = utcnow() - window - timedelta(minutes=1)
        await session.commit()
    late = await client.post(
        f"/api/v1/portal/tickets/{token}/csat", json={"score": 5}, headers={"Accept-Language": "zh"}
    )
    assert late.status_code == 409 and late.json()["code"] == "csat_too_late"
    assert (
        await _answers(factory, w.tenant_id) == 0 and await _answers(factory, other.tenant_id) == 0
    )
