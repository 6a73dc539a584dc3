"""Real-time delivery over WebSockets: live events, resume without loss, visibility, auth."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.conftest import LiveServer
from tests.factories import Factory
from tests.realtime.wsclient import agent_socket, contact_socket


async def test_agent_receives_contact_message_live(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    sock = await agent_socket(client, server.ws_url, world.agent)
    visitor = await factory.visitor(world)
    await factory.contact_says(visitor, "在吗？")
    created = await sock.next()
    assert created["type"] == "conversation.created"
    message = await sock.next()
    assert message["type"] == "message.created"
    assert message["data"]["message"]["body"] == "在吗？"
    assert message["id"] == created["id"] + 1
    await sock.close()


async def test_reconnect_with_last_event_id_loses_nothing(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    cid = (await factory.contact_says(visitor, "first"))["conversation_id"]
    contact = await contact_socket(server.ws_url, visitor, last_event_id=0)
    seen = [await contact.next(), await contact.next()]
    assert [f["type"] for f in seen] == ["conversation.created", "message.created"]
    last = contact.last_event_id
    await contact.close()

    for i in range(5):  # sent while the contact is disconnected
        r = await client.post(
            f"/api/v1/conversations/{cid}/messages",
            json={"client_msg_id": f"offline-{i}", "body": f"reply {i}"},
            headers=world.agent.headers,
        )
        assert r.status_code == 201
    await client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"client_msg_id": "note", "body": "secret note", "private": True},
        headers=world.agent.headers,
    )

    contact = await contact_socket(server.ws_url, visitor, last_event_id=last)
    bodies = [(await contact.next())["data"]["message"]["body"] for _ in range(5)]
    assert bodies == [f"reply {i}" for i in range(5)]
    assert await contact.nothing(), "private notes never reach the contact; nothing arrives twice"
    await client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"client_msg_id": "live", "body": "live again"},
        headers=world.agent.headers,
    )
    assert (await contact.next())["data"]["message"]["body"] == "live again"
    await contact.close()


async def test_resync_required_when_cursor_is_unknown(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    await factory.contact_says(visitor, "hello")
    sock = await agent_socket(client, server.ws_url, world.admin, last_event_id=10_000)
    assert (await sock.next())["type"] == "resync_required"
    await sock.close()


async def test_sockets_only_see_what_their_principal_may_read(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    other = await factory.world()
    v1, v2 = await factory.visitor(world), await factory.visitor(world)
    c1 = (await factory.contact_says(v1, "one"))["conversation_id"]
    await client.post(
        f"/api/v1/conversations/{c1}/assign",
        json={"assignee_id": str(world.agent2.user_id)},
        headers=world.admin.headers,
    )
    agent = await agent_socket(client, server.ws_url, world.agent)
    supervisor = await agent_socket(client, server.ws_url, world.supervisor)
    foreign = await agent_socket(client, server.ws_url, other.admin)
    contact2 = await contact_socket(server.ws_url, v2)

    await client.post(
        f"/api/v1/conversations/{c1}/messages",
        json={"client_msg_id": "x1", "body": "for agent2 only"},
        headers=world.agent2.headers,
    )
    assert (await supervisor.next())["data"]["message"]["body"] == "for agent2 only"
    assert await agent.nothing(), "an agent does not see another agent's conversation"
    assert await foreign.nothing(), "another tenant sees nothing"
    assert await contact2.nothing(), "another contact sees nothing"
    for s in (agent, supervisor, foreign, contact2):
        await s.close()


async def test_ticket_is_single_use_and_required(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    r = await client.post("/api/v1/ws/ticket", headers=world.agent.headers)
    ticket = r.json()["ticket"]
    first = await agent_socket_with(server, ticket)
    await first.close()
    with pytest.raises((ConnectionClosed, InvalidStatus)):
        again = await agent_socket_with(server, ticket)
        await again.next(timeout=2)
    with pytest.raises((ConnectionClosed, InvalidStatus)):
        bad = await agent_socket_with(server, "forged")
        await bad.next(timeout=2)
    assert (await client.post("/api/v1/ws/ticket")).status_code == 401


async def agent_socket_with(server: LiveServer, ticket: str):  # type: ignore[no-untyped-def]
    from websockets.asyncio.client import connect

    from tests.realtime.wsclient import Socket

    return Socket(await connect(f"{server.ws_url}/api/v1/ws?ticket={ticket}"))


async def test_deactivation_closes_the_users_sockets(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    sock = await agent_socket(client, server.ws_url, world.agent)
    await asyncio.sleep(0.1)
    r = await client.patch(
        f"/api/v1/users/{world.agent.user_id}", json={"active": False}, headers=world.admin.headers
    )
    assert r.status_code == 200
    with pytest.raises(ConnectionClosed):
        await sock.next(timeout=5)


async def test_typing_reaches_the_other_side_but_is_not_logged(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    cid = (await factory.contact_says(visitor, "hi"))["conversation_id"]
    contact = await contact_socket(server.ws_url, visitor)
    agent = await agent_socket(client, server.ws_url, world.agent)
    before = len(await factory.events(world.tenant_id))
    await agent.send({"type": "typing", "conversation_id": cid, "typing": True})
    frame = await contact.next()
    assert frame == {
        "id": None,
        "type": "typing",
        "data": {"conversation_id": cid, "sender_type": "agent", "typing": True},
    }
    await contact.send({"type": "typing", "conversation_id": cid, "typing": True})
    assert (await agent.next())["data"]["sender_type"] == "contact"
    assert len(await factory.events(world.tenant_id)) == before
    await contact.close()
    await agent.close()


async def test_widget_socket_checks_origin(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    ok = await contact_socket(server.ws_url, visitor, origin="https://shop.example.com")
    await ok.close()
    with pytest.raises((ConnectionClosed, InvalidStatus)):
        bad = await contact_socket(server.ws_url, visitor, origin="https://evil.example.net")
        await bad.next(timeout=2)
