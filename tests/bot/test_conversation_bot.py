"""The bot in real conversations: answers from the published KB, clarifies, hands off, learns
nothing from drafts; replies reach the widget over its WebSocket."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.conftest import LiveServer
from tests.factories import Factory, Visitor, World
from tests.realtime.wsclient import contact_socket

SHIPPING = {
    "question_zh": "多久发货？",
    "question_en": "How long until my order ships?",
    "similar_zh": ["什么时候发货", "几天能发货", "下单后多久发出", "发货要多久"],
    "similar_en": ["when do you ship", "how soon will you send my order", "shipping time"],
    "answer_zh": "付款后 48 小时内发货。",
    "answer_en": "We ship within 48 hours of payment.",
}
REFUND = {
    "question_zh": "退款多久到账？",
    "question_en": "How long does a refund take?",
    "similar_zh": ["退款什么时候到", "钱什么时候退回来", "退款几天到账"],
    "similar_en": ["when will I get my money back", "refund time", "how long for the refund"],
    "answer_zh": "退款 1–3 个工作日原路返回。",
    "answer_en": "Refunds reach your original payment method in 1–3 business days.",
}
INVOICE = {
    "question_zh": "怎么开发票？",
    "question_en": "How do I get an invoice?",
    "similar_zh": ["能开发票吗", "电子发票在哪里下载", "我要发票"],
    "similar_en": ["can I have an invoice", "where is my e-invoice", "I need a receipt for tax"],
    "answer_zh": "在订单详情页点击“申请发票”。",
    "answer_en": "Open the order and choose “Request invoice”.",
}


async def bot_world(factory: Factory, client: httpx.AsyncClient, *, publish: bool = True) -> World:
    world = await factory.world()
    h = world.admin.headers
    for faq in (SHIPPING, REFUND, INVOICE):
        assert (await client.post("/api/v1/kb/faqs", json=faq, headers=h)).status_code == 201
    if publish:
        assert (await client.post("/api/v1/kb/publish", json={}, headers=h)).status_code == 201
    r = await client.patch(
        f"/api/v1/inboxes/{world.inbox_id}", json={"settings": {"bot_enabled": True}}, headers=h
    )
    assert r.status_code == 200
    return world


async def bot_reply(client: httpx.AsyncClient, visitor: Visitor, after_seq: int) -> dict[str, Any]:
    for _ in range(300):
        r = await client.get(
            f"/api/v1/widget/messages?after_seq={after_seq}", headers=visitor.headers
        )
        replies = [m for m in r.json()["items"] if m["sender_type"] == "bot"]
        if replies:
            return replies[0]
        await asyncio.sleep(0.1)
    raise AssertionError("the bot did not reply")


async def ask(
    factory: Factory, client: httpx.AsyncClient, visitor: Visitor, text: str
) -> dict[str, Any]:
    sent = await factory.contact_says(visitor, text)
    return await bot_reply(client, visitor, sent["seq"])


async def conversation(client: httpx.AsyncClient, world: World, cid: str) -> dict[str, Any]:
    result: dict[str, Any] = (
        await client.get(f"/api/v1/conversations/{cid}", headers=world.admin.headers)
    ).json()
    return result


async def test_bot_answers_a_paraphrase_live_over_the_widget_socket(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await bot_world(factory, client)
    visitor = await factory.visitor(world)
    sock = await contact_socket(server.ws_url, visitor)
    sent = await factory.contact_says(visitor, "请问下单以后几天可以发货啊")
    seen = []
    while True:
        frame = await sock.until("message.created", timeout=30)
        seen.append(frame["data"]["message"])
        if frame["data"]["message"]["sender_type"] == "bot":
            break
    assert seen[-1]["body"] == SHIPPING["answer_zh"]
    assert seen[0]["id"] == sent["id"]
    c = await conversation(client, world, sent["conversation_id"])
    assert c["status"] == "bot" and c["language"] == "zh-CN"
    await sock.close()

    english = await ask(factory, client, visitor, "when will I get my money back?")
    assert english["body"] == REFUND["answer_en"]


async def test_explicit_request_hands_off_with_reason(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await bot_world(factory, client)
    visitor = await factory.visitor(world)
    reply = await ask(factory, client, visitor, "转人工")
    assert reply["body"] == "正在为您转接人工客服，请稍候。"
    c = await conversation(client, world, reply["conversation_id"])
    assert c["status"] == "queued" and c["handoff_reason"] == "explicit_request"


async def test_repeated_fallbacks_hand_off(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await bot_world(factory, client)
    visitor = await factory.visitor(world)
    first = await ask(factory, client, visitor, "purple elephants dancing on the moon tonight")
    assert first["body"].startswith("Sorry, I didn't catch that")
    c = await conversation(client, world, first["conversation_id"])
    assert c["status"] == "bot"
    second = await ask(factory, client, visitor, "quantum zebra saxophone lessons in Antarctica")
    assert second["body"] == "Connecting you to an agent, one moment please."
    c = await conversation(client, world, first["conversation_id"])
    assert c["status"] == "queued" and c["handoff_reason"] == "repeated_fallback"


async def test_without_a_published_kb_the_bot_hands_off(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await bot_world(factory, client, publish=False)
    visitor = await factory.visitor(world)
    reply = await ask(factory, client, visitor, "多久发货？")
    c = await conversation(client, world, reply["conversation_id"])
    assert c["status"] == "queued" and c["handoff_reason"] == "no_knowledge"


async def test_publish_and_rollback_switch_what_the_bot_answers(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await bot_world(factory, client)
    h = world.admin.headers
    v1 = (await client.get("/api/v1/kb/versions", headers=h)).json()[0]
    faq = next(
        f
        for f in (await client.get("/api/v1/kb/faqs", headers=h)).json()["items"]
        if f["question_zh"] == "多久发货？"
    )
    changed = {**SHIPPING, "answer_zh": "双11 期间 72 小时内发货。"}
    await client.put(f"/api/v1/kb/faqs/{faq['id']}", json=changed, headers=h)
    visitor = await factory.visitor(world)
    assert (await ask(factory, client, visitor, "多久发货？"))["body"] == SHIPPING["answer_zh"], (
        "drafts are not live"
    )
    await client.post("/api/v1/kb/publish", json={"note": "双11"}, headers=h)
    assert (await ask(factory, client, visitor, "多久发货？"))[
        "body"
    ] == "双11 期间 72 小时内发货。"
    await client.post(f"/api/v1/kb/versions/{v1['id']}/rollback", headers=h)
    assert (await ask(factory, client, visitor, "多久发货？"))["body"] == SHIPPING["answer_zh"]


async def test_contact_rates_a_bot_answer(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await bot_world(factory, client)
    visitor, stranger = await factory.visitor(world), await factory.visitor(world)
    reply = await ask(factory, client, visitor, "怎么开发票")
    url = f"/api/v1/widget/messages/{reply['id']}/feedback"
    assert (
        await client.post(url, json={"helpful": False}, headers=stranger.headers)
    ).status_code == 404
    assert (
        await client.post(url, json={"helpful": "maybe"}, headers=visitor.headers)
    ).status_code == 422
    assert (
        await client.post(url, json={"helpful": True}, headers=visitor.headers)
    ).status_code == 204


async def test_bot_settings_are_validated(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await factory.world()
    h = world.admin.headers
    assert (await client.get("/api/v1/bot/config", headers=h)).json()["answer_threshold"] == 0.55
    bad = {"answer_threshold": 0.3, "clarify_threshold": 0.5, "fallback_handoff_after": 2}
    assert (await client.put("/api/v1/bot/config", json=bad, headers=h)).status_code == 422
    good = {"answer_threshold": 0.6, "clarify_threshold": 0.3, "fallback_handoff_after": 3}
    assert (await client.put("/api/v1/bot/config", json=good, headers=h)).json()[
        "fallback_handoff_after"
    ] == 3
    assert (
        await client.put("/api/v1/bot/config", json=good, headers=world.supervisor.headers)
    ).status_code == 403


async def test_an_angry_contact_gets_an_apology_and_a_person(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await bot_world(factory, client)
    visitor = await factory.visitor(world)
    reply = await ask(factory, client, visitor, "你们太垃圾了，气死我了，退款到现在还没到！")
    assert reply["body"].startswith("非常抱歉")
    c = await conversation(client, world, reply["conversation_id"])
    assert c["status"] == "queued" and c["handoff_reason"] == "negative_sentiment"


async def test_small_talk_in_both_languages(factory: Factory, client: httpx.AsyncClient) -> None:
    world = await bot_world(factory, client)
    visitor = await factory.visitor(world)
    assert "您好" in (await ask(factory, client, visitor, "你好"))["body"]
    robot = await ask(factory, client, visitor, "are you a robot?")
    assert "agent" in robot["body"]
    c = await conversation(client, world, robot["conversation_id"])
    assert c["status"] == "bot"
