"""Heartbeat: the server pings idle sockets and drops clients that stopped answering."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
import uvicorn
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from kefu.app import create_app
from kefu.core.settings import Settings
from tests.conftest import free_port
from tests.factories import Factory

# short enough for a quick test, long enough that a loaded CI machine does not miss a pong
# (a socket is dropped after 2.5 heartbeats without one)
HEARTBEAT = 0.5
BUSY_MESSAGES = 30  # 3 s of messages: 6 heartbeats


@pytest_asyncio.fixture(loop_scope="session")
async def fast_heartbeat_server(settings: Settings) -> AsyncIterator[str]:
    app = create_app(settings.model_copy(update={"ws_heartbeat_seconds": HEARTBEAT}))
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", ws_ping_interval=None))
    task = asyncio.create_task(srv.serve())
    while not srv.started:
        await asyncio.sleep(0.02)
    yield f"127.0.0.1:{port}"
    srv.should_exit = True
    await task


async def test_pings_and_drops_silent_clients(factory: Factory, fast_heartbeat_server: str) -> None:
    world = await factory.world()
    async with httpx.AsyncClient(base_url=f"http://{fast_heartbeat_server}") as c:
        session = await c.post("/api/v1/widget/sessions", json={"widget_key": world.widget_key})
    token = session.json()["contact_token"]
    url = f"ws://{fast_heartbeat_server}/api/v1/widget/ws?token={token}"

    async with connect(url) as answering:
        for _ in range(6):  # well past 2.5 heartbeats: answering pongs keeps it open
            frame = json.loads(await asyncio.wait_for(answering.recv(), 2))
            assert frame == {"id": None, "type": "ping", "data": {}}
            await answering.send(json.dumps({"type": "pong"}))

    async with connect(url) as silent:
        with pytest.raises(ConnectionClosed):
            for _ in range(20):
                await asyncio.wait_for(silent.recv(), 2)


async def test_busy_sockets_are_pinged_too(factory: Factory, fast_heartbeat_server: str) -> None:
    """A socket that always has frames to receive still gets pings (and so can answer them)."""
    world = await factory.world()
    base = f"http://{fast_heartbeat_server}"
    async with httpx.AsyncClient(base_url=base) as c:
        token = (
            await c.post("/api/v1/widget/sessions", json={"widget_key": world.widget_key})
        ).json()["contact_token"]
        url = f"ws://{fast_heartbeat_server}/api/v1/widget/ws?token={token}"
        async with connect(url) as sock:
            pings = 0

            async def answer() -> None:  # like a client: pongs while the page is busy
                nonlocal pings
                async for raw in sock:
                    if json.loads(raw)["type"] == "ping":
                        pings += 1
                        await sock.send(json.dumps({"type": "pong"}))

            reader = asyncio.create_task(answer())
            for i in range(BUSY_MESSAGES):  # one every 0.1 s: busy for > 5 heartbeats
                await c.post(
                    "/api/v1/widget/messages",
                    json={"client_msg_id": f"b{i}", "body": "busy"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                await asyncio.sleep(0.1)
            assert not reader.done()  # the reader ends only if the server closed the socket
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            assert pings >= 3
