"""Quick replies and suggested replies from the knowledge base."""

from __future__ import annotations

import httpx

from tests.bot.test_conversation_bot import REFUND, SHIPPING, bot_world
from tests.factories import Factory


async def test_quick_replies_crud(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    body = {"shortcut": "thanks", "title": "Thanks 感谢", "body": "感谢您的耐心等待！"}
    r = await client.post("/api/v1/quick-replies", json=body, headers=world.supervisor.headers)
    assert r.status_code == 201
    rid = r.json()["id"]
    dup = await client.post("/api/v1/quick-replies", json=body, headers=world.supervisor.headers)
    assert dup.status_code == 409 and dup.json()["code"] == "shortcut_taken"
    assert (
        await client.post(
            "/api/v1/quick-replies", json={**body, "shortcut": "a b"}, headers=world.admin.headers
        )
    ).status_code == 422
    assert (
        await client.post(
            "/api/v1/quick-replies", json={**body, "shortcut": "x"}, headers=world.agent.headers
        )
    ).status_code == 403
    listed = await client.get("/api/v1/quick-replies", headers=world.agent.headers)
    assert [q["shortcut"] for q in listed.json()] == ["thanks"]
    r = await client.put(
        f"/api/v1/quick-replies/{rid}",
        json={**body, "body": "Thank you!"},
        headers=world.admin.headers,
    )
    assert r.json()["body"] == "Thank you!"
    assert (
        await client.delete(f"/api/v1/quick-replies/{rid}", headers=world.admin.headers)
    ).status_code == 204
    assert (await client.get("/api/v1/quick-replies", headers=world.agent.headers)).json() == []


async def test_suggestions_for_the_contacts_last_message(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await bot_world(factory, client)
    await client.patch(
        f"/api/v1/inboxes/{world.inbox_id}",
        json={"settings": {"bot_enabled": False}},
        headers=world.admin.headers,
    )
    visitor = await factory.visitor(world)
    sent = await factory.contact_says(visitor, "我的退款什么时候能回到账户")
    r = await client.get(
        f"/api/v1/conversations/{sent['conversation_id']}/suggestions", headers=world.agent.headers
    )
    assert r.status_code == 200
    items = r.json()["items"]
    assert items[0]["answer"] == REFUND["answer_zh"]
    assert items[0]["question"] == REFUND["question_zh"]
    assert SHIPPING["answer_zh"] not in [i["answer"] for i in items[:1]]

    # a screenshot sent alone afterwards is not a question: suggestions stay on the refund
    up = await client.post(
        "/api/v1/widget/attachments",
        files={"file": ("shot.png", b"\x89PNG fake", "image/png")},
        headers=visitor.headers,
    )
    photo = {"client_msg_id": "photo", "body": "", "attachment_ids": [up.json()["id"]]}
    r = await client.post("/api/v1/widget/messages", json=photo, headers=visitor.headers)
    assert r.status_code == 201
    again = await client.get(
        f"/api/v1/conversations/{sent['conversation_id']}/suggestions", headers=world.agent.headers
    )
    assert again.json()["items"][0]["answer"] == REFUND["answer_zh"]
