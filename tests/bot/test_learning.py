"""The knowledge base learns from what the bot could not answer: unanswered questions are grouped
by meaning, a group taken into an FAQ is answered after the next publish, a dismissed group
leaves the list until the question is asked again; managers only, one tenant's turns only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from kefu.bot.learning import Turn, cluster
from tests.bot.test_conversation_bot import ask, bot_world
from tests.factories import Factory, World

URL = "/api/v1/bot/learning"
# messages the three-FAQ shop of `bot_world` cannot answer (it falls back or offers "did you
# mean"); the contact also rates the reply to `RATED_DOWN` not helpful
STORE_ZH = ("你们门店几点关门", "门店几点关门啊", "你们的门店几点关门")
STORE_EN = ("what time does your store close", "what time do you close the store")
RATED_DOWN = "when does the shop close"


async def ask_each(factory: Factory, client: httpx.AsyncClient, world: World, *texts: str) -> None:
    """Each text from a new visitor (repeated fallbacks would hand a conversation off)."""
    for text in texts:
        await ask(factory, client, await factory.visitor(world), text)


async def clusters(client: httpx.AsyncClient, world: World) -> list[dict[str, Any]]:
    r = await client.get(URL, headers=world.supervisor.headers)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def holding(items: list[dict[str, Any]], text: str) -> dict[str, Any] | None:
    """The cluster with `text` among its examples."""
    return next((c for c in items if text in {e["text"] for e in c["examples"]}), None)


async def test_unanswered_questions_are_grouped_by_meaning(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await bot_world(factory, client)
    await ask_each(factory, client, world, *STORE_ZH, *STORE_EN, "什么时候发货")
    visitor = await factory.visitor(world)
    reply = await ask(factory, client, visitor, RATED_DOWN)
    rated = {"helpful": False}
    url = f"/api/v1/widget/messages/{reply['id']}/feedback"
    assert (await client.post(url, json=rated, headers=visitor.headers)).status_code == 204
    items = await clusters(client, world)
    chinese, english = holding(items, STORE_ZH[0]), holding(items, STORE_EN[0])
    assert chinese is not None and english is not None
    assert {e["text"] for e in chinese["examples"]} == set(STORE_ZH)
    assert chinese["count"] == 3 and len(chinese["turn_ids"]) == 3
    assert {e["text"] for e in english["examples"]} == {*STORE_EN, RATED_DOWN}
    assert holding(items, "什么时候发货") is None, "answered (and not rated down): not listed"
    r = await client.get("/api/v1/kb/faqs", headers=world.admin.headers)
    faqs = {f["id"] for f in r.json()["items"]}
    for group in (chinese, english):
        assert group["suggested_faq_id"] is None or group["suggested_faq_id"] in faqs


async def test_a_group_taken_into_an_faq_is_answered_after_publishing(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await bot_world(factory, client)
    h = world.admin.headers
    await ask_each(factory, client, world, *STORE_ZH, STORE_EN[0])
    store = holding(await clusters(client, world), STORE_ZH[0])
    assert store is not None
    faq = {"question_zh": "门店营业时间？", "answer_zh": "门店每天 10:00–22:00 营业。"}
    created = (await client.post("/api/v1/kb/faqs", json=faq, headers=h)).json()
    body = {"turn_ids": store["turn_ids"], "faq_id": created["id"]}
    r = await client.post(f"{URL}/take", json=body, headers=world.supervisor.headers)
    assert r.status_code == 200, r.text
    assert r.json() == {"faq_id": created["id"], "added": 3, "reviewed": 3}
    saved = (await client.get(f"/api/v1/kb/faqs/{created['id']}", headers=h)).json()
    assert set(saved["similar_zh"]) == set(STORE_ZH)
    left = await clusters(client, world)
    assert holding(left, STORE_ZH[0]) is None and holding(left, STORE_EN[0]) is not None
    assert (await client.post("/api/v1/kb/publish", json={}, headers=h)).status_code == 201
    reply = await ask(factory, client, await factory.visitor(world), "门店几点关门呢")
    assert reply["body"] == faq["answer_zh"]


async def test_a_dismissed_group_comes_back_when_asked_again(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world = await bot_world(factory, client)
    await ask_each(factory, client, world, *STORE_ZH)
    store = holding(await clusters(client, world), STORE_ZH[0])
    assert store is not None
    body = {"turn_ids": store["turn_ids"]}
    r = await client.post(f"{URL}/dismiss", json=body, headers=world.supervisor.headers)
    assert r.status_code == 200 and r.json() == {"reviewed": 3}
    assert holding(await clusters(client, world), STORE_ZH[0]) is None
    await ask_each(factory, client, world, STORE_ZH[0])
    again = holding(await clusters(client, world), STORE_ZH[0])
    assert again is not None and again["count"] == 1


async def test_learning_refuses_bad_input_and_other_tenants(
    factory: Factory, client: httpx.AsyncClient
) -> None:
    world, other = await bot_world(factory, client), await bot_world(factory, client)
    await ask_each(factory, client, world, STORE_ZH[0])
    await ask_each(factory, client, other, STORE_ZH[0])
    (mine,) = [c for c in await clusters(client, world) if c["question"] == STORE_ZH[0]]
    (theirs,) = [c for c in await clusters(client, other) if c["question"] == STORE_ZH[0]]
    assert mine["count"] == theirs["count"] == 1, "each tenant lists its own turns only"
    h = world.supervisor.headers
    faqs = (await client.get("/api/v1/kb/faqs", headers=world.admin.headers)).json()["items"]
    other_faqs = (await client.get("/api/v1/kb/faqs", headers=other.admin.headers)).json()
    cases = [
        ("take", {"turn_ids": theirs["turn_ids"], "faq_id": faqs[0]["id"]}, 404),
        ("take", {"turn_ids": mine["turn_ids"], "faq_id": other_faqs["items"][0]["id"]}, 404),
        ("take", {"turn_ids": [], "faq_id": faqs[0]["id"]}, 422),
        ("dismiss", {"turn_ids": [*mine["turn_ids"], *theirs["turn_ids"]]}, 404),
        ("dismiss", {"turn_ids": ["not-a-uuid"]}, 422),
    ]
    for action, body, status in cases:
        r = await client.post(f"{URL}/{action}", json=body, headers=h)
        assert r.status_code == status, (action, body, r.text)
        assert r.json()["code"] in {"not_found", "validation_error"}
    agent = await client.get(URL, headers=world.agent.headers)
    assert agent.status_code == 403
    assert holding(await clusters(client, world), STORE_ZH[0]) is not None, "nothing changed"
    assert holding(await clusters(client, other), STORE_ZH[0]) is not None
    unchanged = await client.get(f"/api/v1/kb/faqs/{faqs[0]['id']}", headers=world.admin.headers)
    assert STORE_ZH[0] not in unchanged.json()["similar_zh"]


def test_a_group_suggests_the_faq_the_bot_offered_most_often() -> None:
    now = datetime.now(UTC)

    def turn(text: str, faq: str | None, score: float = 0.0) -> Turn:
        return Turn(uuid.uuid4(), text, faq, score, now)

    offered = [turn("怎么退货", "refund", 0.5), turn("退货怎么弄", "refund", 0.4)]
    offered.append(turn("我要退货", "shipping", 0.3))
    fallbacks = [turn("what's the weather", None), turn("what is the weather", None)]
    groups = cluster([*offered, *fallbacks])
    assert len(groups) == 2, "one group per question"
    returns, weather = sorted(groups, key=lambda c: -c.count)
    assert (returns.count, returns.suggested_faq, returns.suggested_score) == (3, "refund", 0.45)
    assert weather.count == 2 and weather.suggested_faq is None and weather.suggested_score is None
