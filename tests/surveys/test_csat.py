"""Satisfaction ratings: after resolution, once, by the conversation's own contact."""

from __future__ import annotations

import httpx

from tests.factories import Factory


async def test_rating_after_resolution_once(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    visitor, stranger = await factory.visitor(world), await factory.visitor(world)
    cid = (await factory.contact_says(visitor, "hi"))["conversation_id"]
    body = {"conversation_id": cid, "score": 5, "comment": "很好 great"}
    early = await client.post("/api/v1/widget/csat", json=body, headers=visitor.headers)
    assert early.status_code == 409 and early.json()["code"] == "csat_not_resolved"
    await client.post(
        f"/api/v1/conversations/{cid}/assign",
        json={"assignee_id": str(world.agent.user_id)},
        headers=world.agent.headers,
    )
    await client.post(f"/api/v1/conversations/{cid}/resolve", headers=world.agent.headers)
    assert (
        await client.post("/api/v1/widget/csat", json=body, headers=stranger.headers)
    ).status_code == 404
    assert (
        await client.post("/api/v1/widget/csat", json={**body, "score": 6}, headers=visitor.headers)
    ).status_code == 422
    r = await client.post("/api/v1/widget/csat", json=body, headers=visitor.headers)
    assert r.status_code == 201 and r.json()["agent_id"] == str(world.agent.user_id)
    again = await client.post(
        "/api/v1/widget/csat", json={**body, "score": 1}, headers=visitor.headers
    )
    assert again.status_code == 409 and again.json()["code"] == "csat_already_rated"
    seen = await client.get(f"/api/v1/conversations/{cid}/csat", headers=world.supervisor.headers)
    assert seen.json()["score"] == 5 and seen.json()["comment"] == "很好 great"


async def test_widget_handoff_leaves_the_bot(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    await client.patch(
        f"/api/v1/inboxes/{world.inbox_id}",
        json={"settings": {"bot_enabled": True}},
        headers=world.admin.headers,
    )
    visitor = await factory.visitor(world)
    r = await client.post("/api/v1/widget/handoff", headers=visitor.headers)
    assert r.status_code == 200 and r.json()["status"] == "queued"
    again = await client.post("/api/v1/widget/handoff", headers=visitor.headers)
    assert again.json() == r.json()
    c = (
        await client.get(
            f"/api/v1/conversations/{r.json()['conversation_id']}", headers=world.admin.headers
        )
    ).json()
    assert c["handoff_reason"] == "explicit_request"
