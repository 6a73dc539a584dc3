"""Transfer with a note, bulk reassignment by supervisors, the bot's handoff context."""

from __future__ import annotations

import httpx

from tests.bot.test_conversation_bot import INVOICE, ask, bot_world
from tests.conftest import LiveServer
from tests.factories import Factory
from tests.routing.helpers import assignee, conversation, queued, set_status, settled


async def test_transfer_to_an_agent_with_a_private_note(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    _, cid = await queued(factory, world)
    h = world.agent.headers
    await client.post(
        f"/api/v1/conversations/{cid}/assign",
        json={"assignee_id": str(world.agent.user_id)},
        headers=h,
    )
    r = await client.post(
        f"/api/v1/conversations/{cid}/transfer",
        json={"agent_id": str(world.agent2.user_id), "note": "VIP, wants a refund <b>now</b>"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert r.json()["assignee_id"] == str(world.agent2.user_id)
    messages = (
        await client.get(f"/api/v1/conversations/{cid}/messages", headers=world.agent2.headers)
    ).json()["items"]
    note = messages[-1]
    assert note["private"] is True and note["body"] == "VIP, wants a refund <b>now</b>"
    assert note["sender_id"] == str(world.agent.user_id)
    # the transferring agent no longer sees it; the contact never sees the note
    assert (await client.get(f"/api/v1/conversations/{cid}", headers=h)).status_code == 404
    bad = await client.post(
        f"/api/v1/conversations/{cid}/transfer",
        json={"note": "nobody"},
        headers=world.agent2.headers,
    )
    assert bad.status_code == 422
    both = {"agent_id": str(world.agent.user_id), "team_id": str(world.inbox_id)}
    bad = await client.post(
        f"/api/v1/conversations/{cid}/transfer", json=both, headers=world.agent2.headers
    )
    assert bad.status_code == 422


async def test_transfer_to_a_team_requeues_without_the_previous_agent(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    h = world.admin.headers
    team = (await client.post("/api/v1/teams", json={"name": "Experts"}, headers=h)).json()
    for login in (world.agent, world.agent2):
        await client.patch(
            f"/api/v1/users/{login.user_id}", json={"team_ids": [team["id"]]}, headers=h
        )
    await set_status(client, world.agent, "online")
    _, cid = await queued(factory, world)
    await settled(server)
    assert await assignee(client, world, cid) == str(world.agent.user_id)
    r = await client.post(
        f"/api/v1/conversations/{cid}/transfer",
        json={"team_id": team["id"], "note": "needs an expert"},
        headers=world.agent.headers,
    )
    assert r.status_code == 200, r.text
    await settled(server)
    c = await conversation(client, world, cid)
    assert c["status"] == "queued" and c["team_id"] == team["id"], "not back to the same agent"
    await set_status(client, world.agent2, "online")
    await settled(server)
    assert await assignee(client, world, cid) == str(world.agent2.user_id)


async def test_supervisor_reassigns_many_at_once_all_or_nothing(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    cids = [(await queued(factory, world))[1] for _ in range(3)]
    body = {"conversation_ids": cids, "agent_id": str(world.agent2.user_id)}
    r = await client.post(
        "/api/v1/conversations/bulk-assign", json=body, headers=world.agent.headers
    )
    assert r.status_code == 403
    other = await factory.world()
    _, foreign = await queued(factory, other)
    r = await client.post(
        "/api/v1/conversations/bulk-assign",
        json={**body, "conversation_ids": [*cids, foreign]},
        headers=world.supervisor.headers,
    )
    assert r.status_code == 404, "another tenant's conversation: nothing is written"
    for cid in cids:
        assert await assignee(client, world, cid) is None
    r = await client.post(
        "/api/v1/conversations/bulk-assign", json=body, headers=world.supervisor.headers
    )
    assert r.status_code == 200, r.text
    assert {c["assignee_id"] for c in r.json()} == {str(world.agent2.user_id)}


async def test_handoff_context_carries_the_bots_intents_and_transcript(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await bot_world(factory, client)
    visitor = await factory.visitor(world)
    answer = await ask(factory, client, visitor, "我要发票")
    assert answer["body"] == INVOICE["answer_zh"]
    await ask(factory, client, visitor, "转人工")
    cid = answer["conversation_id"]
    r = await client.get(
        f"/api/v1/conversations/{cid}/handoff-context", headers=world.agent.headers
    )
    assert r.status_code == 200, r.text
    context = r.json()
    assert context["handoff_reason"] == "explicit_request" and context["language"] == "zh-CN"
    assert len(context["intents"]) == 1
    answered = next(t for t in context["turns"] if t["outcome"] == "answer")
    assert answered["question"] == INVOICE["question_zh"]
    assert [line["sender_type"] for line in context["transcript"]][:2] == ["contact", "bot"]


async def test_a_rule_on_the_bots_intent_and_language_picks_team_and_agent(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await bot_world(factory, client)
    h = world.admin.headers
    faqs = (await client.get("/api/v1/kb/faqs", headers=h)).json()["items"]
    invoice = next(f for f in faqs if f["question_zh"] == INVOICE["question_zh"])
    team = (await client.post("/api/v1/teams", json={"name": "Invoices"}, headers=h)).json()
    languages = ((world.agent, ["en"]), (world.agent2, ["zh-CN"]), (world.supervisor, ["zh-CN"]))
    for login, langs in languages:
        body = {"languages": langs, "team_ids": [team["id"]] if login != world.supervisor else []}
        assert (
            await client.patch(f"/api/v1/users/{login.user_id}", json=body, headers=h)
        ).status_code == 200
    rule = {"name": "invoices", "intents": [str(invoice["id"])], "team_id": team["id"]}
    assert (await client.post("/api/v1/routing/rules", json=rule, headers=h)).status_code == 201
    for login in (world.agent, world.agent2, world.supervisor):
        await set_status(client, login, "online")
    visitor = await factory.visitor(world)
    answer = await ask(factory, client, visitor, "我要发票")
    await ask(factory, client, visitor, "转人工")
    await settled(server)
    c = await conversation(client, world, answer["conversation_id"])
    assert c["team_id"] == team["id"], "the invoice intent chose the team"
    assert c["assignee_id"] == str(world.agent2.user_id), "the Chinese speaker of that team"
