"""Event bus between processes: only wakes listeners; the durable log carries the data.

In-process by default; with Redis, messages go through pub/sub (at-most-once), which is
why subscribers re-read the durable event log instead of trusting the message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], Awaitable[None]]
CHANNEL = "kefu:bus"


class Bus:
    """In-process bus: handlers run in this process only."""

    def __init__(self) -> None:
        self._handlers: list[Handler] = []
        self.process_id = uuid.uuid4().hex

    def subscribe(self, handler: Handler) -> None:
        self._handlers.append(handler)

    async def publish(self, message: dict[str, Any]) -> None:
        await self._deliver(message)

    async def _deliver(self, message: dict[str, Any]) -> None:
        for handler in list(self._handlers):
            try:
                await handler(message)
            except Exception:
                log.exception("bus handler failed")

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


class RedisBus(Bus):
    """Delivers locally at once and to other processes through Redis pub/sub."""

    def __init__(self, redis: Redis) -> None:
        super().__init__()
        self._redis = redis
        self._task: asyncio.Task[None] | None = None

    async def publish(self, message: dict[str, Any]) -> None:
        await self._deliver(message)
        data = json.dumps({"origin": self.process_id, "message": message})
        try:
            await self._redis.publish(CHANNEL, data)
        except Exception:
            log.exception("redis publish failed; other processes catch up by polling")

    async def start(self) -> None:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(CHANNEL)
        self._task = asyncio.create_task(self._listen(pubsub))

    async def _listen(self, pubsub: Any) -> None:
        try:
            async for raw in pubsub.listen():
                data = json.loads(raw["data"])
                if data.get("origin") != self.process_id:
                    await self._deliver(data["message"])
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
