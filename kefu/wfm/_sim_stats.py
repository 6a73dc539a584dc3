"""Per-interval statistics of a simulation run, pooled over replications."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Protocol

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from kefu.wfm.simulate import SimModel

FloatArray = NDArray[np.float64]


class _Config(Protocol):
    @property
    def target_seconds(self) -> float: ...
    @property
    def target_service_level(self) -> float: ...
    @property
    def warmup_intervals(self) -> int: ...


@dataclass(frozen=True, slots=True)
class IntervalStats:
    """Counts for one interval (by arrival time), summed over replications."""

    interval: int
    offered: float
    contained: float
    queued: float
    answered: float
    answered_within: float
    abandoned: float
    wait_answered: float
    busy_seconds: float
    staffed_seconds: float

    @property
    def service_level(self) -> float:
        return self.answered_within / self.queued if self.queued else 1.0

    @property
    def asa_seconds(self) -> float:
        return self.wait_answered / self.answered if self.answered else 0.0

    @property
    def abandon_rate(self) -> float:
        return self.abandoned / self.queued if self.queued else 0.0

    @property
    def occupancy(self) -> float:
        return self.busy_seconds / self.staffed_seconds if self.staffed_seconds else 0.0

    def __add__(self, other: IntervalStats) -> IntervalStats:
        sums = [getattr(self, f.name) + getattr(other, f.name) for f in fields(self)[1:]]
        return IntervalStats(self.interval, *sums)


@dataclass(frozen=True, slots=True)
class SimResult:
    intervals: tuple[IntervalStats, ...]
    total: IntervalStats
    contacts: int
    events: int
    bottlenecks: tuple[int, ...]
    replications: int = 1

    @staticmethod
    def pool(runs: Sequence[SimResult], config: _Config) -> SimResult:
        intervals = list(runs[0].intervals)
        for r in runs[1:]:
            intervals = [a + b for a, b in zip(intervals, r.intervals, strict=True)]
        return SimResult(
            intervals=tuple(intervals),
            total=_total(intervals, config.warmup_intervals),
            contacts=sum(r.contacts for r in runs),
            events=sum(r.events for r in runs),
            bottlenecks=_bottlenecks(intervals, config.target_service_level),
            replications=len(runs),
        )


def _total(intervals: Sequence[IntervalStats], warmup: int) -> IntervalStats:
    out = IntervalStats(-1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    for s in intervals[warmup:]:
        out = out + s
    return out


def _bottlenecks(
    intervals: Sequence[IntervalStats], target: float, top: int = 5
) -> tuple[int, ...]:
    """Intervals below the target service level, worst first (at most ``top``)."""
    short = [s for s in intervals if s.queued and s.service_level < target]
    short.sort(key=lambda s: (s.service_level, -s.abandon_rate))
    return tuple(s.interval for s in short[:top])


def _busy_per_interval(start: FloatArray, end: FloatArray, edges: FloatArray) -> FloatArray:
    """Busy agent-seconds in each [edges[i], edges[i+1]) from service spans [start, end)."""
    s, e = np.sort(start), np.sort(end)
    cs, ce = np.concatenate(([0.0], np.cumsum(s))), np.concatenate(([0.0], np.cumsum(e)))
    ns, ne = np.searchsorted(s, edges), np.searchsorted(e, edges)
    busy_to = (ns * edges - cs[ns]) - (ne * edges - ce[ne])
    return np.diff(busy_to)


def _bincount(idx: NDArray[np.int64], n: int, w: FloatArray | None = None) -> FloatArray:
    return np.bincount(idx, weights=w, minlength=n)[:n].astype(np.float64)


def summarise(
    model: SimModel,
    config: _Config,
    arrival: FloatArray,
    start: FloatArray,
    service: FloatArray,
    contained: NDArray[np.int64],
) -> SimResult:
    n, width = model.n_intervals, model.interval_seconds
    idx = np.minimum((arrival // width).astype(np.int64), n - 1)
    served = ~np.isnan(start)
    wait = np.where(served, start - arrival, 0.0)
    within = served & (wait <= config.target_seconds)
    queued = _bincount(idx, n)
    answered = _bincount(idx[served], n)
    edges = np.arange(n + 1, dtype=np.float64) * width
    busy = _busy_per_interval(start[served], start[served] + service[served], edges)
    staffed = np.zeros(n)
    for g in model.groups:
        staffed[: len(g.staff)] += np.asarray(g.staff, dtype=np.float64) * g.capacity * width
    cols = (
        contained + queued,
        contained.astype(np.float64),
        queued,
        answered,
        _bincount(idx[within], n),
        queued - answered,
        _bincount(idx[served], n, wait[served]),
        busy,
        staffed,
    )
    rows = tuple(IntervalStats(i, *(float(c[i]) for c in cols)) for i in range(n))
    n_served = int(served.sum())
    events = int(contained.sum()) + arrival.size + n_served * 2 + (arrival.size - n_served)
    return SimResult(
        rows,
        _total(rows, config.warmup_intervals),
        contacts=arrival.size + int(contained.sum()),
        events=events,
        bottlenecks=_bottlenecks(rows, config.target_service_level),
    )


def finite(x: float) -> float:
    """Replace inf/NaN by 0.0 for display."""
    return x if math.isfinite(x) else 0.0
