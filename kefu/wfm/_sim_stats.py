"""Per-interval statistics of a simulation run, pooled over replications."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
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

    def __add__(self, o: IntervalStats) -> IntervalStats:
        return IntervalStats(
            self.interval,
            self.offered + o.offered,
            self.contained + o.contained,
            self.queued + o.queued,
            self.answered + o.answered,
            self.answered_within + o.answered_within,
            self.abandoned + o.abandoned,
            self.wait_answered + o.wait_answered,
            self.busy_seconds + o.busy_seconds,
            self.staffed_seconds + o.staffed_seconds,
        )


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


def _below(x: FloatArray, width: float, n: int) -> tuple[FloatArray, FloatArray]:
    """For each edge j*width (j = 0..n): how many x lie below it, and their sum."""
    k = np.minimum((x // width).astype(np.int64), n)
    cnt = np.bincount(k, minlength=n + 1)[: n + 1]
    tot = np.bincount(k, weights=x, minlength=n + 1)[: n + 1]
    zero = np.zeros(1)
    return np.concatenate((zero, np.cumsum(cnt)[:n])), np.concatenate((zero, np.cumsum(tot)[:n]))


def _busy_per_interval(start: FloatArray, end: FloatArray, width: float, n: int) -> FloatArray:
    """Busy agent-seconds per interval from service spans [start, end), without sorting:
    busy time before x is the sum over spans of (x - start)+ - (x - end)+."""
    edges = np.arange(n + 1, dtype=np.float64) * width
    ns, ss = _below(start, width, n)
    ne, se = _below(end, width, n)
    return np.diff((ns * edges - ss) - (ne * edges - se))


def _bincount(idx: NDArray[np.int64], n: int, w: FloatArray | None = None) -> FloatArray:
    return np.bincount(idx, weights=w, minlength=n)[:n].astype(np.float64)


def _staffed(model: SimModel, n: int) -> FloatArray:
    """On-duty slot-seconds per interval."""
    out = np.zeros(n)
    for g in model.groups:
        out[: len(g.staff)] += np.asarray(g.staff[:n], dtype=np.float64) * g.capacity
    return out * model.interval_seconds


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
    busy = _busy_per_interval(start[served], start[served] + service[served], width, n)
    staffed = _staffed(model, n)
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
    lists = [np.asarray(c, dtype=np.float64).tolist() for c in cols]
    rows = tuple(IntervalStats(i, *vals) for i, vals in enumerate(zip(*lists, strict=True)))
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
