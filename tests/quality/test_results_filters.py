"""The results list: filters (agent, date, score range, rule hit, reviewed), role scoping on
every read, re-inspection by date range, and the job's coverage (reopened, abandoned)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from sqlalchemy import update

from kefu.conversations.models import Conversation
from kefu.core.db import utcnow
from kefu.quality.tasks import inspect_resolved
from tests.factories import Factory, Login, World

GREETING = {
    "kind": "required_greeting",
    "name": "Greeting 问候",
    "params": {"phrases": ["您好"]},
    "weight": 10,
}
FORBIDDEN = {
    "kind": "forbidden_phrase",
    "name": "不知道",
    "params": {"phrases": ["不知道"]},
    "weight": 30,
}


async def serve(
    factory: Factory, client: httpx.AsyncClient, world: World, agent: Login, reply: str
) -> str:
    """A contact writes, `agent` takes it, replies once and resolves."""
    cid: str = (await factory.contact_says(await factory.visitor(world), "在吗"))["conversation_id"]
    h = agent.headers
    await client.post(
        f"/api/v1/conversations/{cid}/assign", json={"assignee_id": str(agent.user_id)}, headers=h
    )
    await client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"client_msg_id": f"{cid}-r", "body": reply},
        headers=h,
    )
    assert (await client.post(f"/api/v1/conversations/{cid}/resolve", headers=h)).status_code == 200
    return cid


async def rules(client: httpx.AsyncClient, world: World) -> list[str]:
    ids = []
    for body in (GREETING, FORBIDDEN):
        r = await client.post("/api/v1/quality/rules", json=body, headers=world.admin.headers)
        ids.append(r.json()["id"])
    return ids


async def listed(client: httpx.AsyncClient, login: Login, **query: object) -> list[str]:
    r = await client.get("/api/v1/quality/results", params=query, headers=login.headers)
    assert r.status_code == 200, r.text
    return [x["conversation_id"] for x in r.json()]


async def test_results_filter_by_agent_score_rule_reviewed_and_date(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    greeting_id, forbidden_id = await rules(client, world)
    perfect = await serve(factory, client, world, world.agent, "您好，马上处理")  # 100
    rude = await serve(factory, client, world, world.agent, "不知道")  # 60
    other = await serve(factory, client, world, world.agent2, "您好，不知道")  # 70
    assert await inspect_resolved(factory.rt) == 3
    sup = world.supervisor

    assert set(await listed(client, sup)) == {perfect, rude, other}
    assert set(await listed(client, sup, agent_id=str(world.agent.user_id))) == {perfect, rude}
    assert await listed(client, sup, min_score=65, max_score=90) == [other]
    assert set(await listed(client, sup, rule_id=forbidden_id)) == {rude, other}
    assert await listed(client, sup, rule_id=greeting_id) == [rude]

    result = (await client.get(f"/api/v1/conversations/{rude}/quality", headers=sup.headers)).json()
    assert result["final_score"] == 60 and result["reviewed"] is False
    assert result["contact_name"] is not None and result["ended_at"] is not None
    r = await client.post(
        f"/api/v1/quality/results/{result['id']}/override",
        json={"score": 85, "comment": "客户先说的不知道 / the contact said it first"},
        headers=sup.headers,
    )
    body = r.json()
    assert body["reviewed"] is True and body["final_score"] == 85 and body["score"] == 60
    assert body["overridden_by"] == str(sup.user_id)
    assert await listed(client, sup, reviewed=True) == [rude]
    assert set(await listed(client, sup, reviewed=False)) == {perfect, other}
    assert set(await listed(client, sup, min_score=80)) == {perfect, rude}, "the override counts"

    now = utcnow()
    assert len(await listed(client, sup, ended_from=(now - timedelta(hours=1)).isoformat())) == 3
    assert await listed(client, sup, ended_to=(now - timedelta(hours=1)).isoformat()) == []
    assert len(await listed(client, sup, limit=2)) == 2
    assert len(await listed(client, sup, limit=2, offset=2)) == 1


async def test_agents_read_only_their_own_results_everywhere(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    await rules(client, world)
    mine = await serve(factory, client, world, world.agent, "您好")
    theirs = await serve(factory, client, world, world.agent2, "您好")
    await inspect_resolved(factory.rt)
    a = world.agent
    assert await listed(client, a) == [mine]
    assert await listed(client, a, agent_id=str(world.agent2.user_id)) == []
    their_result = (
        await client.get(f"/api/v1/conversations/{theirs}/quality", headers=world.admin.headers)
    ).json()
    for path in (f"/quality/results/{their_result['id']}", f"/conversations/{theirs}/quality"):
        assert (await client.get(f"/api/v1{path}", headers=a.headers)).status_code == 404, path
    own = await client.get(f"/api/v1/conversations/{mine}/quality", headers=a.headers)
    assert own.status_code == 200
    detail = await client.get(f"/api/v1/quality/results/{own.json()['id']}", headers=a.headers)
    assert detail.json()["conversation_id"] == mine
    r = await client.post("/api/v1/quality/reinspect", json={}, headers=a.headers)
    assert r.status_code == 403


async def test_reinspection_by_date_range_and_after_a_reopen(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    await rules(client, world)
    old = await serve(factory, client, world, world.agent, "您好")
    new = await serve(factory, client, world, world.agent, "您好")
    async with factory.rt.db.sessions() as session:
        await session.execute(
            update(Conversation)
            .where(Conversation.id == uuid.UUID(old))
            .values(resolved_at=utcnow() - timedelta(days=10))
        )
        await session.commit()
    assert await inspect_resolved(factory.rt) == 2
    assert await inspect_resolved(factory.rt) == 0, "nothing left to do"
    since = (utcnow() - timedelta(days=1)).isoformat()
    h = world.supervisor.headers
    r = await client.post("/api/v1/quality/reinspect", json={"ended_from": since}, headers=h)
    assert r.json() == {"queued": 1}
    assert await inspect_resolved(factory.rt) == 1
    bad = {"ended_from": since, "ended_to": (utcnow() - timedelta(days=2)).isoformat()}
    assert (await client.post("/api/v1/quality/reinspect", json=bad, headers=h)).status_code == 422

    await client.post(f"/api/v1/conversations/{new}/reopen", headers=world.agent.headers)
    assert await inspect_resolved(factory.rt) == 0, "open again: not inspected meanwhile"
    await client.post(
        f"/api/v1/conversations/{new}/messages",
        json={"client_msg_id": "late", "body": "我不知道"},
        headers=world.agent.headers,
    )
    await client.post(f"/api/v1/conversations/{new}/resolve", headers=world.agent.headers)
    assert await inspect_resolved(factory.rt) == 1
    again = (await client.get(f"/api/v1/conversations/{new}/quality", headers=h)).json()
    assert again["score"] == 70 and [x["kind"] for x in again["hits"]] == ["forbidden_phrase"]
