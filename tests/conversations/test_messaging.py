"""Sending messages: idempotency, ordering by seq, limits, agent replies and visibility."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from tests.factories import Factory


async def test_contact_message_opens_conversation_and_is_idempotent(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    body = {"client_msg_id": "c-1", "body": "我的快递到哪了？"}
    first = await client.post("/api/v1/widget/messages", json=body, headers=visitor.headers)
    second = await client.post("/api/v1/widget/messages", json=body, headers=visitor.headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["seq"] == 1

    conversation_id = first.json()["conversation_id"]
    r = await client.get(
        f"/api/v1/conversations/{conversation_id}/messages", headers=world.agent.headers
    )
    assert [m["body"] for m in r.json()["items"]] == ["我的快递到哪了？"]
    events = [e.type for e in await factory.events(world.tenant_id)]
    assert events == ["conversation.created", "message.created"]


async def test_messages_are_numbered_in_order(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    first = await factory.contact_says(visitor, "hello")
    cid = first["conversation_id"]
    sends = [
        client.post(
            f"/api/v1/conversations/{cid}/messages",
            json={"client_msg_id": f"a-{i}", "body": f"reply {i}"},
            headers=world.agent.headers,
        )
        for i in range(10)
    ]
    results = await asyncio.gather(*sends)
    assert all(r.status_code == 201 for r in results)
    r = await client.get("/api/v1/widget/messages?after_seq=0", headers=visitor.headers)
    seqs = [m["seq"] for m in r.json()["items"]]
    assert seqs == list(range(1, 12))
    r = await client.get("/api/v1/widget/messages?after_seq=8", headers=visitor.headers)
    assert [m["seq"] for m in r.json()["items"]] == [9, 10, 11]


async def test_private_notes_stay_with_agents(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    cid = (await factory.contact_says(visitor, "hi"))["conversation_id"]
    r = await client.post(
        f"/api/v1/conversations/{cid}/messages",
        json={"client_msg_id": "n1", "body": "VIP, be nice", "private": True},
        headers=world.agent.headers,
    )
    assert r.status_code == 201 and r.json()["private"] is True
    seen = await client.get("/api/v1/widget/messages", headers=visitor.headers)
    assert [m["body"] for m in seen.json()["items"]] == ["hi"]
    agent_view = await client.get(
        f"/api/v1/conversations/{cid}/messages", headers=world.agent2.headers
    )
    assert [m["body"] for m in agent_view.json()["items"]] == ["hi", "VIP, be nice"]


async def test_bad_messages_are_refused_and_nothing_is_written(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    before = len(await factory.events(world.tenant_id))
    cases = [
        ({"client_msg_id": "x", "body": "a" * 10_001}, 422, "message_too_long"),
        ({"client_msg_id": "x", "body": "   "}, 422, "message_empty"),
        ({"client_msg_id": "x", "body": 42}, 422, "validation_error"),
        ({"body": "no id"}, 422, "validation_error"),
        ({"client_msg_id": "x", "body": "hi", "extra": 1}, 422, "validation_error"),
        (
            {"client_msg_id": "x", "body": "hi", "attachment_ids": [str(uuid.uuid4())]},
            422,
            "validation_error",
        ),
    ]
    for payload, status, code in cases:
        r = await client.post("/api/v1/widget/messages", json=payload, headers=visitor.headers)
        assert r.status_code == status, (payload, r.text)
        assert r.json()["code"] == code
        assert r.json()["message"]
    r = await client.post(
        "/api/v1/widget/messages",
        content=b"{not json",
        headers={**visitor.headers, "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert len(await factory.events(world.tenant_id)) == before
    listed = await client.get("/api/v1/conversations", headers=world.admin.headers)
    assert listed.json()["items"] == []


async def test_validation_error_names_the_field(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    visitor = await factory.visitor(world)
    r = await client.post(
        "/api/v1/widget/messages",
        json={"client_msg_id": "", "body": "x"},
        headers={**visitor.headers, "Accept-Language": "zh-CN"},
    )
    assert r.status_code == 422
    assert r.json()["fields"][0]["field"] == "client_msg_id"
    assert r.json()["message"].startswith("输入无效")


async def test_agent_sees_own_and_unassigned_supervisor_sees_all(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await factory.world()
    v1, v2 = await factory.visitor(world), await factory.visitor(world)
    c1 = (await factory.contact_says(v1, "one"))["conversation_id"]
    c2 = (await factory.contact_says(v2, "two"))["conversation_id"]
    r = await client.post(
        f"/api/v1/conversations/{c1}/assign",
        json={"assignee_id": str(world.agent2.user_id)},
        headers=world.supervisor.headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "assigned"
    mine = await client.get("/api/v1/conversations?view=all", headers=world.agent.headers)
    assert [c["id"] for c in mine.json()["items"]] == [c2]
    assert (
        await client.get(f"/api/v1/conversations/{c1}", headers=world.agent.headers)
    ).status_code == 404
    everything = await client.get("/api/v1/conversations", headers=world.supervisor.headers)
    assert {c["id"] for c in everything.json()["items"]} == {c1, c2}
    theirs = await client.get("/api/v1/conversations?view=mine", headers=world.agent2.headers)
    assert [c["id"] for c in theirs.json()["items"]] == [c1]
    # an agent may take an unassigned conversation, but not hand it to someone else
    r = await client.post(
        f"/api/v1/conversations/{c2}/assign",
        json={"assignee_id": str(world.agent2.user_id)},
        headers=world.agent.headers,
    )
    assert r.status_code == 403
    r = await client.post(
        f"/api/v1/conversations/{c2}/assign",
        json={"assignee_id": str(world.agent.user_id)},
        headers=world.agent.headers,
    )
    assert r.status_code == 200


async def test_list_pagination_and_search(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    for i in range(5):
        v = await factory.visitor(world)
        await factory.contact_says(
            v, f"question number {i} about refunds" if i % 2 else f"shipping {i}"
        )
    page1 = await client.get("/api/v1/conversations?limit=2", headers=world.admin.headers)
    page2 = await client.get(
        f"/api/v1/conversations?limit=2&cursor={page1.json()['next_cursor']}",
        headers=world.admin.headers,
    )
    page3 = await client.get(
        f"/api/v1/conversations?limit=2&cursor={page2.json()['next_cursor']}",
        headers=world.admin.headers,
    )
    ids = [c["id"] for p in (page1, page2, page3) for c in p.json()["items"]]
    assert len(ids) == len(set(ids)) == 5
    assert page3.json()["next_cursor"] is None
    found = await client.get("/api/v1/conversations?q=refunds", headers=world.admin.headers)
    assert len(found.json()["items"]) == 2
    bad = await client.get("/api/v1/conversations?cursor=%%%", headers=world.admin.headers)
    assert bad.status_code == 422
