"""Fan-out of the durable event log to this process's WebSockets.

One `TenantFeed` per tenant reads new events once per wake-up and offers each to the
subscribers that may want it: every agent socket of the tenant, and the sockets of the one
contact the event is about (contacts see nothing else, so the others are not asked). Each
subscriber filters by its principal and keeps its own cursor, so resume after a reconnect is
"everything after my last id, in order".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from kefu.core.context import Runtime
from kefu.realtime.events import Frame
from kefu.realtime.models import EventRecord
from kefu.realtime.service import LOCAL_SINK

log = logging.getLogger(__name__)
POLL_SECONDS = 2.0
BATCH = 1000
MAX_QUEUE = 10_000
MAX_RECENT = 10_000


class Envelope:
    """A log record on its way out; each view of it is serialised once for all sockets."""

    __slots__ = ("_texts", "record")

    def __init__(self, record: EventRecord) -> None:
        self.record = record
        self._texts: dict[str, str] = {}

    @property
    def id(self) -> int:
        return self.record.id

    def text(self, view: str, data: Callable[[EventRecord], dict[str, Any]]) -> str:
        cached = self._texts.get(view)
        if cached is None:
            frame = Frame(id=self.record.id, type=self.record.type, data=data(self.record))
            cached = self._texts[view] = frame.model_dump_json()
        return cached


class Subscriber:
    """One socket's view of the log: a cursor, a filter and an outgoing queue of JSON frames."""

    def __init__(
        self,
        tenant_id: uuid.UUID,
        cursor: int,
        render: Callable[[Envelope], str | None],
        render_ephemeral: Callable[[dict[str, Any]], Frame | None],
        user_id: uuid.UUID | None = None,
        contact_id: uuid.UUID | None = None,
    ) -> None:
        self.tenant_id = tenant_id
        self.contact_id = contact_id  # a contact's socket: only that contact's events concern it
        self.cursor = cursor
        self.render = render
        self.render_ephemeral = render_ephemeral
        self.user_id = user_id
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._pending: list[Envelope] | None = []

    def offer(self, envelope: Envelope) -> None:
        if self._pending is not None:
            self._pending.append(envelope)
            return
        self.offer_now(envelope)

    def offer_now(self, envelope: Envelope) -> None:
        """Deliver now (catch-up bypasses the pending buffer); never twice, never backwards."""
        if envelope.id <= self.cursor:
            return
        self.cursor = envelope.id
        text = self.render(envelope)
        if text is not None:
            self.push(text)

    def push_frame(self, frame: Frame) -> None:
        self.push(frame.model_dump_json())

    def push(self, text: str | None) -> None:
        if self.queue.qsize() > MAX_QUEUE:
            self.queue.put_nowait(None)  # too slow: close; the client resumes from its cursor
            return
        self.queue.put_nowait(text)

    def go_live(self) -> None:
        pending, self._pending = self._pending or [], None
        for record in pending:
            self.offer(record)

    def close(self) -> None:
        self.queue.put_nowait(None)


class TenantFeed:
    def __init__(self, tenant_id: uuid.UUID, last_id: int) -> None:
        self.tenant_id = tenant_id
        self.last_id = last_id
        self.subscribers: set[Subscriber] = set()
        self.agents: set[Subscriber] = set()
        self.by_contact: dict[uuid.UUID, set[Subscriber]] = {}
        self.lock = asyncio.Lock()
        self.wanted = False
        self.puller: asyncio.Task[None] | None = None
        self.recent: dict[int, EventRecord] = {}  # committed here, not yet fanned out

    def remember(self, record: EventRecord) -> None:
        if record.id > self.last_id and len(self.recent) < MAX_RECENT:
            self.recent[record.id] = record

    def take_recent(self) -> list[Envelope]:
        """The remembered records that follow `last_id` without a gap (else the log is read)."""
        out: list[Envelope] = []
        while (record := self.recent.pop(self.last_id + len(out) + 1, None)) is not None:
            out.append(Envelope(record))
        if self.recent:
            upto = self.last_id + len(out)
            self.recent = {k: v for k, v in self.recent.items() if k > upto}
        return out

    def add(self, sub: Subscriber) -> None:
        self.subscribers.add(sub)
        if sub.contact_id is None:
            self.agents.add(sub)
        else:
            self.by_contact.setdefault(sub.contact_id, set()).add(sub)

    def remove(self, sub: Subscriber) -> None:
        self.subscribers.discard(sub)
        self.agents.discard(sub)
        if sub.contact_id is not None:
            own = self.by_contact.get(sub.contact_id)
            if own is not None:
                own.discard(sub)
                if not own:
                    del self.by_contact[sub.contact_id]

    def concerned(self, envelope: Envelope) -> list[Subscriber]:
        """The sockets an event may concern: all agents, plus its contact's own sockets."""
        contact_id = envelope.record.contact_id
        own = self.by_contact.get(contact_id) if contact_id is not None else None
        return [*self.agents, *own] if own else list(self.agents)


class Hub:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.feeds: dict[uuid.UUID, TenantFeed] = {}
        self._poller: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.rt.bus.subscribe(self._on_bus)
        self.rt.extras[LOCAL_SINK] = self._remember
        self._poller = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        if self._poller:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        for feed in self.feeds.values():
            for sub in list(feed.subscribers):
                sub.close()

    async def max_event_id(self, tenant_id: uuid.UUID) -> int:
        async with self.rt.db.read_sessions() as session:
            stmt = select(func.max(EventRecord.id)).where(EventRecord.tenant_id == tenant_id)
            return int((await session.execute(stmt)).scalar() or 0)

    async def min_event_id(self, tenant_id: uuid.UUID) -> int:
        async with self.rt.db.read_sessions() as session:
            stmt = select(func.min(EventRecord.id)).where(EventRecord.tenant_id == tenant_id)
            return int((await session.execute(stmt)).scalar() or 0)

    async def subscribe(self, sub: Subscriber) -> None:
        feed = self.feeds.get(sub.tenant_id)
        if feed is None:
            feed = TenantFeed(sub.tenant_id, 0)
            self.feeds[sub.tenant_id] = feed
            feed.add(sub)
            feed.last_id = await self.max_event_id(sub.tenant_id)
        else:
            feed.add(sub)

    def _remember(self, records: list[EventRecord]) -> None:
        for record in records:
            feed = self.feeds.get(record.tenant_id)
            if feed is not None:
                feed.remember(record)

    def unsubscribe(self, sub: Subscriber) -> None:
        feed = self.feeds.get(sub.tenant_id)
        if feed is None:
            return
        feed.remove(sub)
        if not feed.subscribers:
            self.feeds.pop(sub.tenant_id, None)

    async def read_after(self, tenant_id: uuid.UUID, after: int, limit: int) -> list[Envelope]:
        async with self.rt.db.read_sessions() as session:
            stmt = (
                select(EventRecord)
                .where(EventRecord.tenant_id == tenant_id, EventRecord.id > after)
                .order_by(EventRecord.id)
                .limit(limit)
            )
            return [Envelope(r) for r in (await session.execute(stmt)).scalars()]

    async def pull(self, feed: TenantFeed) -> None:
        async with feed.lock:
            while feed.subscribers:
                rows = feed.take_recent() or await self.read_after(
                    feed.tenant_id, feed.last_id, BATCH
                )
                for envelope in rows:
                    feed.last_id = envelope.id
                    for sub in feed.concerned(envelope):
                        sub.offer(envelope)
                if len(rows) < BATCH:
                    return

    def wake(self, feed: TenantFeed) -> None:
        """Ask for a pull without waiting; many wake-ups while one pull runs cost one more pull."""
        feed.wanted = True
        if feed.puller is None or feed.puller.done():
            feed.puller = asyncio.create_task(self._pull_while_wanted(feed))

    async def _pull_while_wanted(self, feed: TenantFeed) -> None:
        while feed.wanted:
            feed.wanted = False
            try:
                await self.pull(feed)
            except Exception:
                log.exception("feed pull failed; the poller retries")

    async def _on_bus(self, message: dict[str, Any]) -> None:
        kind = message.get("kind")
        if kind == "wake":
            feed = self.feeds.get(uuid.UUID(message["tenant_id"]))
            if feed is not None:
                self.wake(feed)
        elif kind == "revoke":
            self.close_user(uuid.UUID(message["user_id"]))
        elif kind == "ephemeral":
            feed = self.feeds.get(uuid.UUID(message["tenant_id"]))
            for sub in list(feed.subscribers) if feed else []:
                frame = sub.render_ephemeral(message)
                if frame is not None:
                    sub.push_frame(frame)

    def close_user(self, user_id: uuid.UUID) -> None:
        for feed in self.feeds.values():
            for sub in list(feed.subscribers):
                if sub.user_id == user_id:
                    sub.close()

    async def _poll(self) -> None:
        """Safety net: pub/sub may drop a wake-up; the log never drops an event."""
        while True:
            await asyncio.sleep(POLL_SECONDS)
            for feed in list(self.feeds.values()):
                try:
                    await self.pull(feed)
                except Exception:
                    log.exception("feed poll failed")
