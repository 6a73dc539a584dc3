"""Inline listeners: in-process reactions to an event, run once, by the process that wrote it.

The durable log and the bus fan events out to every process's sockets; a listener registered
here instead runs exactly once per committed event (in the writer's process, after commit),
which is what the bot trigger needs. Each listener runs in its own task, off the request.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)
Listener = Callable[[uuid.UUID, dict[str, Any]], Awaitable[None]]


class Listeners:
    def __init__(self) -> None:
        self._by_type: dict[str, list[Listener]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def listen(self, event_type: str, listener: Listener) -> None:
        self._by_type.setdefault(event_type, []).append(listener)

    def dispatch(self, event_type: str, tenant_id: uuid.UUID, data: dict[str, Any]) -> None:
        """Start every listener of `event_type` in its own task (called after commit)."""
        for listener in self._by_type.get(event_type, []):
            task = asyncio.create_task(self._run(listener, tenant_id, data))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _run(self, listener: Listener, tenant_id: uuid.UUID, data: dict[str, Any]) -> None:
        try:
            await listener(tenant_id, data)
        except Exception:
            log.exception("listener failed")

    async def drain(self) -> None:
        """Wait until no listener runs (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
