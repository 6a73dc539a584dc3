"""The adapter's parse_inbound() on real RFC 5322 messages kept in fixtures/."""

from __future__ import annotations

from kefu.channels.adapters import adapter_for
from kefu.channels.email.parse import InboundEmail
from tests.channels.email.conftest import fixture_bytes


def parse(name: str, **subst: str) -> InboundEmail:
    adapter = adapter_for("email")
    assert adapter is not None
    mail: InboundEmail = adapter.parse_inbound(fixture_bytes(name, **subst))
    return mail


def test_plain_message_with_encoded_words() -> None:
    mail = parse("new_request.eml")
    assert mail.message_id == "<CAF=x1y2z3.20261126091240@customer.example.com>"
    assert (mail.from_addr, mail.from_name) == ("li.lei@customer.example.com", "李雷")
    assert mail.subject == "订单 A123 退款还没到账"
    assert "订单 A123 退款" in mail.text and mail.html is None
    assert mail.to == ("support@shop.example.com",) and not mail.automatic


def test_threading_headers() -> None:
    mail = parse("followup_same_thread.eml")
    first = "<CAF=x1y2z3.20261126091240@customer.example.com>"
    assert mail.in_reply_to == (first,) and mail.thread_ids == (first,)
    reply = parse("reply_to_agent.eml", IN_REPLY_TO="<x.t7@shop.example.com>")
    assert reply.thread_ids == ("<x.t7@shop.example.com>", first)
    assert reply.subject == "Re: 订单 A123 退款还没到账"


def test_html_is_sanitised_and_attachments_kept() -> None:
    mail = parse("html_with_attachments.eml")
    assert mail.html is not None
    for bad in ("<script", "onclick", "javascript:", "<style", "alert"):
        assert bad not in mail.html, bad
    assert "<b>B77</b>" in mail.html and "https://shop.example.com/orders/B77" in mail.html
    assert mail.text.startswith("The invoice for order B77")
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("receipt.pdf", "application/pdf"),
        ("setup.exe", "application/octet-stream"),
    ]
    assert mail.attachments[0].data.startswith(b"%PDF-1.4")


def test_automatic_mail_is_recognised() -> None:
    ooo = parse("out_of_office.eml")
    assert ooo.auto_reply and not ooo.bounce
    bounce = parse("bounce.eml")
    assert bounce.bounce and bounce.automatic
    assert parse("newsletter_bulk.eml").auto_reply


def test_message_without_id_still_has_a_stable_one() -> None:
    raw = b"From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nbody\r\n"
    adapter = adapter_for("email")
    assert adapter is not None
    first, second = adapter.parse_inbound(raw), adapter.parse_inbound(raw)
    assert first.message_id == second.message_id and first.message_id.endswith("kefu.invalid>")
