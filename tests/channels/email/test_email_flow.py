"""Email end to end against real servers on localhost: kefu's SMTP endpoint (aiosmtpd) in,
an aiosmtpd relay out, and dovecot IMAP polled by the mailbox. Threading, dedupe, loops."""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import AsyncIterator
from email import message_from_bytes, policy
from typing import Any

import anyio
import httpx
import pytest
import pytest_asyncio
from sqlalchemy import String, func, select, type_coerce, update

from kefu.channels.email.models import EmailRecord, Mailbox
from kefu.channels.email.outbox import deliver_pending
from kefu.channels.email.schemas import MAX_PASSWORD
from kefu.channels.email.smtpd import serve
from kefu.core.sealing import PREFIX
from kefu.tickets.models import Ticket
from tests.channels.email.conftest import Dovecot, Sink, fixture_bytes
from tests.conftest import LiveServer, free_port
from tests.factories import Factory, World

FIRST_ID = "<CAF=x1y2z3.20261126091240@customer.example.com>"


@pytest_asyncio.fixture(loop_scope="session")
async def smtp_endpoint(server: LiveServer) -> AsyncIterator[int]:
    port = free_port()
    listener = await serve(server.runtime, "127.0.0.1", port)
    yield port
    listener.close()
    await listener.wait_closed()


async def smtp_send(port: int, raw: bytes, rcpt: str) -> None:
    def send() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.sendmail("li.lei@customer.example.com", [rcpt], raw)

    await anyio.to_thread.run_sync(send)


async def mailbox(client: httpx.AsyncClient, world: World, **body: Any) -> dict[str, Any]:
    address = f"support-{uuid.uuid4().hex[:8]}@shop.example.com"
    r = await client.post(
        "/api/v1/email/mailboxes",
        json={"address": address, "display_name": "Shop 客服", **body},
        headers=world.admin.headers,
    )
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def tickets_of(factory: Factory, world: World) -> list[Ticket]:
    async with factory.rt.db.sessions() as session:
        stmt = select(Ticket).where(Ticket.tenant_id == world.tenant_id).order_by(Ticket.number)
        return list((await session.execute(stmt)).scalars())


async def test_mailbox_secrets_are_write_only(factory: Factory, client: httpx.AsyncClient) -> None:
    w = await factory.world()
    box = await mailbox(
        client,
        w,
        active=False,  # never polled by the background job
        imap_host="imap.example.com",
        imap_password="s3cret",
        smtp_password="t0p",
    )
    assert box["imap_password_set"] and box["smtp_password_set"]
    assert "s3cret" not in str(box) and "imap_password" not in box
    url = f"/api/v1/email/mailboxes/{box['id']}"
    r = await client.patch(url, json={"smtp_password": ""}, headers=w.admin.headers)
    assert r.json()["smtp_password_set"] is False and r.json()["imap_password_set"] is True
    listed = await client.get("/api/v1/email/mailboxes", headers=w.admin.headers)
    assert "s3cret" not in listed.text
    # at rest too: the database holds the password sealed (kefu.core.sealing), not as typed
    async with factory.rt.db.sessions() as session:
        raw = select(type_coerce(Mailbox.imap_password, String()))  # the column, unopened
        stored = await session.scalar(raw.where(Mailbox.id == uuid.UUID(box["id"])))
    assert stored.startswith(PREFIX) and "s3cret" not in stored
    long = {"imap_password": "x" * (MAX_PASSWORD + 1)}
    r = await client.patch(url, json=long, headers=w.admin.headers)
    assert r.status_code == 422  # longer than its sealed form can hold
    assert (await client.get(url, headers=w.agent.headers)).status_code == 403
    taken = await client.post(
        "/api/v1/email/mailboxes", json={"address": box["address"]}, headers=w.admin.headers
    )
    assert taken.status_code == 409


async def test_inbound_threading_dedupe_loops_and_outbound_reply(
    factory: Factory, client: httpx.AsyncClient, smtp_endpoint: int, smtp_sink: Sink
) -> None:
    w = await factory.world()
    box = await mailbox(
        client, w, smtp_host="127.0.0.1", smtp_port=smtp_sink.port, smtp_security="none"
    )
    to = box["address"]
    first = fixture_bytes("new_request.eml")
    await smtp_send(smtp_endpoint, first, to)
    await smtp_send(smtp_endpoint, first, to)  # the same email twice: one ticket, one comment
    await smtp_send(smtp_endpoint, fixture_bytes("followup_same_thread.eml"), to)
    for name in ("out_of_office.eml", "bounce.eml", "newsletter_bulk.eml"):
        await smtp_send(smtp_endpoint, fixture_bytes(name), to)
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        await smtp_send(smtp_endpoint, first, "nobody@shop.example.com")
    [t] = await tickets_of(factory, w)
    assert (t.subject, t.channel, t.status) == ("订单 A123 退款还没到账", "email", "new")
    h = w.agent.headers
    comments = (await client.get(f"/api/v1/tickets/{t.id}/comments", headers=h)).json()
    assert [c["author_type"] for c in comments] == ["contact", "contact"]
    assert "9988" in comments[1]["body"]
    # the agent answers in public: it goes out over SMTP, threaded under the customer's mail
    await client.patch(
        f"/api/v1/tickets/{t.id}", json={"assignee_id": str(w.agent.user_id)}, headers=h
    )
    r = await client.post(
        f"/api/v1/tickets/{t.id}/comments",
        json={"body": "已提交财务处理", "status": "pending"},
        headers=h,
    )
    assert r.status_code == 201
    await client.post(
        f"/api/v1/tickets/{t.id}/comments",
        json={"body": "internal only", "public": False},
        headers=h,
    )
    await deliver_pending(factory.rt)
    [envelope] = await smtp_sink.wait_for(1)
    sent = message_from_bytes(envelope.original_content, policy=policy.default)
    assert envelope.rcpt_tos == ["li.lei@customer.example.com"]
    assert sent["In-Reply-To"] == "<CAF=a9b8c7.20261126113000@customer.example.com>"
    assert FIRST_ID in sent["References"]
    assert sent["Subject"] == f"Re: 订单 A123 退款还没到账 [#{t.number}]"
    body = sent.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "已提交财务处理" in body and "/portal/tickets/" in body
    assert "internal only" not in body and len(smtp_sink.received) == 1
    # the customer's reply to our message lands in the same ticket and reopens it
    reply = fixture_bytes("reply_to_agent.eml", IN_REPLY_TO=sent["Message-ID"])
    await smtp_send(smtp_endpoint, reply, to)
    [again] = await tickets_of(factory, w)
    assert again.id == t.id and again.status == "open"
    async with factory.rt.db.sessions() as session:
        kinds = (
            await session.execute(
                select(EmailRecord.kind, func.count())
                .where(EmailRecord.tenant_id == w.tenant_id)
                .group_by(EmailRecord.kind)
            )
        ).all()
    assert dict(kinds) == {"message": 4, "auto_reply": 2, "bounce": 1}
    assert len(smtp_sink.received) == 1  # nothing automatic was answered


async def test_own_mail_does_not_loop(
    factory: Factory, client: httpx.AsyncClient, smtp_endpoint: int
) -> None:
    w = await factory.world()
    box = await mailbox(client, w)
    own = fixture_bytes("new_request.eml").replace(
        b"Li.Lei@customer.example.com", box["address"].encode()
    )
    await smtp_send(smtp_endpoint, own, box["address"])
    assert await tickets_of(factory, w) == []


async def test_imap_polling_against_dovecot(
    factory: Factory, client: httpx.AsyncClient, dovecot: Dovecot
) -> None:
    w = await factory.world()
    # inactive: the background poll job leaves it alone, so the counts below are this test's own
    box = await mailbox(
        client,
        w,
        active=False,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_ssl=False,
        imap_user=dovecot.user,
        imap_password=dovecot.password,
    )
    dovecot.deliver(fixture_bytes("html_with_attachments.eml"))
    dovecot.deliver(fixture_bytes("bounce.eml"))
    poll = f"/api/v1/email/mailboxes/{box['id']}/poll"
    r = await client.post(poll, headers=w.admin.headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"fetched": 2, "created": 1, "threaded": 0, "duplicate": 0, "ignored": 1}
    assert (await client.post(poll, headers=w.admin.headers)).json()["fetched"] == 0
    # a lost UID mark (or a second fetcher) reads the same mail again: nothing new is created
    async with factory.rt.db.sessions() as session:
        await session.execute(
            update(Mailbox).where(Mailbox.id == uuid.UUID(box["id"])).values(imap_last_uid=0)
        )
        await session.commit()
    again = (await client.post(poll, headers=w.admin.headers)).json()
    assert again["fetched"] == 2 and again["duplicate"] == 2
    [t] = await tickets_of(factory, w)
    comments = (
        await client.get(f"/api/v1/tickets/{t.id}/comments", headers=w.agent.headers)
    ).json()
    assert "<script" not in comments[0]["html"] and "<b>B77</b>" in comments[0]["html"]
    files = comments[0]["attachments"]
    assert [(f["filename"], f.get("skipped", False)) for f in files] == [
        ("receipt.pdf", False),
        ("setup.exe", True),
    ]
    download = await client.get(
        f"/api/v1/tickets/{t.id}/attachments/{files[0]['id']}", headers=w.agent.headers
    )
    assert download.status_code == 200 and download.content.startswith(b"%PDF-1.4")
    wrong = await mailbox(
        client,
        w,
        active=False,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_ssl=False,
        imap_user=dovecot.user,
        imap_password="wrong",
    )
    failed = await client.post(
        f"/api/v1/email/mailboxes/{wrong['id']}/poll", headers=w.admin.headers
    )
    assert failed.status_code == 503
    listed = (
        await client.get(f"/api/v1/email/mailboxes/{wrong['id']}", headers=w.admin.headers)
    ).json()
    assert listed["last_error"]


async def test_widget_message_is_answered_by_email(
    factory: Factory, client: httpx.AsyncClient, smtp_sink: Sink
) -> None:
    w = await factory.world()
    await mailbox(client, w, smtp_host="127.0.0.1", smtp_port=smtp_sink.port, smtp_security="none")
    visitor = await factory.visitor(w)
    left = {"subject": "晚上留言", "description": "发票抬头错了", "email": "wang@example.com"}
    r = await client.post("/api/v1/widget/tickets", json=left, headers=visitor.headers)
    t = r.json()
    h = w.agent.headers
    await client.post(f"/api/v1/tickets/{t['id']}/comments", json={"body": "已重开发票"}, headers=h)
    await deliver_pending(factory.rt)
    [envelope] = await smtp_sink.wait_for(1)
    sent = message_from_bytes(envelope.original_content, policy=policy.default)
    assert envelope.rcpt_tos == ["wang@example.com"]
    assert sent["Subject"] == f"Re: 晚上留言 [#{t['number']}]" and sent["In-Reply-To"] is None
