"""A stopwatch that records how long each pipeline stage took."""

from __future__ import annotations

import time

from kefu.bot.types import StageTiming


class Stopwatch:
    """Call `lap(stage)` after each stage; `timings()` returns them in order."""

    def __init__(self) -> None:
        self._last = time.perf_counter()
        self._laps: list[StageTiming] = []

    def lap(self, stage: str) -> None:
        """Close the current stage under the name `stage`."""
        now = time.perf_counter()
        self._laps.append(StageTiming(stage, (now - self._last) * 1000.0))
        self._last = now

    def timings(self) -> tuple[StageTiming, ...]:
        """Every stage recorded so far."""
        return tuple(self._laps)
