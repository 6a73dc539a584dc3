"""WebSocket endpoints for agents and contacts, and the short-lived agent ticket."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, WebSocket
from pydantic import BaseModel

from kefu.channels.models import Inbox
from kefu.channels.service import origin_allowed
from kefu.contacts.service import principal_from_contact_token
from kefu.conversations import repository as repo
from kefu.conversations.models import Conversation
from kefu.core.auth import ContactPrincipal, Principal
from kefu.core.context import Runtime
from kefu.core.security import random_token
from kefu.realtime.events import Frame, TypingIn
from kefu.realtime.gateway import run_socket, typing_message
from kefu.realtime.hub import Envelope, Hub, Subscriber
from kefu.realtime.models import EventRecord
from kefu.realtime.visibility import agent_may_see, contact_may_see, contact_view
from kefu.routing.hooks import agent_connection
from kefu.routing.presence import connected
from kefu.tenants import service as tenants
from kefu.tenants.auth import UserPrincipal

router = APIRouter(prefix="/api/v1", tags=["realtime"])
CLOSE_UNAUTHORIZED = 4401


class TicketOut(BaseModel):
    ticket: str
    expires_in: int


def _rt(conn: Request | WebSocket) -> Runtime:
    rt: Runtime = conn.app.state.runtime
    return rt


def _hub(conn: Request | WebSocket) -> Hub:
    hub: Hub = conn.app.state.hub
    return hub


@router.post("/ws/ticket", response_model=TicketOut)
async def issue_ticket(request: Request, principal: UserPrincipal) -> TicketOut:
    rt = _rt(request)
    ticket = random_token(24)
    value = json.dumps(
        {
            "tenant_id": str(principal.tenant_id),
            "user_id": str(principal.user_id),
            "session_id": str(principal.session_id),
            "role": principal.role,
        }
    )
    await rt.kv.put(f"wsticket:{ticket}", value, rt.settings.ws_ticket_ttl)
    return TicketOut(ticket=ticket, expires_in=rt.settings.ws_ticket_ttl)


async def _principal_from_ticket(rt: Runtime, ticket: str) -> Principal | None:
    raw = await rt.kv.take(f"wsticket:{ticket}")
    if raw is None:
        return None
    data = json.loads(raw)
    return Principal(
        tenant_id=uuid.UUID(data["tenant_id"]),
        role=data["role"],
        user_id=uuid.UUID(data["user_id"]),
        session_id=uuid.UUID(data["session_id"]),
    )


def _payload(record: EventRecord) -> dict[str, Any]:
    return record.payload


def _typing_frame(message: dict[str, Any]) -> Frame:
    data = {k: message[k] for k in ("conversation_id", "sender_type", "typing")}
    return Frame(id=None, type="typing", data=data)


def _typed_frame(message: dict[str, Any]) -> Frame:
    """Other ephemeral frames (`presence.updated`, `queue.position`): type and data as sent."""
    return Frame(id=None, type=str(message["type"]), data=dict(message.get("data", {})))


def agent_subscriber(principal: Principal) -> Subscriber:
    def render(envelope: Envelope) -> str | None:
        if not agent_may_see(principal, envelope.record):
            return None
        return envelope.text("agent", _payload)

    def render_ephemeral(message: dict[str, Any]) -> Frame | None:
        if message.get("type", "typing") != "typing":
            return _typed_frame(message) if message.get("audience") == "agents" else None
        if message.get("sender_id") == str(principal.user_id):
            return None
        assignee = message.get("assignee_id")
        if principal.is_manager or assignee in (None, str(principal.user_id)):
            return _typing_frame(message)
        return None

    return Subscriber(principal.tenant_id, 0, render, render_ephemeral, user_id=principal.user_id)


def contact_subscriber(principal: ContactPrincipal) -> Subscriber:
    def render(envelope: Envelope) -> str | None:
        if not contact_may_see(principal, envelope.record):
            return None
        return envelope.text("contact", contact_view)

    def render_ephemeral(message: dict[str, Any]) -> Frame | None:
        if message.get("contact_id") != str(principal.contact_id):
            return None
        if message.get("type", "typing") != "typing":
            return _typed_frame(message) if message.get("audience") == "contact" else None
        return None if message.get("sender_type") == "contact" else _typing_frame(message)

    return Subscriber(
        principal.tenant_id, 0, render, render_ephemeral, contact_id=principal.contact_id
    )


@router.websocket("/ws")
async def agent_socket(
    ws: WebSocket,
    ticket: Annotated[str, Query(max_length=128)] = "",
    last_event_id: Annotated[int | None, Query(ge=0)] = None,
) -> None:
    rt, hub = _rt(ws), _hub(ws)
    principal = await _principal_from_ticket(rt, ticket) if ticket else None
    if principal is None:
        await ws.close(code=CLOSE_UNAUTHORIZED)
        return

    async def on_typing(msg: TypingIn) -> None:
        async with rt.db.sessions() as session:
            c = await repo.get_conversation_for(session, principal, msg.conversation_id)
        await _publish_typing(rt, c, ("agent", principal.user_id), msg.typing)

    async def still_valid() -> bool:
        async with rt.db.sessions() as session:
            return await tenants.session_is_valid(session, principal)

    sub = agent_subscriber(principal)
    assert principal.user_id is not None
    async with agent_connection(rt, principal.tenant_id, principal.user_id):
        await run_socket(ws, hub, sub, last_event_id, on_typing, still_valid)


async def _publish_typing(
    rt: Runtime, c: Conversation, sender: tuple[str, uuid.UUID | None], typing: bool
) -> None:
    await rt.bus.publish(
        typing_message(c.tenant_id, c.id, c.contact_id, c.assignee_id, sender, typing)
    )


@router.websocket("/widget/ws")
async def contact_socket(
    ws: WebSocket,
    token: Annotated[str, Query(max_length=128)] = "",
    last_event_id: Annotated[int | None, Query(ge=0)] = None,
) -> None:
    rt, hub = _rt(ws), _hub(ws)
    async with rt.db.sessions() as session:
        principal = await principal_from_contact_token(session, token) if token else None
        inbox = await session.get(Inbox, principal.inbox_id) if principal else None
    if principal is None or inbox is None:
        await ws.close(code=CLOSE_UNAUTHORIZED)
        return
    own = f"{'https' if ws.url.scheme == 'wss' else 'http'}://{ws.headers.get('host', '')}"
    if not origin_allowed(inbox, ws.headers.get("origin"), own, rt.settings.allowed_origins):
        await ws.close(code=4403)
        return

    async def on_typing(msg: TypingIn) -> None:
        async with rt.db.sessions() as session:
            c = await repo.get_conversation_of_contact(session, principal, msg.conversation_id)
        await _publish_typing(rt, c, ("contact", principal.contact_id), msg.typing)

    async def still_valid() -> bool:
        return True

    async with connected(rt, principal.tenant_id, f"contact:{principal.contact_id}"):
        await run_socket(
            ws, hub, contact_subscriber(principal), last_event_id, on_typing, still_valid
        )
