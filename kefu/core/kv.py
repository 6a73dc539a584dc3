"""Small shared key-value store: in memory (one process) or Redis (scale-out).

Holds the short-lived state every process must agree on: rate-limit windows,
WebSocket tickets and revoked tokens.
"""

from __future__ import annotations

import time
from typing import Protocol

from redis.asyncio import Redis


class KVStore(Protocol):
    async def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count one hit in a fixed window; return (hits so far, seconds left)."""

    async def peek(self, key: str) -> tuple[int, int]:
        """(hits in the current window, seconds left) without counting one."""

    async def put(self, key: str, value: str, ttl: int) -> None: ...

    async def take(self, key: str) -> str | None:
        """Read and delete (single use)."""

    async def get(self, key: str) -> str | None: ...


class MemoryKV:
    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float]] = {}

    def _live(self, key: str) -> tuple[str, float] | None:
        item = self._data.get(key)
        if item and item[1] < time.monotonic():
            self._data.pop(key, None)
            return None
        return item

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        item = self._live(key)
        now = time.monotonic()
        if item is None:
            self._data[key] = ("1", now + window)
            return 1, window
        count = int(item[0]) + 1
        self._data[key] = (str(count), item[1])
        return count, max(1, int(item[1] - now))

    async def peek(self, key: str) -> tuple[int, int]:
        item = self._live(key)
        if item is None:
            return 0, 0
        return int(item[0]), max(1, int(item[1] - time.monotonic()))

    async def put(self, key: str, value: str, ttl: int) -> None:
        self._data[key] = (value, time.monotonic() + ttl)

    async def take(self, key: str) -> str | None:
        item = self._live(key)
        self._data.pop(key, None)
        return item[0] if item else None

    async def get(self, key: str) -> str | None:
        item = self._live(key)
        return item[0] if item else None


class RedisKV:
    def __init__(self, redis: Redis, prefix: str = "kefu:kv:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def hit(self, key: str, window: int) -> tuple[int, int]:
        k = self._prefix + key
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(k)
            pipe.expire(k, window, nx=True)
            pipe.ttl(k)
            count, _, ttl = await pipe.execute()
        return int(count), max(1, int(ttl))

    async def peek(self, key: str) -> tuple[int, int]:
        k = self._prefix + key
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.get(k)
            pipe.ttl(k)
            value, ttl = await pipe.execute()
        return (int(value), max(1, int(ttl))) if value is not None else (0, 0)

    async def put(self, key: str, value: str, ttl: int) -> None:
        await self._redis.set(self._prefix + key, value, ex=ttl)

    async def take(self, key: str) -> str | None:
        value = await self._redis.getdel(self._prefix + key)
        return value.decode() if isinstance(value, bytes) else value

    async def get(self, key: str) -> str | None:
        value = await self._redis.get(self._prefix + key)
        return value.decode() if isinstance(value, bytes) else value
