"""IMAP polling: fetch messages above the last seen UID (reset when UIDVALIDITY changes).
Re-fetching is harmless: ingestion de-duplicates on Message-ID."""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections import Counter
from dataclasses import dataclass

import anyio

from kefu.channels.email.models import Mailbox
from kefu.channels.email.service import ingest_raw
from kefu.core.context import Runtime
from kefu.core.db import utcnow

TIMEOUT = 30.0
MAX_PER_POLL = 200
UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    use_ssl: bool
    user: str
    password: str
    folder: str


@dataclass(frozen=True)
class Fetched:
    uidvalidity: int
    messages: list[tuple[int, bytes]]


def _connect(cfg: ImapConfig) -> imaplib.IMAP4:
    if cfg.use_ssl:
        return imaplib.IMAP4_SSL(
            cfg.host, cfg.port, ssl_context=ssl.create_default_context(), timeout=TIMEOUT
        )
    return imaplib.IMAP4(cfg.host, cfg.port, timeout=TIMEOUT)


def fetch_new(cfg: ImapConfig, uidvalidity: int | None, last_uid: int) -> Fetched:
    """Blocking: messages with UID > last_uid (all of them when UIDVALIDITY changed)."""
    client = _connect(cfg)
    try:
        client.login(cfg.user, cfg.password)
        client.select(cfg.folder, readonly=True)
        _, data = client.status(cfg.folder, "(UIDVALIDITY)")
        found = UIDVALIDITY.search(data[0] or b"")
        validity = int(found.group(1)) if found else 0
        start = last_uid + 1 if validity == uidvalidity else 1
        _, ids = client.uid("search", f"UID {start}:*")
        uids = sorted(int(u) for u in (ids[0] or b"").split() if int(u) >= start)
        messages = []
        for uid in uids[:MAX_PER_POLL]:
            _, parts = client.uid("fetch", str(uid), "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
            if isinstance(raw, bytes):
                messages.append((uid, raw))
        return Fetched(validity, messages)
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()


def config_of(mailbox: Mailbox) -> ImapConfig | None:
    if not (mailbox.imap_host and mailbox.imap_user and mailbox.imap_password):
        return None
    return ImapConfig(
        mailbox.imap_host,
        mailbox.imap_port,
        mailbox.imap_ssl,
        mailbox.imap_user,
        mailbox.imap_password,
        mailbox.imap_folder,
    )


async def poll_mailbox(rt: Runtime, mailbox: Mailbox) -> Counter[str]:
    """Fetch and ingest; the UID mark advances only past messages that were stored."""
    counts: Counter[str] = Counter()
    cfg = config_of(mailbox)
    if cfg is None:
        return counts
    try:
        fetched = await anyio.to_thread.run_sync(
            fetch_new, cfg, mailbox.imap_uidvalidity, mailbox.imap_last_uid
        )
    except (imaplib.IMAP4.error, OSError) as exc:
        await _mark(rt, mailbox, None, None, f"{type(exc).__name__}: {exc}")
        raise
    last = mailbox.imap_last_uid if fetched.uidvalidity == mailbox.imap_uidvalidity else 0
    for uid, raw in fetched.messages:
        result = await ingest_raw(rt, mailbox.id, raw)
        counts["fetched"] += 1
        counts[result.outcome] += 1
        last = max(last, uid)
    await _mark(rt, mailbox, fetched.uidvalidity, last, None)
    return counts


async def _mark(
    rt: Runtime, mailbox: Mailbox, validity: int | None, last: int | None, error: str | None
) -> None:
    async with rt.db.sessions() as session:
        row = await session.get(Mailbox, mailbox.id)
        if row is None:
            return
        if validity is not None and last is not None:
            row.imap_uidvalidity, row.imap_last_uid = validity, last
            mailbox.imap_uidvalidity, mailbox.imap_last_uid = validity, last
        row.last_polled_at, row.last_error = utcnow(), error
        await session.commit()
