"""The per-process runtime: settings, database, key-value store and bus."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, WebSocket
from redis.asyncio import Redis

from kefu.core.bus import Bus, RedisBus
from kefu.core.db import Database
from kefu.core.kv import KVStore, MemoryKV, RedisKV
from kefu.core.listeners import Listeners
from kefu.core.sealing import configure_sealing
from kefu.core.security import configure_hasher
from kefu.core.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    db: Database
    kv: KVStore
    bus: Bus
    secret: str
    redis: Redis | None = None
    listeners: Listeners = field(default_factory=Listeners)
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings) -> Runtime:
        configure_hasher(settings.argon2_time_cost, settings.argon2_memory_kib)
        db = Database(settings.resolved_database_url())
        secret = settings.resolved_secret_key()
        configure_sealing(secret, settings.secret_key_previous)
        if settings.redis_url:
            redis = Redis.from_url(settings.redis_url)
            return cls(settings, db, RedisKV(redis), RedisBus(redis), secret, redis)
        return cls(settings, db, MemoryKV(), Bus(), secret)

    @property
    def verifying_secrets(self) -> tuple[str, ...]:
        """What a signature is checked against: `secret` (the one that signs), then the keys
        in use before a rotation (`KEFU_SECRET_KEY_PREVIOUS`), in order."""
        return (self.secret, *self.settings.secret_key_previous)

    async def start(self) -> None:
        await self.bus.start()

    async def stop(self) -> None:
        await self.listeners.drain()
        await self.bus.stop()
        if self.redis is not None:
            await self.redis.aclose()
        await self.db.dispose()


def runtime_of(conn: Request | WebSocket) -> Runtime:
    rt: Runtime = conn.app.state.runtime
    return rt
