"""A WebSocket session: catch up, accept, then live frames, heartbeat and typing."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from kefu.analytics.metrics import SOCKETS
from kefu.realtime.events import Frame, TypingIn
from kefu.realtime.hub import Hub, Subscriber

RESYNC = Frame(id=None, type="resync_required", data={})
PING = Frame(id=None, type="ping", data={}).model_dump_json()
ClientHandler = Callable[[TypingIn], Awaitable[None]]
Check = Callable[[], Awaitable[bool]]


async def catch_up(hub: Hub, sub: Subscriber, last_event_id: int | None) -> None:
    """Deliver what the client missed, or tell it to resync; then switch the socket to live."""
    await hub.subscribe(sub)
    newest = await hub.max_event_id(sub.tenant_id)
    if last_event_id is None:
        sub.cursor = newest
    elif last_event_id > newest or last_event_id < await hub.min_event_id(sub.tenant_id) - 1:
        sub.push_frame(RESYNC)
        sub.cursor = newest
    else:
        limit = hub.rt.settings.resume_max_events
        rows = await hub.read_after(sub.tenant_id, last_event_id, limit + 1)
        if len(rows) > limit:
            sub.push_frame(RESYNC)
            sub.cursor = newest
        else:
            sub.cursor = last_event_id
            for envelope in rows:
                sub.offer_now(envelope)
    sub.go_live()


async def _sender(ws: WebSocket, sub: Subscriber) -> None:
    while (text := await sub.queue.get()) is not None:
        await ws.send_text(text)


async def _pinger(sub: Subscriber, heartbeat: float, still_valid: Check) -> None:
    """Ping every heartbeat, busy or idle, so that answering clients never look silent."""
    while True:
        await asyncio.sleep(heartbeat)
        if not await still_valid():
            sub.close()
            return
        sub.push(PING)


async def _receiver(ws: WebSocket, heartbeat: float, on_typing: ClientHandler) -> None:
    while True:
        raw = await asyncio.wait_for(ws.receive_text(), timeout=heartbeat * 2.5)
        try:
            data: dict[str, Any] = json.loads(raw)
        except ValueError:
            continue
        if data.get("type") == "typing":
            with contextlib.suppress(ValidationError, ValueError):
                await on_typing(TypingIn.model_validate(data))


async def run_socket(
    ws: WebSocket,
    hub: Hub,
    sub: Subscriber,
    last_event_id: int | None,
    on_typing: ClientHandler,
    still_valid: Check,
) -> None:
    heartbeat = hub.rt.settings.ws_heartbeat_seconds
    gauge = SOCKETS.labels("agent" if sub.user_id else "contact")
    gauge.inc()
    try:
        # subscribe before accepting: once the client sees the socket open, every event
        # committed after that moment reaches it (even with no `last_event_id`)
        await catch_up(hub, sub, last_event_id)
        await ws.accept()
        tasks = {
            asyncio.create_task(_sender(ws, sub)),
            asyncio.create_task(_pinger(sub, heartbeat, still_valid)),
            asyncio.create_task(_receiver(ws, heartbeat, on_typing)),
        }
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in pending | done:
            with contextlib.suppress(
                asyncio.CancelledError, WebSocketDisconnect, TimeoutError, RuntimeError
            ):
                await task
    finally:
        gauge.dec()
        hub.unsubscribe(sub)
        with contextlib.suppress(Exception):
            await ws.close(code=4000)


def typing_message(
    tenant_id: uuid.UUID,
    conversation_id: uuid.UUID,
    contact_id: uuid.UUID,
    assignee_id: uuid.UUID | None,
    sender: tuple[str, uuid.UUID | None],
    typing: bool,
) -> dict[str, Any]:
    return {
        "kind": "ephemeral",
        "tenant_id": str(tenant_id),
        "conversation_id": str(conversation_id),
        "contact_id": str(contact_id),
        "assignee_id": str(assignee_id) if assignee_id else None,
        "sender_type": sender[0],
        "sender_id": str(sender[1]) if sender[1] else None,
        "typing": typing,
    }
