"""Shared steps of the routing tests: presence, queued conversations, settling the listeners."""

from __future__ import annotations

from typing import Any

import httpx

from kefu.routing.engine import route_tenant, settle
from tests.conftest import LiveServer
from tests.factories import Factory, Login, Visitor, World


async def set_status(client: httpx.AsyncClient, login: Login, status: str) -> dict[str, Any]:
    r = await client.put("/api/v1/presence", json={"status": status}, headers=login.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def routing(client: httpx.AsyncClient, world: World, **settings: Any) -> dict[str, Any]:
    r = await client.put("/api/v1/routing/settings", json=settings, headers=world.admin.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def capacity(client: httpx.AsyncClient, world: World, login: Login, n: int) -> None:
    r = await client.patch(
        f"/api/v1/users/{login.user_id}", json={"max_concurrent": n}, headers=world.admin.headers
    )
    assert r.status_code == 200, r.text


async def queued(factory: Factory, world: World, text: str = "hello") -> tuple[Visitor, str]:
    """A new contact writes: a new queued conversation (the test inbox has no bot)."""
    visitor = await factory.visitor(world)
    said = await factory.contact_says(visitor, text)
    return visitor, str(said["conversation_id"])


async def conversation(client: httpx.AsyncClient, world: World, cid: str) -> dict[str, Any]:
    r = await client.get(f"/api/v1/conversations/{cid}", headers=world.admin.headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def settled(server: LiveServer) -> None:
    """Let every listener and routing pass started so far finish (no sleeps)."""
    await settle(server.runtime)


async def route(server: LiveServer, world: World) -> int:
    await settled(server)
    n = await route_tenant(server.runtime, world.tenant_id)
    await settled(server)
    return n


async def assignee(client: httpx.AsyncClient, world: World, cid: str) -> str | None:
    c = await conversation(client, world, cid)
    return c["assignee_id"] if c["status"] == "assigned" else None
