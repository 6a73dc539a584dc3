"""The waiting contact sees its position and an estimated wait, live and over REST."""

from __future__ import annotations

import httpx

from tests.conftest import LiveServer
from tests.factories import Factory
from tests.realtime.wsclient import contact_socket
from tests.routing.helpers import assignee, capacity, queued, set_status, settled


async def test_queue_position_is_announced_live_and_readable(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    await capacity(client, world, world.agent, 1)
    await set_status(client, world.agent, "online")
    cids = []
    visitors = []
    for text in ("one", "two", "three"):
        visitor, cid = await queued(factory, world, text)
        await settled(server)
        visitors.append(visitor)
        cids.append(cid)
    assert await assignee(client, world, cids[0]) == str(world.agent.user_id)
    r = await client.get("/api/v1/widget/queue", headers=visitors[2].headers)
    assert r.status_code == 200
    mine = r.json()
    assert mine["status"] == "queued" and mine["position"] == 2
    assert mine["estimated_wait_seconds"] > 0
    first = (await client.get("/api/v1/widget/queue", headers=visitors[0].headers)).json()
    assert first["status"] == "assigned" and first["position"] is None
    sock = await contact_socket(server.ws_url, visitors[2])
    await client.post(f"/api/v1/conversations/{cids[0]}/resolve", headers=world.agent.headers)
    await settled(server)
    assert await assignee(client, world, cids[1]) == str(world.agent.user_id)
    frame = await sock.until("queue.position")
    assert frame["id"] is None
    assert frame["data"]["conversation_id"] == cids[2] and frame["data"]["position"] == 1
    await sock.close()
