"""RFC 5322 messages → a typed `InboundEmail`: threading ids, text, sanitised HTML,
attachments, and whether it is an automatic message (auto-reply, bounce) that must not loop."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

import nh3

MSGID = re.compile(r"<[^<>\s]+>")
TICKET_TAG = re.compile(r"\[#(\d{1,9})\]")
AUTO_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
DAEMONS = ("mailer-daemon", "postmaster", "noreply-dmarc")
MAX_TEXT = 100_000


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class InboundEmail:
    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    from_addr: str
    from_name: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    auto_reply: bool = False
    bounce: bool = False

    @property
    def automatic(self) -> bool:
        return self.auto_reply or self.bounce

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Ids this message answers, nearest first."""
        return tuple(dict.fromkeys((*self.in_reply_to, *reversed(self.references))))

    def ticket_number(self) -> int | None:
        found = TICKET_TAG.search(self.subject)
        return int(found.group(1)) if found else None


def message_ids(value: str | None) -> tuple[str, ...]:
    return tuple(MSGID.findall(value or ""))


def sanitise_html(html: str) -> str:
    """Keep formatting, drop scripts, handlers, styles and remote-loading tricks (nh3/ammonia)."""
    return nh3.clean(html, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def is_auto_reply(msg: EmailMessage) -> bool:
    auto = str(msg.get("Auto-Submitted", "no")).strip().lower()
    if auto and auto != "no":
        return True
    if msg.get("X-Autoreply") or msg.get("X-Autorespond"):
        return True
    return str(msg.get("Precedence", "")).strip().lower() in AUTO_PRECEDENCE


def is_bounce(msg: EmailMessage, from_addr: str) -> bool:
    if msg.get_content_type() == "multipart/report":
        return True
    if str(msg.get("Return-Path", "")).strip() == "<>":
        return True
    return from_addr.split("@")[0].lower() in DAEMONS


def _bodies(msg: EmailMessage) -> tuple[str, str | None]:
    text_part = msg.get_body(preferencelist=("plain",))
    html_part = msg.get_body(preferencelist=("html",))
    html = sanitise_html(str(html_part.get_content())) if html_part is not None else None
    if text_part is not None:
        text = str(text_part.get_content())
    elif html is not None:
        text = nh3.clean(html, tags=set()).strip()
    else:
        text = ""
    return text[:MAX_TEXT], html


def _attachments(msg: EmailMessage) -> tuple[Attachment, ...]:
    found = []
    for part in msg.iter_attachments():
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        name = part.get_filename() or "attachment"
        found.append(Attachment(name, part.get_content_type(), payload))
    return tuple(found)


def parse_email(raw: bytes) -> InboundEmail:
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    name, addr = parseaddr(str(msg.get("From", "")))
    ids = message_ids(str(msg.get("Message-ID", "")))
    # a message without an id still deduplicates: its content names it
    message_id = ids[0] if ids else f"<{hashlib.sha256(raw).hexdigest()}@kefu.invalid>"
    text, html = _bodies(msg)
    to = tuple(a.lower() for _, a in getaddresses([str(v) for v in msg.get_all("To", [])]) if a)
    return InboundEmail(
        message_id=message_id,
        in_reply_to=message_ids(str(msg.get("In-Reply-To", ""))),
        references=message_ids(str(msg.get("References", ""))),
        from_addr=addr.lower(),
        from_name=name,
        to=to,
        subject=str(msg.get("Subject", "")).strip()[:300],
        text=text,
        html=html,
        attachments=_attachments(msg),
        auto_reply=is_auto_reply(msg),
        bounce=is_bounce(msg, addr),
    )
