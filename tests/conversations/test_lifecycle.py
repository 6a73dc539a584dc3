"""The state machine: each transition stamped and published; illegal ones refused with 409."""

from __future__ import annotations

import httpx

from tests.factories import Factory


async def test_full_lifecycle_is_stamped(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    cid = (await factory.contact_says(visitor, "hi"))["conversation_id"]
    h = world.agent.headers
    c = (await client.get(f"/api/v1/conversations/{cid}", headers=h)).json()
    assert c["status"] == "queued" and c["queued_at"]

    c = (
        await client.post(
            f"/api/v1/conversations/{cid}/assign",
            json={"assignee_id": str(world.agent.user_id)},
            headers=h,
        )
    ).json()
    assert (
        c["status"] == "assigned"
        and c["assigned_at"]
        and c["assignee_id"] == str(world.agent.user_id)
    )
    await client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"client_msg_id": "r1", "body": "Hello!"},
        headers=h,
    )
    c = (await client.post(f"/api/v1/conversations/{cid}/resolve", headers=h)).json()
    assert c["status"] == "resolved" and c["resolved_at"] and c["first_agent_reply_at"]
    c = (await client.post(f"/api/v1/conversations/{cid}/reopen", headers=h)).json()
    assert c["status"] == "assigned", "reopen returns it to its agent"
    await client.post(f"/api/v1/conversations/{cid}/resolve", headers=h)
    c = (await client.post(f"/api/v1/conversations/{cid}/close", headers=h)).json()
    assert c["status"] == "closed" and c["closed_at"]

    types = [e.type for e in await factory.events(world.tenant_id)]
    assert types == [
        "conversation.created",
        "message.created",
        "conversation.assigned",
        "message.created",
        "conversation.updated",
        "conversation.updated",
        "conversation.updated",
        "conversation.updated",
    ]


async def test_illegal_transitions_are_409_and_change_nothing(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    cid = (await factory.contact_says(visitor, "hi"))["conversation_id"]
    h = world.admin.headers
    for action in ("reopen", "close", "unassign"):
        r = await client.post(f"/api/v1/conversations/{cid}/{action}", headers=h)
        assert r.status_code == 409, action
        assert r.json()["code"] == "illegal_transition"
    await client.post(f"/api/v1/conversations/{cid}/resolve", headers=h)
    await client.post(f"/api/v1/conversations/{cid}/close", headers=h)
    before = len(await factory.events(world.tenant_id))
    for action in ("resolve", "reopen", "unassign", "close"):
        assert (
            await client.post(f"/api/v1/conversations/{cid}/{action}", headers=h)
        ).status_code == 409
    r = await client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"client_msg_id": "late", "body": "x"},
        headers=h,
    )
    assert r.status_code == 409 and r.json()["code"] == "conversation_closed"
    assert len(await factory.events(world.tenant_id)) == before
    zh = await client.post(
        f"/api/v1/conversations/{cid}/resolve", headers={**h, "Accept-Language": "zh-CN"}
    )
    assert "会话" in zh.json()["message"]


async def test_contact_return_reopens_recent_and_starts_new_after_close(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    cid = (await factory.contact_says(visitor, "hi"))["conversation_id"]
    await client.post(f"/api/v1/conversations/{cid}/resolve", headers=world.admin.headers)
    again = await factory.contact_says(visitor, "one more thing")
    assert again["conversation_id"] == cid
    c = (await client.get(f"/api/v1/conversations/{cid}", headers=world.admin.headers)).json()
    assert c["status"] == "queued"
    await client.post(f"/api/v1/conversations/{cid}/resolve", headers=world.admin.headers)
    await client.post(f"/api/v1/conversations/{cid}/close", headers=world.admin.headers)
    fresh = await factory.contact_says(visitor, "new topic")
    assert fresh["conversation_id"] != cid
    assert fresh["seq"] == 1


async def test_tags_set_and_filter(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    cid = (await factory.contact_says(visitor, "hi"))["conversation_id"]
    r = await client.put(
        f"/api/v1/conversations/{cid}/tags",
        json={"tags": ["refund", "vip", "refund"]},
        headers=world.agent.headers,
    )
    assert r.json()["tags"] == ["refund", "vip"]
    found = await client.get("/api/v1/conversations?tag=vip", headers=world.agent.headers)
    assert [c["id"] for c in found.json()["items"]] == [cid]
    assert (await client.get("/api/v1/conversations?tag=none", headers=world.agent.headers)).json()[
        "items"
    ] == []
    bad = await client.put(
        f"/api/v1/conversations/{cid}/tags", json={"tags": "vip"}, headers=world.agent.headers
    )
    assert bad.status_code == 422
