"""Periodic background jobs: in-process in embedded mode, or in `kefu worker`.

Jobs are at-least-once; each effect is a guarded write so running twice changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from kefu.core.context import Runtime

log = logging.getLogger(__name__)
JobFn = Callable[[Runtime], Awaitable[int]]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every_seconds: float
    run: JobFn


class JobRunner:
    def __init__(self, rt: Runtime, jobs: list[PeriodicJob]) -> None:
        self.rt = rt
        self.jobs = jobs
        self._tasks: list[asyncio.Task[None]] = []

    async def _loop(self, job: PeriodicJob) -> None:
        while True:
            try:
                await job.run(self.rt)
            except Exception:
                log.exception("job %s failed", job.name)
            await asyncio.sleep(job.every_seconds)

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._loop(job)) for job in self.jobs]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run_once(self) -> dict[str, int]:
        return {job.name: await job.run(self.rt) for job in self.jobs}
