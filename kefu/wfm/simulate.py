"""Discrete-event simulation of the contact chain, interval by interval.

arrivals (Poisson per interval) → bot containment → queues by skill → agent groups with
schedules and concurrent capacity → abandonment by patience → handle times.  Results per
interval: service level (answered within T ÷ all queued, abandoned included, as in DESIGN.md),
ASA of answered contacts, abandonment and occupancy; intervals missing the target are named
bottlenecks.  What-if scenarios live in :mod:`kefu.wfm.scenarios`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kefu.wfm import _sim_engine as engine
from kefu.wfm._sim_stats import IntervalStats, SimResult, summarise

__all__ = [
    "AgentGroup",
    "IntervalStats",
    "QueueSpec",
    "SimConfig",
    "SimModel",
    "SimResult",
    "simulate",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class QueueSpec:
    """One queue (skill): offered contacts per interval, handle time and patience means.

    Handle times are exponential (as Erlang assumes) unless ``aht_cv`` is set: then they are
    lognormal with that coefficient of variation.  Patience is exponential.
    """

    name: str
    calls: tuple[float, ...]
    aht_seconds: float
    patience_seconds: float
    bot_containment: float = 0.0
    aht_cv: float | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.bot_containment <= 1.0:
            raise ValueError("bot_containment must be in [0, 1]")
        if self.aht_seconds <= 0 or self.patience_seconds <= 0:
            raise ValueError("aht_seconds and patience_seconds must be > 0")


@dataclass(frozen=True, slots=True)
class AgentGroup:
    """Agents sharing skills and a schedule: ``staff[i]`` on duty in interval i."""

    name: str
    skills: frozenset[str]
    staff: tuple[int, ...]
    capacity: int = 1


@dataclass(frozen=True, slots=True)
class SimModel:
    queues: tuple[QueueSpec, ...]
    groups: tuple[AgentGroup, ...]
    interval_seconds: float

    @property
    def n_intervals(self) -> int:
        return max(len(q.calls) for q in self.queues)


@dataclass(frozen=True, slots=True)
class SimConfig:
    target_seconds: float = 20.0
    target_service_level: float = 0.8
    replications: int = 1
    seed: int = 0
    warmup_intervals: int = 0


@dataclass(frozen=True, slots=True)
class _Contacts:
    arrival: FloatArray
    queue: NDArray[np.int64]
    patience: FloatArray
    service: FloatArray
    contained: NDArray[np.int64]  # bot-resolved contacts per interval


def _arrivals(model: SimModel, rng: np.random.Generator) -> _Contacts:
    width, n_int = model.interval_seconds, model.n_intervals
    parts: list[tuple[FloatArray, int, QueueSpec]] = []
    contained = np.zeros(n_int, dtype=np.int64)
    for qi, q in enumerate(model.queues):
        counts = rng.poisson(np.asarray(q.calls, dtype=np.float64))
        bot = rng.binomial(counts, q.bot_containment)
        contained[: bot.size] += bot
        human = counts - bot
        base = np.repeat(np.arange(human.size) * width, human)
        parts.append((base + rng.uniform(0.0, width, base.size), qi, q))
    arrival = np.concatenate([p[0] for p in parts])
    queue = np.concatenate([np.full(p[0].size, p[1], dtype=np.int64) for p in parts])
    patience = np.concatenate([rng.exponential(p[2].patience_seconds, p[0].size) for p in parts])
    service = np.concatenate([_handle_times(p[2], p[0].size, rng) for p in parts])
    order = np.argsort(arrival, kind="stable")
    return _Contacts(arrival[order], queue[order], patience[order], service[order], contained)


def _handle_times(q: QueueSpec, n: int, rng: np.random.Generator) -> FloatArray:
    if q.aht_cv is None:
        return rng.exponential(q.aht_seconds, n)
    sigma2 = math.log1p(q.aht_cv**2)
    return rng.lognormal(math.log(q.aht_seconds) - sigma2 / 2, math.sqrt(sigma2), n)


def _windows(staff: Sequence[int], rank: int, width: float) -> engine.Windows:
    """On-duty windows of the rank-th agent of a group (on duty while rank < staff[i])."""
    starts: list[float] = []
    ends: list[float] = []
    for i, s in enumerate(staff):
        if rank >= s:
            continue
        if ends and ends[-1] == i * width:
            ends[-1] = (i + 1) * width
        else:
            starts.append(i * width)
            ends.append((i + 1) * width)
    return engine.Windows(tuple(starts), tuple(ends))


def _slots(model: SimModel) -> list[list[engine.Windows]]:
    out = []
    for g in model.groups:
        agents = [
            _windows(g.staff, r, model.interval_seconds) for r in range(max(g.staff, default=0))
        ]
        out.append([w for w in agents for _ in range(g.capacity)])
    return out


def _routing(model: SimModel) -> list[list[int]]:
    return [[gi for gi, g in enumerate(model.groups) if q.name in g.skills] for q in model.queues]


def _replicate(model: SimModel, config: SimConfig, rng: np.random.Generator) -> SimResult:
    c = _arrivals(model, rng)
    out = engine.run(
        engine.EngineInput(
            arrival=c.arrival.tolist(),
            queue=c.queue.tolist(),
            patience=c.patience.tolist(),
            service=c.service.tolist(),
            slots_of_group=_slots(model),
            groups_of_queue=_routing(model),
        )
    )
    start = np.asarray(out.start, dtype=np.float64)
    return summarise(model, config, c.arrival, start, c.service, c.contained)


def simulate(model: SimModel, config: SimConfig | None = None) -> SimResult:
    """Run ``config.replications`` independent replications and pool their counts."""
    config = config or SimConfig()
    seeds = np.random.SeedSequence(config.seed).spawn(config.replications)
    runs = [_replicate(model, config, np.random.default_rng(s)) for s in seeds]
    return SimResult.pool(runs, config)
