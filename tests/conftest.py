"""Test harness: a real kefu server (uvicorn) on a real database, driven over HTTP/WebSocket.

SQLite by default; PostgreSQL when KEFU_TEST_DATABASE_URL points at one (CI runs both).
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
import uvicorn
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from kefu.app import create_app
from kefu.core.context import Runtime
from kefu.core.migrate import upgrade
from kefu.core.settings import Settings
from tests.factories import Factory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def reset_postgres(url: str) -> None:
    base, _, name = url.rpartition("/")
    admin = create_async_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        exists = await conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        )
        if not exists:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("var")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def database_url(var_dir: Path) -> str:
    url = os.environ.get("KEFU_TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        await reset_postgres(url)
    else:
        url = f"sqlite+aiosqlite:///{var_dir / 'test.db'}"
    await asyncio.to_thread(upgrade, url)
    return url


@pytest.fixture(scope="session")
def settings(database_url: str, var_dir: Path) -> Settings:
    return Settings(
        database_url=database_url,
        var_dir=var_dir,
        secret_key="test-secret-" + uuid.uuid4().hex,
        redis_url=None,
        login_rate_limit=5,
        max_upload_bytes=64 * 1024,
        argon2_time_cost=1,  # cheap hashes keep the suite fast; production keeps the default
        argon2_memory_kib=8192,
    )


class LiveServer:
    def __init__(self, base_url: str, app_state: object) -> None:
        self.base_url = base_url
        self.ws_url = base_url.replace("http://", "ws://")
        self.state = app_state

    @property
    def runtime(self) -> Runtime:
        rt: Runtime = self.state.runtime  # type: ignore[attr-defined]
        return rt


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def server(settings: Settings) -> AsyncIterator[LiveServer]:
    app = create_app(settings)
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        ws_ping_interval=None,
        timeout_graceful_shutdown=2,  # like `kefu serve`: open event streams end, not hang
    )
    srv = uvicorn.Server(config)
    task = asyncio.create_task(srv.serve())
    while not srv.started:
        await asyncio.sleep(0.02)
    yield LiveServer(f"http://127.0.0.1:{port}", app.state)
    srv.should_exit = True
    await task


@pytest_asyncio.fixture(loop_scope="session")
async def client(server: LiveServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as c:
        yield c


@pytest_asyncio.fixture(loop_scope="session")
async def factory(server: LiveServer, client: httpx.AsyncClient) -> Factory:
    return Factory(server.runtime, client)
