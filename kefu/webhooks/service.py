"""Webhook endpoints (create, update, delete) and delivery of the durable event log to them.

Delivery is at-least-once: an endpoint's cursor (`last_event_id`) moves only after a 2xx, so an
event may be delivered again (a crash after the POST, two workers at once); receivers dedupe by
the event `id`. Every POST goes through the SSRF-guarded `kefu.core.http.outbound` and is logged
(`WebhookDelivery`, one row per event per POST) in the transaction that moves the cursor; an admin
may redeliver a logged event, which leaves the cursor alone.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.core.context import Runtime
from kefu.core.db import utcnow
from kefu.core.errors import Conflict, KefuError, NotFound
from kefu.core.http import outbound
from kefu.core.security import random_token
from kefu.realtime.models import EventRecord, TenantCounter
from kefu.webhooks.models import Webhook, WebhookDelivery
from kefu.webhooks.repository import enabled_webhooks, events_after
from kefu.webhooks.schemas import WebhookIn, WebhookOut, WebhookPatch

MAX_PER_TENANT = 20
BATCH = 100
TIMEOUT_SECONDS = 5.0
LOCK = "webhooks.lock"
# after a failed pass an endpoint waits 10 s, then 20 s, 40 s … at most an hour
RETRY_FIRST = timedelta(seconds=10)
RETRY_MAX = timedelta(hours=1)


def matches(patterns: list[str], event_type: str) -> bool:
    """`alert.raised` matches itself; `ticket.*` matches every type starting with `ticket.`."""
    for pattern in patterns:
        if pattern.endswith(".*"):
            if event_type.startswith(pattern[:-1]):
                return True
        elif pattern == event_type:
            return True
    return False


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_out(webhook: Webhook) -> WebhookOut:
    return WebhookOut.model_validate(webhook, from_attributes=True)


async def create_webhook(session: AsyncSession, tenant_id: uuid.UUID, body: WebhookIn) -> Webhook:
    """A new endpoint receives the events recorded after its creation."""
    count = await session.scalar(
        select(func.count()).select_from(Webhook).where(Webhook.tenant_id == tenant_id)
    )
    if (count or 0) >= MAX_PER_TENANT:
        raise Conflict("webhook_limit", limit=MAX_PER_TENANT)
    seq = await session.scalar(
        select(TenantCounter.event_seq).where(TenantCounter.tenant_id == tenant_id)
    )
    webhook = Webhook(
        tenant_id=tenant_id,
        url=body.url,
        event_types=list(body.event_types),
        enabled=body.enabled,
        secret=new_secret(),
        last_event_id=int(seq or 0),
    )
    session.add(webhook)
    await session.flush()
    return webhook


def new_secret() -> str:
    return "whsec_" + random_token(32)


def rotate_secret(webhook: Webhook, grace: timedelta) -> None:
    """A new signing secret at once; for `grace` the old one signs beside it (none: it stops)."""
    keep = grace > timedelta(0)
    webhook.previous_secret = webhook.secret if keep else None
    webhook.previous_secret_until = utcnow() + grace if keep else None
    webhook.secret = new_secret()


def signature_header(webhook: Webhook, body: bytes) -> str:
    """`sha256=<hex>` with the current secret, then (in a rotation's grace period) the old one."""
    signatures = [sign(webhook.secret, body)]
    until = webhook.previous_secret_until
    if webhook.previous_secret and until is not None and utcnow() < until:
        signatures.append(sign(webhook.previous_secret, body))
    return ", ".join(signatures)


def retry_delay(failures: int) -> timedelta:
    """How long an endpoint rests after `failures` failed passes in a row (≥ 1)."""
    doubled: timedelta = RETRY_FIRST * 2 ** min(failures - 1, 20)
    return min(doubled, RETRY_MAX)


def update_webhook(webhook: Webhook, body: WebhookPatch) -> None:
    """An admin's change also ends a back-off: the next pass tries at once."""
    webhook.failures, webhook.retry_at = 0, None
    if body.url is not None:
        webhook.url = body.url
    if body.event_types is not None:
        webhook.event_types = list(body.event_types)
    if body.enabled is not None:
        webhook.enabled = body.enabled


async def delete_webhook(session: AsyncSession, webhook: Webhook) -> None:
    """The endpoint and, by the foreign key's ON DELETE CASCADE, its delivery log."""
    await session.delete(webhook)


def payload_of(record: EventRecord) -> bytes:
    body: dict[str, Any] = {
        "id": record.id,
        "type": record.type,
        "tenant_id": str(record.tenant_id),
        "created_at": record.created_at.isoformat(),
        "data": record.payload,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Attempt:
    """One POST of one event and what the receiver answered: a row of the delivery log."""

    event_id: int
    event_type: str
    attempted_at: datetime
    duration_ms: int
    status_code: int | None = None
    error: str | None = None  # None on a 2xx, otherwise the short text of `last_error`

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Outcome:
    """Where the cursor may move to, the POSTs made (all 2xx but maybe the last), the failure."""

    cursor: int
    attempts: list[Attempt] = field(default_factory=list)
    error: str | None = None

    @property
    def sent(self) -> int:
        return sum(attempt.ok for attempt in self.attempts)


async def _post(
    url: str, body: bytes, headers: dict[str, str], allow_private: bool
) -> tuple[int | None, str | None]:
    """The receiver's status (None if none answered) and the error (None on a 2xx)."""
    try:
        response = await outbound(
            "POST",
            url,
            allow_private=allow_private,
            timeout_seconds=TIMEOUT_SECONDS,
            content=body,
            headers=headers,
        )
    except KefuError as exc:
        return None, exc.code
    except (httpx.HTTPError, OSError) as exc:  # a transport failure: retried next tick
        return None, f"{type(exc).__name__}: {exc}"[:500]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"


async def post_event(webhook: Webhook, record: EventRecord, *, allow_private: bool) -> Attempt:
    """POST one event, signed with the endpoint's current secret, and in a rotation's grace
    period with the old one too (passes and redeliveries)."""
    body = payload_of(record)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "kefu-webhooks",
        "X-Kefu-Event": record.type,
        "X-Kefu-Event-Id": str(record.id),
        "X-Kefu-Signature": signature_header(webhook, body),
    }
    attempted_at, started = utcnow(), time.monotonic()
    status, error = await _post(webhook.url, body, headers, allow_private)
    duration_ms = round((time.monotonic() - started) * 1000)
    return Attempt(record.id, record.type, attempted_at, duration_ms, status, error)


async def send_pending(
    webhook: Webhook, records: list[EventRecord], *, allow_private: bool
) -> Outcome:
    """Send the matching events in order; stop at the first failure (the cursor stays there)."""
    outcome = Outcome(cursor=webhook.last_event_id)
    for record in records:
        if matches(webhook.event_types, record.type):
            attempt = await post_event(webhook, record, allow_private=allow_private)
            outcome.attempts.append(attempt)
            if not attempt.ok:
                outcome.error = attempt.error
                return outcome
        outcome.cursor = record.id
    return outcome


async def record_attempts(
    session: AsyncSession, webhook: Webhook, attempts: list[Attempt], *, redelivery: bool = False
) -> list[WebhookDelivery]:
    """Log the POSTs, one row per event per POST, unless the endpoint was deleted meanwhile
    (the row lock makes a concurrent delete wait for this transaction, or this for it)."""
    alive = select(Webhook.id).where(Webhook.id == webhook.id).with_for_update()
    if not attempts or await session.scalar(alive) is None:
        return []
    rows = [
        WebhookDelivery(
            tenant_id=webhook.tenant_id,
            webhook_id=webhook.id,
            event_id=a.event_id,
            event_type=a.event_type,
            attempted_at=a.attempted_at,
            duration_ms=a.duration_ms,
            status_code=a.status_code,
            ok=a.ok,
            error=a.error,
            redelivery=redelivery,
        )
        for a in attempts
    ]
    session.add_all(rows)
    await session.flush()
    return rows


async def logged_event(
    session: AsyncSession, rt: Runtime, webhook: Webhook, delivery: WebhookDelivery
) -> EventRecord:
    """The event a delivery sent, if the event log still holds it."""
    record = await session.get(EventRecord, (webhook.tenant_id, delivery.event_id))
    if record is None:
        raise Conflict("webhook_event_pruned", days=rt.settings.event_retention_days)
    return record


async def redeliver(
    session: AsyncSession, rt: Runtime, webhook: Webhook, record: EventRecord
) -> WebhookDelivery:
    """POST a logged event again now, signed with the current secret; the cursor stays.

    Call it with no transaction open: the receiver may take `TIMEOUT_SECONDS` to answer, and
    on SQLite a held connection stalls every other request meanwhile."""
    attempt = await post_event(webhook, record, allow_private=rt.settings.webhook_allow_private)
    rows = await record_attempts(session, webhook, [attempt], redelivery=True)
    if not rows:
        raise NotFound("webhook")
    return rows[0]


async def _save(
    rt: Runtime, webhook: Webhook, outcome: Outcome, attempted: bool, now: datetime
) -> None:
    """Move the cursor only forward and only from where this pass read it (compare-and-set);
    a failure starts or lengthens the back-off, a success ends it. The POSTs are logged in the
    same transaction."""
    values: dict[str, Any] = {"last_event_id": outcome.cursor}
    if attempted:
        values.update(last_attempt_at=now, last_error=outcome.error, failures=0, retry_at=None)
    if outcome.error is not None:
        failures = webhook.failures + 1
        values.update(failures=failures, retry_at=now + retry_delay(failures))
    if outcome.sent:
        values["last_delivered_at"] = now
    stmt = (
        update(Webhook)
        .where(Webhook.id == webhook.id, Webhook.last_event_id == webhook.last_event_id)
        .values(**values)
    )
    async with rt.db.sessions() as session:
        await session.execute(stmt)
        await record_attempts(session, webhook, outcome.attempts)
        await session.commit()


async def deliver_webhook(
    rt: Runtime, webhook: Webhook, now: datetime, *, allow_private: bool
) -> int:
    async with rt.db.read_sessions() as session:
        records = await events_after(session, webhook.tenant_id, webhook.last_event_id, BATCH)
    if not records:
        return 0
    outcome = await send_pending(webhook, records, allow_private=allow_private)
    attempted = bool(outcome.attempts)
    if outcome.cursor != webhook.last_event_id or attempted:
        await _save(rt, webhook, outcome, attempted, now)
    return outcome.sent


async def deliver_webhooks(
    rt: Runtime, *, allow_private: bool | None = None, now: datetime | None = None
) -> int:
    """The periodic pass: each enabled endpoint not backing off gets up to BATCH new events.
    One pass at a time per process; private targets only when the operator allows them
    (`KEFU_WEBHOOK_ALLOW_PRIVATE`)."""
    now = now or utcnow()
    if allow_private is None:
        allow_private = rt.settings.webhook_allow_private
    lock: asyncio.Lock = rt.extras.setdefault(LOCK, asyncio.Lock())
    sent = 0
    async with lock:
        async with rt.db.read_sessions() as session:
            webhooks = await enabled_webhooks(session, now)
        for webhook in webhooks:
            sent += await deliver_webhook(rt, webhook, now, allow_private=allow_private)
    return sent
