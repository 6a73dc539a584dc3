"""Assignment: strategies, capacity, VIP priority, sticky agent, rules, skills, overflow."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from kefu.core.db import utcnow
from kefu.routing.models import QueueEntry
from tests.conftest import LiveServer
from tests.factories import Factory
from tests.routing.helpers import (
    assignee,
    capacity,
    conversation,
    queued,
    route,
    routing,
    set_status,
    settled,
)


async def test_nobody_online_leaves_the_queue_alone_and_online_takes_it(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    _, cid = await queued(factory, world)
    await settled(server)
    assert (await conversation(client, world, cid))["status"] == "queued"
    await set_status(client, world.agent, "busy")
    await route(server, world)
    assert await assignee(client, world, cid) is None, "busy agents get no new conversations"
    await set_status(client, world.agent, "online")
    await settled(server)
    assert await assignee(client, world, cid) == str(world.agent.user_id)
    events = [e.type for e in await factory.events(world.tenant_id)]
    assert events.count("conversation.assigned") == 1


async def test_least_busy_prefers_the_agent_with_fewer_conversations(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    for _ in range(2):  # the first agent already has two conversations, assigned by hand
        _, cid = await queued(factory, world)
        await client.post(
            f"/api/v1/conversations/{cid}/assign",
            json={"assignee_id": str(world.agent.user_id)},
            headers=world.supervisor.headers,
        )
    await set_status(client, world.agent, "online")
    await set_status(client, world.agent2, "online")
    new = [(await queued(factory, world))[1] for _ in range(3)]
    await route(server, world)
    owners = [await assignee(client, world, cid) for cid in new]
    a, b = str(world.agent.user_id), str(world.agent2.user_id)
    assert owners[:2] == [b, b], "the idle agent catches up first"
    assert owners[2] in (a, b)


async def test_round_robin_takes_turns_whatever_the_load(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    await routing(client, world, strategy="round_robin")
    for _ in range(2):
        _, cid = await queued(factory, world)
        await client.post(
            f"/api/v1/conversations/{cid}/assign",
            json={"assignee_id": str(world.agent.user_id)},
            headers=world.supervisor.headers,
        )
    new = [(await queued(factory, world))[1] for _ in range(4)]
    await routing(client, world, strategy="round_robin", auto_assign=False)
    await set_status(client, world.agent, "online")
    await set_status(client, world.agent2, "online")
    await routing(client, world, strategy="round_robin", auto_assign=True)  # both are online
    await route(server, world)
    owners = [await assignee(client, world, cid) for cid in new]
    assert None not in owners
    assert all(owners[i] != owners[i + 1] for i in range(3)), owners


async def test_capacity_is_never_exceeded_and_freed_capacity_is_used(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    await capacity(client, world, world.agent, 1)
    await capacity(client, world, world.agent2, 1)
    await set_status(client, world.agent, "online")
    await set_status(client, world.agent2, "online")
    cids = [(await queued(factory, world))[1] for _ in range(3)]
    await route(server, world)
    owners = [await assignee(client, world, cid) for cid in cids]
    assert owners[2] is None and {owners[0], owners[1]} == {
        str(world.agent.user_id),
        str(world.agent2.user_id),
    }, "longest waiting first; the third waits"
    presence = (await client.get("/api/v1/presence", headers=world.supervisor.headers)).json()
    loads = {p["user_id"]: (p["load"], p["capacity"]) for p in presence}
    assert loads[str(world.agent.user_id)] == (1, 1)
    owner = world.agent if owners[0] == str(world.agent.user_id) else world.agent2
    r = await client.post(f"/api/v1/conversations/{cids[0]}/resolve", headers=owner.headers)
    assert r.status_code == 200
    await settled(server)
    assert await assignee(client, world, cids[2]) == str(owner.user_id)


async def test_vip_contacts_jump_the_queue(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    await routing(client, world, vip_tags=["vip"], vip_priority=50)
    await capacity(client, world, world.agent, 1)
    _, ordinary = await queued(factory, world, "first in line")
    vip = await factory.visitor(world)
    r = await client.patch(
        f"/api/v1/contacts/{vip.contact_id}", json={"tags": ["vip"]}, headers=world.admin.headers
    )
    assert r.status_code == 200
    vip_cid = (await factory.contact_says(vip, "I pay more"))["conversation_id"]
    await settled(server)
    assert (await conversation(client, world, vip_cid))["priority"] == 50
    await set_status(client, world.agent, "online")
    await settled(server)
    assert await assignee(client, world, vip_cid) == str(world.agent.user_id)
    assert await assignee(client, world, ordinary) is None


async def test_sticky_returns_a_contact_to_its_last_agent(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    visitor, first = await queued(factory, world)
    h = world.agent2.headers
    await client.post(
        f"/api/v1/conversations/{first}/assign",
        json={"assignee_id": str(world.agent2.user_id)},
        headers=h,
    )
    await client.post(f"/api/v1/conversations/{first}/resolve", headers=h)
    await client.post(f"/api/v1/conversations/{first}/close", headers=h)
    _, other = await queued(factory, world)  # agent2 is busier than agent
    await client.post(
        f"/api/v1/conversations/{other}/assign",
        json={"assignee_id": str(world.agent2.user_id)},
        headers=h,
    )
    await set_status(client, world.agent, "online")
    await set_status(client, world.agent2, "online")
    again = (await factory.contact_says(visitor, "me again"))["conversation_id"]
    assert again != first
    await settled(server)
    assert await assignee(client, world, again) == str(world.agent2.user_id)
    # without sticky, least-busy wins
    await routing(client, world, sticky=False)
    await client.post(f"/api/v1/conversations/{again}/resolve", headers=h)
    await client.post(f"/api/v1/conversations/{again}/close", headers=h)
    third = (await factory.contact_says(visitor, "and again"))["conversation_id"]
    await settled(server)
    assert await assignee(client, world, third) == str(world.agent.user_id)


async def test_rules_send_a_conversation_to_a_team_with_skills(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    h = world.admin.headers
    team = (await client.post("/api/v1/teams", json={"name": "Billing"}, headers=h)).json()
    for login, skills in ((world.agent, []), (world.agent2, ["refunds"])):
        r = await client.patch(
            f"/api/v1/users/{login.user_id}",
            json={"team_ids": [team["id"]], "skills": skills},
            headers=h,
        )
        assert r.status_code == 200
    skip = {"name": "other inbox", "position": 0, "inbox_ids": [team["id"]], "team_id": None}
    rule = {
        "name": "widget refunds",
        "position": 1,
        "inbox_ids": [str(world.inbox_id)],
        "team_id": team["id"],
        "required_skills": ["refunds"],
    }
    for body in (skip, rule):
        assert (await client.post("/api/v1/routing/rules", json=body, headers=h)).status_code == 201
    rules = (await client.get("/api/v1/routing/rules", headers=h)).json()
    assert [r["name"] for r in rules] == ["other inbox", "widget refunds"]
    await set_status(client, world.agent, "online")
    await set_status(client, world.agent2, "online")
    _, cid = await queued(factory, world)
    await settled(server)
    c = await conversation(client, world, cid)
    assert c["team_id"] == team["id"]
    assert c["assignee_id"] == str(world.agent2.user_id), "only agent2 has the skill"
    # a rule naming another tenant's team, or a bad team, is refused
    r = await client.post(
        "/api/v1/routing/rules", json={**rule, "team_id": str(world.inbox_id)}, headers=h
    )
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = await client.post("/api/v1/routing/rules", json=rule, headers=world.agent.headers)
    assert r.status_code == 403


async def test_overflow_moves_a_long_wait_to_another_team(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    h = world.admin.headers
    first = (await client.post("/api/v1/teams", json={"name": "Tier 1"}, headers=h)).json()
    second = (await client.post("/api/v1/teams", json={"name": "Tier 2"}, headers=h)).json()
    await client.patch(
        f"/api/v1/users/{world.agent2.user_id}", json={"team_ids": [second["id"]]}, headers=h
    )
    rule = {"name": "all to tier 1", "team_id": first["id"]}
    assert (await client.post("/api/v1/routing/rules", json=rule, headers=h)).status_code == 201
    r = await client.put(
        f"/api/v1/routing/teams/{first['id']}",
        json={"overflow_after_seconds": 30, "overflow_team_id": second["id"]},
        headers=h,
    )
    assert r.status_code == 200 and r.json()["overflow_team_id"] == second["id"]
    await set_status(client, world.agent2, "online")
    _, cid = await queued(factory, world)
    await route(server, world)
    c = await conversation(client, world, cid)
    assert c["team_id"] == first["id"] and c["status"] == "queued", "nobody of tier 1 is online"
    async with server.runtime.db.sessions() as session:  # 31 seconds later
        await session.execute(
            update(QueueEntry)
            .where(QueueEntry.tenant_id == world.tenant_id)
            .values(team_since=utcnow() - timedelta(seconds=31))
        )
        await session.commit()
    await route(server, world)
    c = await conversation(client, world, cid)
    assert c["team_id"] == second["id"] and c["assignee_id"] == str(world.agent2.user_id)
    queues = (await client.get("/api/v1/routing/queues", headers=world.supervisor.headers)).json()
    assert {q["team_name"] for q in queues} >= {"Tier 1", "Tier 2"}
