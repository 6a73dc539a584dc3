"""Scale-out: two `kefu serve` processes share tickets and events through Redis."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import httpx
import pytest
import pytest_asyncio
from websockets.asyncio.client import connect

from kefu.core.settings import Settings
from tests.conftest import free_port
from tests.factories import Factory
from tests.realtime.wsclient import Socket

REDIS_URL = os.environ.get("KEFU_TEST_REDIS_URL")
pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="KEFU_TEST_REDIS_URL not set"),
]


@contextmanager
def kefu_process(settings: Settings, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "KEFU_DATABASE_URL": settings.database_url,
        "KEFU_REDIS_URL": REDIS_URL or "",
        "KEFU_SECRET_KEY": settings.secret_key or "",
        "KEFU_VAR_DIR": str(settings.var_dir),
        "KEFU_LOG_LEVEL": "warning",
    }
    cmd = [sys.executable, "-m", "kefu.cli", "serve", "--port", str(port)]
    with open(settings.var_dir / f"serve-{port}.log", "wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            proc.terminate()
            proc.wait(timeout=20)


async def wait_healthy(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as c:
        for _ in range(200):
            try:
                if (await c.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{base} did not start")


@pytest_asyncio.fixture(loop_scope="session")
async def two_servers(settings: Settings) -> AsyncIterator[tuple[str, str]]:
    pa, pb = free_port(), free_port()
    with kefu_process(settings, pa), kefu_process(settings, pb):
        a, b = f"http://127.0.0.1:{pa}", f"http://127.0.0.1:{pb}"
        await asyncio.gather(wait_healthy(a), wait_healthy(b))
        yield a, b


async def test_message_posted_on_one_process_reaches_socket_on_the_other(
    factory: Factory, two_servers: tuple[str, str]
) -> None:
    a, b = two_servers
    world = await factory.world()
    async with httpx.AsyncClient(base_url=a) as on_a:
        ticket = (await on_a.post("/api/v1/ws/ticket", headers=world.agent.headers)).json()[
            "ticket"
        ]
        # the ticket was stored by process A; process B can only redeem it through Redis
        sock = Socket(await connect(f"{b.replace('http', 'ws')}/api/v1/ws?ticket={ticket}"))
        session = await on_a.post("/api/v1/widget/sessions", json={"widget_key": world.widget_key})
        token = session.json()["contact_token"]
        sent = await on_a.post(
            "/api/v1/widget/messages",
            json={"client_msg_id": "scale-1", "body": "跨进程消息"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert sent.status_code == 201
        frame = await sock.until("message.created")
        assert frame["data"]["message"]["body"] == "跨进程消息"
        await sock.close()
