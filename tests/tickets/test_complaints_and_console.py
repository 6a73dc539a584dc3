"""What the console's ticket screens rely on: complaints flagged by the requester's negative
sentiment (conversation, email, widget) get the complaint SLA; list pages side-load requesters."""

from __future__ import annotations

import uuid
from email.message import EmailMessage

import httpx

from kefu.channels.email.service import ingest_raw
from tests.conftest import LiveServer
from tests.factories import Factory
from tests.tickets.helpers import contact, ticket
from tests.tickets.test_sla_timers import policy

ANGRY_ZH = "你们的服务太差了，垃圾，气死我了，我要投诉！"
ANGRY_EN = "This is the worst service ever. I am furious and disgusted, terrible!"


async def test_negative_conversation_becomes_a_complaint_with_the_complaint_sla(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    await policy(client, w, name="Standard", position=0)
    complaint = await policy(client, w, name="投诉", complaint=True, first_response_minutes=5)
    angry, calm = await factory.visitor(w), await factory.visitor(w)
    said = await factory.contact_says(angry, "我的退款还没到账")
    await factory.contact_says(angry, ANGRY_ZH)
    quiet = await factory.contact_says(calm, "我的退款还没到账")
    h = w.agent.headers

    r = await client.post(
        f"/api/v1/conversations/{said['conversation_id']}/ticket", json={}, headers=h
    )
    assert r.status_code == 201, r.text
    t = r.json()
    assert (t["type"], t["sla"]["policy_id"]) == ("complaint", complaint["id"])
    history = (await client.get(f"/api/v1/tickets/{t['id']}/history", headers=h)).json()
    assert history[0]["field"] == "created" and history[0]["new"]["flagged"] == "negative_sentiment"

    r = await client.post(
        f"/api/v1/conversations/{quiet['conversation_id']}/ticket", json={}, headers=h
    )
    assert r.json()["type"] == "question" and r.json()["sla"]["policy_id"] != complaint["id"]
    # the conversation view finds the ticket it already has
    r = await client.get(
        "/api/v1/tickets", params={"conversation_id": said["conversation_id"]}, headers=h
    )
    assert [x["id"] for x in r.json()["items"]] == [t["id"]]


async def test_an_explicit_type_is_kept_whatever_the_sentiment(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w = await factory.world()
    visitor = await factory.visitor(w)
    said = await factory.contact_says(visitor, ANGRY_EN)
    url = f"/api/v1/conversations/{said['conversation_id']}/ticket"
    r = await client.post(url, json={"type": "incident"}, headers=w.agent.headers)
    assert r.status_code == 201 and r.json()["type"] == "incident"


def _mail(to: str, subject: str, text: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Li Lei <li.lei@customer.example.com>"
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@customer.example.com>"
    msg.set_content(text)
    return msg.as_bytes()


async def test_negative_email_becomes_a_complaint(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    w = await factory.world()
    complaint = await policy(client, w, name="Complaints", complaint=True)
    address = f"support-{uuid.uuid4().hex[:8]}@shop.example.com"
    r = await client.post(
        "/api/v1/email/mailboxes", json={"address": address}, headers=w.admin.headers
    )
    assert r.status_code == 201, r.text
    box = uuid.UUID(r.json()["id"])
    angry = await ingest_raw(server.runtime, box, _mail(address, "Order 42", ANGRY_EN))
    calm = await ingest_raw(server.runtime, box, _mail(address, "Order 43", "Where is my parcel?"))
    h = w.agent.headers
    a = (await client.get(f"/api/v1/tickets/{angry.ticket_id}", headers=h)).json()
    c = (await client.get(f"/api/v1/tickets/{calm.ticket_id}", headers=h)).json()
    assert (a["type"], a["sla"]["policy_id"]) == ("complaint", complaint["id"])
    assert (c["type"], c["sla"]["policy_id"]) == ("question", None)


async def test_list_pages_side_load_their_requesters(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    w, other = await factory.world(), await factory.world("Other")
    rid = await contact(client, w, name="<b>Li</b>")
    for _ in range(2):
        await ticket(client, w.agent, rid)
    await ticket(client, other.agent, await contact(client, other))
    page = (await client.get("/api/v1/tickets", headers=w.agent.headers)).json()
    assert len(page["items"]) == 2
    assert [(r["id"], r["name"]) for r in page["requesters"]] == [(rid, "<b>Li</b>")]
