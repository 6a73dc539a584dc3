"""Never stuck with an absent agent; contacts who leave the queue are abandoned.

The periodic job functions run directly, with grace periods set to zero; a socket's close is
awaited by polling presence, so no test depends on how long anything takes.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import httpx
from sqlalchemy import select, update

from kefu.conversations.models import Conversation, Transition
from kefu.core.db import utcnow
from kefu.routing.presence import PresenceStore
from kefu.routing.tasks import contact_departures, first_response_timeouts, presence_timeouts
from tests.conftest import LiveServer
from tests.factories import Factory, Login, World
from tests.realtime.wsclient import agent_socket, contact_socket
from tests.routing.helpers import (
    assignee,
    conversation,
    queued,
    routing,
    set_status,
    settled,
)


async def connected(client: httpx.AsyncClient, world: World, login: Login) -> bool:
    rows = (await client.get("/api/v1/presence", headers=world.supervisor.headers)).json()
    return bool(next(p for p in rows if p["user_id"] == str(login.user_id))["connected"])


async def until(predicate: object, what: str) -> None:
    for _ in range(500):
        if await predicate():  # type: ignore[operator]
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


async def test_agent_whose_sockets_are_gone_becomes_away_and_loses_its_conversations(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    await routing(client, world, presence_grace_seconds=0)
    sock = await agent_socket(client, server.ws_url, world.agent)
    await until(lambda: connected(client, world, world.agent), "socket registered")
    await set_status(client, world.agent, "online")
    _, cid = await queued(factory, world)
    await settled(server)
    assert await assignee(client, world, cid) == str(world.agent.user_id)
    supervisor = await agent_socket(client, server.ws_url, world.supervisor)
    await until(lambda: connected(client, world, world.supervisor), "supervisor registered")

    await presence_timeouts(server.runtime)  # still connected: nothing happens
    assert await assignee(client, world, cid) == str(world.agent.user_id)
    await sock.close()

    async def gone() -> bool:
        return not await connected(client, world, world.agent)

    await until(gone, "socket gone")
    await set_status(client, world.agent2, "online")
    await presence_timeouts(server.runtime)
    await settled(server)
    rows = (await client.get("/api/v1/presence", headers=world.supervisor.headers)).json()
    me = next(p for p in rows if p["user_id"] == str(world.agent.user_id))
    assert me["status"] == "away" and me["auto"] is True
    frame = await supervisor.until("presence.updated")
    assert frame["id"] is None and frame["data"]["status"] in ("online", "away")
    c = await conversation(client, world, cid)
    assert c["assignee_id"] == str(world.agent2.user_id), "routed afresh to who is online"
    await presence_timeouts(server.runtime)  # at-least-once: a second run changes nothing
    assert await assignee(client, world, cid) == str(world.agent2.user_id)
    await supervisor.close()
    back = await agent_socket(client, server.ws_url, world.agent)

    async def online_again() -> bool:
        rows = (await client.get("/api/v1/presence", headers=world.agent.headers)).json()
        return bool(rows[0]["status"] == "online")

    await until(online_again, "an automatic away ends when the agent reconnects")
    await back.close()


async def test_agent_setting_offline_past_the_grace_returns_its_conversations(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    await set_status(client, world.agent, "online")
    _, cid = await queued(factory, world)
    await settled(server)
    assert await assignee(client, world, cid) == str(world.agent.user_id)
    await set_status(client, world.agent, "offline")
    await presence_timeouts(server.runtime)
    assert await assignee(client, world, cid) == str(world.agent.user_id), "within the grace"
    r = await client.put(
        f"/api/v1/conversations/{cid}/tags", json={"tags": ["x"]}, headers=world.supervisor.headers
    )
    assert r.status_code == 200
    await settled(server)
    assert await assignee(client, world, cid) == str(world.agent.user_id), "an edit is no reopen"
    await routing(client, world, presence_grace_seconds=0)
    await presence_timeouts(server.runtime)
    await settled(server)
    c = await conversation(client, world, cid)
    assert c["status"] == "queued" and c["assignee_id"] is None
    async with server.runtime.db.sessions() as session:
        stmt = select(Transition.reason).where(Transition.conversation_id == uuid.UUID(cid))
        reasons = list((await session.execute(stmt)).scalars())
    assert "agent_absent" in reasons


async def test_unanswered_assignment_goes_back_to_the_queue(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    await routing(client, world, first_response_seconds=120)
    await set_status(client, world.agent, "online")
    _, quiet = await queued(factory, world)
    await settled(server)
    _, answered = await queued(factory, world)
    await settled(server)
    assert await assignee(client, world, quiet) == str(world.agent.user_id)
    r = await client.post(
        f"/api/v1/conversations/{answered}/messages",
        json={"client_msg_id": "hi", "body": "Hello, how can I help?"},
        headers=world.agent.headers,
    )
    assert r.status_code == 201
    await first_response_timeouts(server.runtime)
    assert await assignee(client, world, quiet) == str(world.agent.user_id), "not yet due"
    async with server.runtime.db.sessions() as session:  # two minutes later
        await session.execute(
            update(Conversation)
            .where(Conversation.tenant_id == world.tenant_id)
            .values(assigned_at=utcnow() - timedelta(seconds=121))
        )
        await session.commit()
    await set_status(client, world.agent2, "online")
    assert await first_response_timeouts(server.runtime) >= 1
    await settled(server)
    assert await assignee(client, world, quiet) == str(world.agent2.user_id), "not agent again"
    assert await assignee(client, world, answered) == str(world.agent.user_id)


async def test_reopened_to_an_offline_agent_is_routed_afresh(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    visitor, cid = await queued(factory, world)
    await set_status(client, world.agent, "online")
    await settled(server)
    assert await assignee(client, world, cid) == str(world.agent.user_id)
    await client.post(f"/api/v1/conversations/{cid}/resolve", headers=world.agent.headers)
    await set_status(client, world.agent, "offline")
    await set_status(client, world.agent2, "online")
    await factory.contact_says(visitor, "it broke again")  # reopens to its last agent
    await settled(server)
    assert await assignee(client, world, cid) == str(world.agent2.user_id)


async def test_contact_who_leaves_the_queue_is_abandoned(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    visitor, cid = await queued(factory, world)
    r = await client.post("/api/v1/widget/leave", headers=visitor.headers)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "abandoned" and body["waited_seconds"] >= 0
    again = await client.post("/api/v1/widget/leave", headers=visitor.headers)
    assert again.json()["status"] == "abandoned", "idempotent"
    assert (await conversation(client, world, cid))["status"] == "abandoned"


async def test_contact_whose_socket_is_gone_is_abandoned_after_the_grace(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    visitor, cid = await queued(factory, world)
    sock = await contact_socket(server.ws_url, visitor)
    store = PresenceStore.of(server.runtime)
    who = f"contact:{visitor.contact_id}"

    async def registered() -> bool:
        return visitor.contact_id in await store.watched(world.tenant_id, "contact")

    await until(registered, "contact socket registered")
    await contact_departures(server.runtime)
    assert (await conversation(client, world, cid))["status"] == "queued", "still connected"
    await sock.close()

    async def gone() -> bool:
        return await store.gone_since(world.tenant_id, who) is not None

    await until(gone, "contact socket gone")
    await contact_departures(server.runtime)
    assert (await conversation(client, world, cid))["status"] == "queued", "within the grace"
    await routing(client, world, contact_grace_seconds=0)
    assert await contact_departures(server.runtime) == 1
    assert (await conversation(client, world, cid))["status"] == "abandoned"
