"""The requester's page follows its ticket live: a Server-Sent Events stream and the page's script.

The stream is one more subscriber of this process's `realtime.Hub`, the same fan-out that feeds
the console's and the widget's sockets: the durable event log, read once per wake-up from the bus
(in-process, or Redis pub/sub across processes), with the hub's 2-second poll as the safety net.
It says only *that* the ticket changed (`{"type": "reply"|"status"}`) for a public reply or a
status change of that one ticket; the page then re-fetches the portal JSON, so escaping and
what a requester may read stay in one place (`portal.portal_view`).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from kefu.core.errors import RateLimited
from kefu.realtime.events import Frame
from kefu.realtime.gateway import catch_up
from kefu.realtime.hub import Envelope, Hub, Subscriber
from kefu.tickets.events import TicketCommentCreated, TicketUpdated
from kefu.tickets.models import Ticket

KEEPALIVE_SECONDS = 15.0
# `retry` asks EventSource to reconnect after 5 s; it also tells the client the stream is live.
OPENING = "retry: 5000\n\n"
KEEPALIVE = ": keep-alive\n\n"
HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
# Open streams per ticket in this process: a requester's few tabs, not a link shared to a crowd
# (each stream is offered every event of the tenant).
MAX_STREAMS_PER_TICKET = 5
_open: Counter[uuid.UUID] = Counter()


class TooManyStreams(RateLimited):
    code = "portal_streams_limit"


def portal_signal(ticket: Ticket, envelope: Envelope) -> str | None:
    """The SSE message a log record means for the requester of `ticket`, or None: a public
    reply or a status change of that ticket; never notes, other tickets or other tenants."""
    record = envelope.record
    if record.tenant_id != ticket.tenant_id:
        return None
    payload: dict[str, Any] = record.payload
    ticket_id = str(ticket.id)
    if record.type == TicketCommentCreated.type:
        public = payload.get("comment", {}).get("public") is True
        if public and payload.get("ticket_id") == ticket_id:
            return 'data: {"type": "reply"}\n\n'
    elif record.type == TicketUpdated.type:
        status = "status" in payload.get("fields", [])
        if status and payload.get("ticket", {}).get("id") == ticket_id:
            return 'data: {"type": "status"}\n\n'
    return None


def _no_ephemeral(_message: dict[str, Any]) -> Frame | None:
    return None  # typing and presence are for conversations, not for the ticket page


async def _messages(sub: Subscriber) -> AsyncIterator[str]:
    yield OPENING
    while True:
        try:
            text = await asyncio.wait_for(sub.queue.get(), KEEPALIVE_SECONDS)
        except TimeoutError:
            yield KEEPALIVE
            continue
        if text is None:  # the hub stops, or the stream fell too far behind
            return
        yield text


async def ticket_stream(hub: Hub, ticket: Ticket) -> StreamingResponse:
    """Subscribe before answering (like the WebSocket gateway): a change committed once the
    client holds the response reaches it. The subscriber leaves when the stream ends, also when
    the client disconnects (Starlette cancels the body and still runs `background`)."""
    if _open[ticket.id] >= MAX_STREAMS_PER_TICKET:
        raise TooManyStreams(retry_after=int(KEEPALIVE_SECONDS))
    _open[ticket.id] += 1  # counted before any await: two pages at once cannot both slip in
    # not a contact's subscriber: ticket events carry no contact id, so the hub offers them to
    # the tenant-wide subscribers, and `portal_signal` keeps this ticket's public changes only
    sub = Subscriber(ticket.tenant_id, 0, partial(portal_signal, ticket), _no_ephemeral)

    async def leave() -> None:
        hub.unsubscribe(sub)
        _open[ticket.id] -= 1
        if _open[ticket.id] <= 0:
            del _open[ticket.id]

    try:
        await catch_up(hub, sub, None)
    except BaseException:
        await leave()
        raise

    return StreamingResponse(
        _messages(sub),
        media_type="text/event-stream",
        headers=HEADERS,
        background=BackgroundTask(leave),
    )


# The page's script (inline, allowed by its hash in the page's CSP). On an event it re-fetches the
# portal JSON and re-renders the status, the replies and the rating link with textContent; the
# reply form is left alone, so what the requester is typing stays. Without EventSource, or while
# the stream is down, it re-fetches every 30 s.
SCRIPT = """(() => {
  const labels = JSON.parse(document.body.dataset.labels);
  const api = "/api/v1" + location.pathname;
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  const when = (iso) => iso.slice(0, 10) + " " + iso.slice(11, 16) + " UTC";
  const reply = (r) => {
    const d = el("div", r.from_requester ? "r me" : "r");
    d.append(el("small", "", when(r.created_at)), "\\n" + r.body);
    return d;
  };
  const render = (t) => {
    document.getElementById("status").textContent = labels.status[t.status] || t.status;
    document.getElementById("replies").replaceChildren(...t.replies.map(reply));
    const rating = document.getElementById("rating");
    rating.replaceChildren();
    if (t.rating_link) {
      const a = el("a", "", labels.rate);
      a.href = t.rating_link;
      rating.append(el("p"));
      rating.firstChild.append(a);
    }
    const form = document.querySelector("form");
    if (form && t.status === "closed") form.remove();
  };
  const refresh = () =>
    fetch(api, { cache: "no-store" })
      .then((r) => (r.ok ? r.json().then(render) : null))
      .catch(() => null);
  let timer = 0;
  const poll = () => {
    if (!timer) timer = setInterval(refresh, 30000);
  };
  if (!window.EventSource) return poll();
  const events = new EventSource(api + "/events");
  events.onmessage = refresh;
  events.onopen = () => {
    clearInterval(timer);
    timer = 0;
    refresh();
  };
  events.onerror = poll;
})();"""
SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
