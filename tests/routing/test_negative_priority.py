"""Angry contacts first: with `prioritise_negative` a strongly negative contact message (Chinese
or English) raises the conversation's queue priority by `negative_priority`, once per stay."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from kefu.routing import sentiment
from tests.conftest import LiveServer
from tests.factories import Factory
from tests.routing.helpers import (
    assignee,
    capacity,
    conversation,
    queued,
    routing,
    set_status,
    settled,
)

ANGRY_ZH = "你们的服务太差了，垃圾，气死我了，我要投诉！"
ANGRY_EN = "This is the worst service ever. I am furious and disgusted, terrible!"


async def test_an_angry_contact_jumps_the_queue(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    settings = await routing(
        client, world, vip_tags=["vip"], prioritise_negative=True, negative_priority=30
    )
    assert settings["prioritise_negative"] is True and settings["negative_priority"] == 30
    await capacity(client, world, world.agent, 1)
    _, calm = await queued(factory, world, "请问怎么退货")
    _, angry = await queued(factory, world, ANGRY_ZH)
    await settled(server)
    assert (await conversation(client, world, calm))["priority"] == 0
    assert (await conversation(client, world, angry))["priority"] == 30
    await set_status(client, world.agent, "online")
    await settled(server)
    assert await assignee(client, world, angry) == str(world.agent.user_id)
    assert await assignee(client, world, calm) is None


async def test_waiting_contact_who_turns_angry_is_raised_once(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    await routing(client, world, prioritise_negative=True, negative_priority=25)
    visitor, cid = await queued(factory, world, "hello, where is my parcel?")
    await settled(server)
    assert (await conversation(client, world, cid))["priority"] == 0
    await factory.contact_says(visitor, ANGRY_EN)
    await settled(server)
    assert (await conversation(client, world, cid))["priority"] == 25
    await factory.contact_says(visitor, ANGRY_ZH)
    await settled(server)
    assert (await conversation(client, world, cid))["priority"] == 25, "once per stay"
    updates = [e for e in await factory.events(world.tenant_id) if e.type == "conversation.updated"]
    assert updates, "consoles hear of the new priority"


async def test_off_by_default(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    assert (await routing(client, world))["prioritise_negative"] is False
    _, cid = await queued(factory, world, ANGRY_ZH)
    await settled(server)
    assert (await conversation(client, world, cid))["priority"] == 0


def test_strongly_negative_in_both_languages() -> None:
    from kefu.bot.sentiment import strongly_negative

    assert strongly_negative(ANGRY_ZH) and strongly_negative(ANGRY_EN)
    assert not strongly_negative("请问怎么退货？") and not strongly_negative("Thanks, great help!")


async def test_the_setting_is_read_once_when_many_messages_ask_at_once(
    factory: Factory,
    client: httpx.AsyncClient,
    server: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the remembered setting expires under load, one reader asks the database and the
    other messages wait for its answer (each asking at once used up the reader pool)."""
    world = await factory.world()
    await routing(client, world, prioritise_negative=True)
    rt = server.runtime
    sentiment.forget(rt, world.tenant_id)
    reads: list[uuid.UUID] = []
    real = sentiment.settings_for

    async def counted(session: AsyncSession, tenant_id: uuid.UUID) -> Any:
        reads.append(tenant_id)
        await asyncio.sleep(0.05)  # a slow read: the others arrive while it runs
        return await real(session, tenant_id)

    monkeypatch.setattr(sentiment, "settings_for", counted)
    answers = await asyncio.gather(*(sentiment._enabled(rt, world.tenant_id) for _ in range(50)))
    assert answers == [True] * 50
    assert reads == [world.tenant_id]
