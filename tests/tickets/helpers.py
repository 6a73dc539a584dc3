"""Shared steps of the ticket tests (through the HTTP API)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from kefu.core.context import Runtime
from kefu.tickets.models import Ticket, TicketChange
from tests.factories import Factory, Login, World


async def contact(client: httpx.AsyncClient, world: World, **extra: Any) -> str:
    body = {"name": "Li Lei", "email": f"li-{uuid.uuid4().hex[:6]}@example.com", **extra}
    r = await client.post("/api/v1/contacts", json=body, headers=world.admin.headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def ticket(
    client: httpx.AsyncClient, who: Login, requester_id: str, **extra: Any
) -> dict[str, Any]:
    body = {"subject": "Refund not received", "requester_id": requester_id, **extra}
    r = await client.post("/api/v1/tickets", json=body, headers=who.headers)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def counts(rt: Runtime, tenant_id: uuid.UUID) -> tuple[int, int]:
    """(tickets, history rows) of a tenant: proves a refused request wrote nothing."""
    async with rt.db.sessions() as session:
        tickets = await session.scalar(
            select(func.count()).select_from(Ticket).where(Ticket.tenant_id == tenant_id)
        )
        changes = await session.scalar(
            select(func.count())
            .select_from(TicketChange)
            .where(TicketChange.tenant_id == tenant_id)
        )
    return int(tickets or 0), int(changes or 0)


async def events_of(factory: Factory, world: World, type_: str) -> list[dict[str, Any]]:
    return [e.payload for e in await factory.events(world.tenant_id) if e.type == type_]
