"""Task flows end to end: slots asked and validated, the business system called through the
SSRF-guarded client, its answers, absences and time-outs turned into clear replies."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
import uvicorn
from fastapi import FastAPI

from kefu.bot.flows.demo import ORDER_STATUS
from kefu.core.http import OutboundBlocked, check_target
from tests.bot.test_conversation_bot import ask, bot_world, conversation
from tests.conftest import LiveServer, free_port
from tests.factories import Factory, World


def order_flow(base: str, **action: Any) -> dict[str, Any]:
    flow = ORDER_STATUS.model_dump(mode="json")
    flow["action"] = {**flow["action"], "url": f"{base}/demo-api/orders/{{order_no}}", **action}
    return flow


async def flow_world(factory: Factory, client: httpx.AsyncClient, flow: dict[str, Any]) -> World:
    world = await bot_world(factory, client)
    r = await client.post("/api/v1/bot/flows", json=flow, headers=world.admin.headers)
    assert r.status_code == 201, r.text
    return world


@pytest_asyncio.fixture(loop_scope="session")
async def slow_business_system() -> AsyncIterator[str]:
    """A third party's order API that never answers in time."""
    app = FastAPI()

    @app.get("/demo-api/orders/{order_no}")
    async def slow(order_no: str) -> dict[str, str]:
        await asyncio.sleep(5)
        return {"status": "late"}

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    task = asyncio.create_task(srv.serve())
    while not srv.started:
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    await task


async def test_order_status_asks_validates_and_answers(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await flow_world(factory, client, order_flow(server.base_url))
    visitor = await factory.visitor(world)
    assert (await ask(factory, client, visitor, "帮我查一下订单"))[
        "body"
    ] == "请提供您的订单号（10–20 位数字）。"
    invalid = await ask(factory, client, visitor, "12345")
    assert invalid["body"].startswith("这个订单号好像不对")
    answer = await ask(factory, client, visitor, "是 2026112612345671")
    assert answer["body"].startswith("订单 2026112612345671 当前状态：")
    assert "快递单号 SF" in answer["body"]
    after = await ask(factory, client, visitor, "多久发货？")
    assert after["body"] == "付款后 48 小时内发货。", "the flow is over; the FAQ answers again"


async def test_one_message_fills_the_slot_and_missing_orders_are_said_plainly(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await flow_world(factory, client, order_flow(server.base_url))
    visitor = await factory.visitor(world)
    english = await ask(factory, client, visitor, "order status for 2026112612345671 please")
    assert english["body"].startswith("Order 2026112612345671 is ")
    missing = await ask(factory, client, visitor, "查订单 2026112612345670")
    assert missing["body"] == "没有找到订单 2026112612345670，请核对后再试。"
    c = await conversation(client, world, missing["conversation_id"])
    assert c["status"] == "bot"


async def test_a_business_system_time_out_hands_off_and_loses_nothing(
    factory: Factory, client: httpx.AsyncClient, slow_business_system: str
) -> None:
    world = await flow_world(factory, client, order_flow(slow_business_system, timeout_seconds=0.5))
    visitor = await factory.visitor(world)
    reply = await ask(factory, client, visitor, "查订单 2026112612345671")
    assert reply["body"] == "抱歉，查询系统暂时无法访问，已为您转接人工客服。"
    c = await conversation(client, world, reply["conversation_id"])
    assert c["status"] == "queued" and c["handoff_reason"] == "business_system_error"
    history = await client.get(
        f"/api/v1/conversations/{c['id']}/messages", headers=world.admin.headers
    )
    assert history.json()["items"][0]["body"] == "查订单 2026112612345671"


async def test_private_addresses_need_explicit_permission(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await flow_world(factory, client, order_flow(server.base_url, allow_private=False))
    visitor = await factory.visitor(world)
    reply = await ask(factory, client, visitor, "查订单 2026112612345671")
    c = await conversation(client, world, reply["conversation_id"])
    assert c["handoff_reason"] == "business_system_error", "loopback refused without allow_private"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://[::1]/",
        "http://169.254.169.254/latest",
        "ftp://93.184.216.34/",
        "file:///etc/passwd",
        "http://localhost:8000/",
    ],
)
async def test_guard_refuses_private_and_odd_targets(url: str) -> None:
    with pytest.raises(OutboundBlocked):
        await check_target(url, allow_private=False)


async def test_guard_lets_public_addresses_through() -> None:
    await check_target("https://93.184.216.34/orders/1", allow_private=False)
    await check_target("http://127.0.0.1:9/x", allow_private=True)


async def test_flows_are_validated_on_save(
    factory: Factory, client: httpx.AsyncClient, server: LiveServer
) -> None:
    world = await factory.world()
    good = order_flow(server.base_url)
    bad_regex = {**good, "slots": [{**good["slots"][0], "pattern": "(["}]}
    bad_placeholder = {**good, "response": {"zh": "{secret}", "en": "{order_no}"}}
    bad_url = {**good, "action": {**good["action"], "url": "gopher://x"}}
    for body in (bad_regex, bad_placeholder, bad_url):
        r = await client.post("/api/v1/bot/flows", json=body, headers=world.admin.headers)
        assert r.status_code == 422, body
    assert (
        await client.post("/api/v1/bot/flows", json=good, headers=world.agent.headers)
    ).status_code == 403
    created = await client.post("/api/v1/bot/flows", json=good, headers=world.admin.headers)
    assert created.status_code == 201
    dup = await client.post("/api/v1/bot/flows", json=good, headers=world.admin.headers)
    assert dup.status_code == 409
    assert (await client.get("/api/v1/bot/flows", headers=world.agent.headers)).json()[0][
        "name"
    ] == "order_status"
    assert (
        await client.delete(
            f"/api/v1/bot/flows/{created.json()['id']}", headers=world.admin.headers
        )
    ).status_code == 204
    assert (await client.get("/api/v1/bot/flows", headers=world.agent.headers)).json() == []
