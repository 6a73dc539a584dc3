"""Presence storage: in memory, and in Redis shared by processes (when KEFU_TEST_REDIS_URL is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from redis.asyncio import Redis

from kefu.routing.presence import Hashes, MemoryHashes, PresenceStore, RedisHashes

REDIS_URL = os.environ.get("KEFU_TEST_REDIS_URL")


@pytest_asyncio.fixture(params=["memory", "redis"])
async def hashes(request: pytest.FixtureRequest) -> AsyncIterator[Hashes]:
    if request.param == "memory":
        yield MemoryHashes()
        return
    if not REDIS_URL:
        pytest.skip("KEFU_TEST_REDIS_URL not set")
    redis = Redis.from_url(REDIS_URL)
    prefix = f"kefu:test:{uuid.uuid4().hex}:"
    yield RedisHashes(redis, prefix)
    keys = [k async for k in redis.scan_iter(match=prefix + "*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


async def test_status_and_sockets_are_shared_and_crashed_sockets_go_stale(hashes: Hashes) -> None:
    tenant, user = uuid.uuid4(), uuid.uuid4()
    writer = PresenceStore(hashes, stale_after=75.0)  # e.g. the process holding the socket
    reader = PresenceStore(hashes, stale_after=75.0)  # e.g. the worker running the jobs
    who = f"agent:{user}"
    assert await reader.gone_since(tenant, who) is None, "never connected: unknown, not gone"
    await writer.put(tenant, user, "online", auto=False)
    await writer.socket_touch(tenant, who, "s1")
    await writer.socket_touch(tenant, who, "s2")
    assert (await reader.get(tenant, user)).status == "online"  # type: ignore[union-attr]
    assert tenant in await reader.tenants()
    await writer.socket_close(tenant, who, "s1")
    assert await reader.gone_since(tenant, who) is None, "one socket is still there"
    # the process holding s2 died without closing it: once stale, the agent counts as gone
    crashed_view = PresenceStore(hashes, stale_after=-1.0)
    assert await crashed_view.gone_since(tenant, who) is not None
    await writer.socket_close(tenant, who, "s2")
    assert await reader.gone_since(tenant, who) is not None
    assert user in await reader.watched(tenant, "agent")
    await writer.socket_touch(tenant, who, "s3")
    assert await reader.gone_since(tenant, who) is None, "back again"
