"""Agent presence and socket liveness: in memory (one process) or Redis (scale-out).

Per decision "scale-out state", presence never enters the database or the durable event log.
Status is what the agent set (or what the absence job set: `auto`); socket liveness is kept
per socket with a last-seen time refreshed every heartbeat, so a crashed process's sockets go
stale instead of living forever. Contacts' widget sockets are tracked the same way (abandonment).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from redis.asyncio import Redis

from kefu.core.context import Runtime

PresenceStatus = Literal["online", "busy", "away", "offline"]
STATUSES: tuple[PresenceStatus, ...] = ("online", "busy", "away", "offline")
ABSENT = frozenset({"away", "offline"})


@dataclass(frozen=True)
class Presence:
    user_id: uuid.UUID
    status: PresenceStatus
    since: float
    auto: bool = False
    previous: PresenceStatus | None = None  # what an automatic change replaced


class Hashes(Protocol):
    async def hgetall(self, key: str) -> dict[str, str]: ...
    async def hset(self, key: str, field: str, value: str) -> None: ...
    async def hdel(self, key: str, field: str) -> None: ...
    async def sadd(self, key: str, member: str) -> None: ...
    async def smembers(self, key: str) -> set[str]: ...


class MemoryHashes:
    def __init__(self) -> None:
        self._h: dict[str, dict[str, str]] = {}
        self._s: dict[str, set[str]] = {}

    async def hgetall(self, key: str) -> dict[str, str]:
        return dict(self._h.get(key, {}))

    async def hset(self, key: str, field: str, value: str) -> None:
        self._h.setdefault(key, {})[field] = value

    async def hdel(self, key: str, field: str) -> None:
        self._h.get(key, {}).pop(field, None)

    async def sadd(self, key: str, member: str) -> None:
        self._s.setdefault(key, set()).add(member)

    async def smembers(self, key: str) -> set[str]:
        return set(self._s.get(key, set()))


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisHashes:
    def __init__(self, redis: Redis, prefix: str = "kefu:presence:") -> None:
        self._r = redis
        self._p = prefix

    async def hgetall(self, key: str) -> dict[str, str]:
        raw = await self._r.hgetall(self._p + key)
        return {_text(k): _text(v) for k, v in raw.items()}

    async def hset(self, key: str, field: str, value: str) -> None:
        await self._r.hset(self._p + key, field, value)

    async def hdel(self, key: str, field: str) -> None:
        await self._r.hdel(self._p + key, field)

    async def sadd(self, key: str, member: str) -> None:
        await self._r.sadd(self._p + key, member)

    async def smembers(self, key: str) -> set[str]:
        return {_text(m) for m in await self._r.smembers(self._p + key)}


class PresenceStore:
    def __init__(self, hashes: Hashes, stale_after: float) -> None:
        self.h = hashes
        self.stale_after = stale_after

    @classmethod
    def of(cls, rt: Runtime) -> PresenceStore:
        store = rt.extras.get("presence")
        if store is None:
            hashes: Hashes = RedisHashes(rt.redis) if rt.redis is not None else MemoryHashes()
            store = rt.extras["presence"] = cls(hashes, 3 * rt.settings.ws_heartbeat_seconds)
        assert isinstance(store, PresenceStore)
        return store

    async def all(self, tenant_id: uuid.UUID) -> dict[uuid.UUID, Presence]:
        out = {}
        for user, raw in (await self.h.hgetall(f"status:{tenant_id}")).items():
            data = json.loads(raw)
            out[uuid.UUID(user)] = Presence(
                uuid.UUID(user), data["status"], data["since"], data["auto"], data.get("previous")
            )
        return out

    async def get(self, tenant_id: uuid.UUID, user_id: uuid.UUID) -> Presence | None:
        return (await self.all(tenant_id)).get(user_id)

    async def put(
        self,
        tenant_id: uuid.UUID,
        user_id: uuid.UUID,
        status: PresenceStatus,
        *,
        auto: bool,
        previous: PresenceStatus | None = None,
    ) -> Presence:
        p = Presence(user_id, status, time.time(), auto, previous)
        data = json.dumps({"status": status, "since": p.since, "auto": auto, "previous": previous})
        await self.h.hset(f"status:{tenant_id}", str(user_id), data)
        await self.h.sadd("tenants", str(tenant_id))
        return p

    async def tenants(self) -> frozenset[uuid.UUID]:
        return frozenset(uuid.UUID(t) for t in await self.h.smembers("tenants"))

    # --- sockets (who: "agent:<id>" or "contact:<id>") ---
    async def socket_touch(self, tenant_id: uuid.UUID, who: str, socket_id: str) -> None:
        await self.h.hset(f"sockets:{tenant_id}:{who}", socket_id, str(time.time()))
        await self.h.hset(f"seen:{tenant_id}", who, "0")
        await self.h.sadd("tenants", str(tenant_id))

    async def socket_close(self, tenant_id: uuid.UUID, who: str, socket_id: str) -> None:
        await self.h.hdel(f"sockets:{tenant_id}:{who}", socket_id)
        if await self.gone_since(tenant_id, who) is not None:
            await self.h.hset(f"seen:{tenant_id}", who, str(time.time()))

    async def gone_since(self, tenant_id: uuid.UUID, who: str) -> float | None:
        """None while a live socket exists (or none was ever seen); else since when all are gone."""
        now = time.time()
        sockets = await self.h.hgetall(f"sockets:{tenant_id}:{who}")
        seen = [float(v) for v in sockets.values()]
        if any(now - s <= self.stale_after for s in seen):
            return None
        closed = (await self.h.hgetall(f"seen:{tenant_id}")).get(who)
        stamps = [*seen, *([float(closed)] if closed and closed != "0" else [])]
        if not stamps and closed is None:
            return None
        return max(stamps) if stamps else now

    async def watched(self, tenant_id: uuid.UUID, kind: str) -> list[uuid.UUID]:
        """Ids of `kind` ("agent" / "contact") that have ever had a socket here."""
        who = await self.h.hgetall(f"seen:{tenant_id}")
        return [uuid.UUID(k.split(":", 1)[1]) for k in who if k.startswith(kind + ":")]

    async def forget(self, tenant_id: uuid.UUID, who: str) -> None:
        await self.h.hdel(f"seen:{tenant_id}", who)


@contextlib.asynccontextmanager
async def connected(rt: Runtime, tenant_id: uuid.UUID, who: str) -> AsyncIterator[None]:
    """Track one socket of `who` while the block runs (refreshed every heartbeat)."""
    store = PresenceStore.of(rt)
    socket_id = uuid.uuid4().hex

    async def refresh() -> None:
        while True:
            await asyncio.sleep(rt.settings.ws_heartbeat_seconds)
            await store.socket_touch(tenant_id, who, socket_id)

    await store.socket_touch(tenant_id, who, socket_id)
    task = asyncio.create_task(refresh())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        with contextlib.suppress(Exception):
            await store.socket_close(tenant_id, who, socket_id)
