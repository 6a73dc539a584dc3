"""Inspection over the API: the job scores resolved conversations; overrides persist; agents
see only their own results."""

from __future__ import annotations

import httpx

from kefu.quality.tasks import inspect_resolved
from tests.factories import Factory, World

RULES = [
    {
        "kind": "required_greeting",
        "name": "Greeting 问候",
        "params": {"phrases": ["您好", "hello"]},
        "weight": 10,
    },
    {
        "kind": "forbidden_phrase",
        "name": "No 不知道",
        "params": {"phrases": ["不知道"]},
        "weight": 20,
    },
    {"kind": "sensitive_data", "name": "No PII", "weight": 30},
]


async def served(
    factory: Factory, client: httpx.AsyncClient, world: World, replies: list[str]
) -> str:
    visitor = await factory.visitor(world)
    cid: str = (await factory.contact_says(visitor, "请问怎么退货"))["conversation_id"]
    h = world.agent.headers
    await client.post(
        f"/api/v1/conversations/{cid}/assign",
        json={"assignee_id": str(world.agent.user_id)},
        headers=h,
    )
    for i, body in enumerate(replies):
        await client.post(
            f"/api/v1/conversations/{cid}/messages",
            json={"client_msg_id": f"{cid}-{i}", "body": body},
            headers=h,
        )
    await client.post(f"/api/v1/conversations/{cid}/resolve", headers=h)
    return cid


async def test_inspection_scores_with_evidence_and_overrides_persist(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    for r in RULES:
        assert (
            await client.post("/api/v1/quality/rules", json=r, headers=world.supervisor.headers)
        ).status_code == 201
    bad = await served(factory, client, world, ["我也不知道", "打 13812345678 问问"])
    good = await served(factory, client, world, ["您好，在订单页申请退货即可"])
    assert await inspect_resolved(factory.rt) >= 2
    result = (
        await client.get(f"/api/v1/conversations/{bad}/quality", headers=world.supervisor.headers)
    ).json()
    assert result["score"] == 40.0
    assert {h["kind"] for h in result["hits"]} == {
        "required_greeting",
        "forbidden_phrase",
        "sensitive_data",
    }
    pii = next(h for h in result["hits"] if h["kind"] == "sensitive_data")
    assert pii["span"] == [2, 13] and pii["seq"] == 3
    assert (
        await client.get(f"/api/v1/conversations/{good}/quality", headers=world.supervisor.headers)
    ).json()["score"] == 100.0

    override = {"score": 70, "comment": "客户主动要求电话联系"}
    r = await client.post(
        f"/api/v1/quality/results/{result['id']}/override",
        json=override,
        headers=world.supervisor.headers,
    )
    assert r.status_code == 200 and r.json()["override_score"] == 70
    await client.put(
        f"/api/v1/quality/rules/{(await client.get('/api/v1/quality/rules', headers=world.supervisor.headers)).json()[0]['id']}",
        json={**RULES[1], "weight": 5},
        headers=world.supervisor.headers,
    )
    assert (
        await client.post(
            "/api/v1/quality/reinspect",
            json={"conversation_ids": [bad]},
            headers=world.supervisor.headers,
        )
    ).json() == {"queued": 1}
    await inspect_resolved(factory.rt)
    again = (
        await client.get(f"/api/v1/conversations/{bad}/quality", headers=world.supervisor.headers)
    ).json()
    assert again["score"] != result["score"], "re-scored under the changed rule"
    assert again["override_score"] == 70 and again["override_comment"] == "客户主动要求电话联系"


async def test_agents_see_their_own_results_only(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    await client.post("/api/v1/quality/rules", json=RULES[0], headers=world.admin.headers)
    await served(factory, client, world, ["hi"])
    await inspect_resolved(factory.rt)
    mine = await client.get("/api/v1/quality/results", headers=world.agent.headers)
    theirs = await client.get("/api/v1/quality/results", headers=world.agent2.headers)
    assert len(mine.json()) == 1 and theirs.json() == []
    rid = mine.json()[0]["id"]
    assert (
        await client.post(
            f"/api/v1/quality/results/{rid}/override",
            json={"score": 1, "comment": "x"},
            headers=world.agent.headers,
        )
    ).status_code == 403
    low = await client.get("/api/v1/quality/results?below=95", headers=world.supervisor.headers)
    assert [x["id"] for x in low.json()] == [rid]


async def test_rules_are_validated(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    h = world.admin.headers
    for bad in (
        {"kind": "forbidden_phrase", "name": "x", "params": {}},
        {"kind": "first_response_over", "name": "x", "params": {"seconds": -1}},
        {"kind": "telepathy", "name": "x"},
        {"kind": "transfer_bounce", "name": "x", "params": {"count": 0}},
    ):
        r = await client.post("/api/v1/quality/rules", json=bad, headers=h)
        assert r.status_code == 422, bad
    assert (await client.get("/api/v1/quality/rules", headers=h)).json() == []
