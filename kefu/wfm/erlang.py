"""Erlang C and Erlang A queueing formulas and the agents-required search.

Erlang C (M/M/n): contacts wait forever.  Erlang A (M/M/n+M): contacts abandon after an
exponentially distributed patience.  Everything is computed with the Erlang B recursion or in
log space, so hundreds of agents and thousands of erlangs never overflow a factorial.

Service level follows DESIGN.md: contacts answered by an agent within ``target_seconds`` of
queueing, divided by *all* queued contacts (abandoned ones included).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "QueueMetrics",
    "Requirement",
    "RequirementTable",
    "ServiceTarget",
    "Workload",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "metrics",
    "required_agents",
    "required_agents_series",
    "required_agents_table",
]

_EPS = 1e-12


@dataclass(frozen=True, slots=True)
class Workload:
    """Contacts offered to one queue during one interval."""

    calls: float
    interval_seconds: float
    aht_seconds: float

    def __post_init__(self) -> None:
        if self.calls < 0 or self.interval_seconds <= 0 or self.aht_seconds <= 0:
            raise ValueError("calls must be >= 0, interval and AHT must be > 0")

    @property
    def arrival_rate(self) -> float:
        """Contacts per second."""
        return self.calls / self.interval_seconds

    @property
    def traffic(self) -> float:
        """Offered load in erlangs (arrival rate x AHT)."""
        return self.arrival_rate * self.aht_seconds


@dataclass(frozen=True, slots=True)
class ServiceTarget:
    """What the staffing must achieve; ``patience_seconds`` switches to Erlang A."""

    service_level: float = 0.8
    target_seconds: float = 20.0
    max_occupancy: float = 1.0
    shrinkage: float = 0.0
    patience_seconds: float | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.service_level < 1.0:
            raise ValueError("service_level must be in [0, 1)")
        if self.target_seconds < 0:
            raise ValueError("target_seconds must be >= 0")
        if not 0.0 < self.max_occupancy <= 1.0:
            raise ValueError("max_occupancy must be in (0, 1]")
        if not 0.0 <= self.shrinkage < 1.0:
            raise ValueError("shrinkage must be in [0, 1)")
        if self.patience_seconds is not None and self.patience_seconds <= 0:
            raise ValueError("patience_seconds must be > 0")


@dataclass(frozen=True, slots=True)
class QueueMetrics:
    """Steady-state performance of one queue with a given number of agents.

    ``asa_seconds`` is the mean wait of *answered* contacts (zero waits included).
    ``p_abandon`` is 0 for Erlang C.
    """

    agents: int
    service_level: float
    asa_seconds: float
    p_wait: float
    p_abandon: float
    occupancy: float


@dataclass(frozen=True, slots=True)
class Requirement:
    """Agents needed on the phones (``agents``) and on the schedule (after shrinkage)."""

    agents: int
    scheduled_agents: int
    metrics: QueueMetrics


def erlang_b(agents: int, traffic: float) -> float:
    """Blocking probability of M/M/n/n, by the stable recursion B(k) = A B(k-1) / (k + A B(k-1))."""
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    return b


def _c_from_b(agents: int, traffic: float, b: float) -> float:
    if agents <= traffic:
        return 1.0
    return agents * b / (agents - traffic * (1.0 - b))


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a contact waits in M/M/n (1.0 when the queue is unstable)."""
    return _c_from_b(agents, traffic, erlang_b(agents, traffic))


def _c_metrics(work: Workload, agents: int, target_seconds: float, p_wait: float) -> QueueMetrics:
    a = work.traffic
    if agents <= a:
        return QueueMetrics(agents, 0.0, math.inf, 1.0, 0.0, 1.0 if agents else 0.0)
    decay = math.exp(-(agents - a) * target_seconds / work.aht_seconds)
    return QueueMetrics(
        agents=agents,
        service_level=max(0.0, 1.0 - p_wait * decay),
        asa_seconds=p_wait * work.aht_seconds / (agents - a),
        p_wait=p_wait,
        p_abandon=0.0,
        occupancy=a / agents,
    )


def erlang_c_metrics(work: Workload, agents: int, target_seconds: float) -> QueueMetrics:
    """Erlang C service level, ASA, P(wait) and occupancy."""
    if work.calls == 0:
        return QueueMetrics(agents, 1.0, 0.0, 0.0, 0.0, 0.0)
    return _c_metrics(work, agents, target_seconds, erlang_c(agents, work.traffic))


def erlang_a_metrics(
    work: Workload, agents: int, target_seconds: float, patience_seconds: float
) -> QueueMetrics:
    """Erlang A (M/M/n+M) service level, ASA of answered contacts, P(wait), P(abandon)."""
    if work.calls == 0:
        return QueueMetrics(agents, 1.0, 0.0, 0.0, 0.0, 0.0)
    from kefu.wfm import _erlang_a  # numpy, only for Erlang A

    r = _erlang_a.solve(
        arrival_rate=work.arrival_rate,
        service_rate=1.0 / work.aht_seconds,
        abandon_rate=1.0 / patience_seconds,
        agents=agents,
        target_seconds=target_seconds,
    )
    carried = work.traffic * (1.0 - r.p_abandon)
    occupancy = min(1.0, carried / agents) if agents else 0.0
    return QueueMetrics(agents, r.service_level, r.asa, r.p_wait, r.p_abandon, occupancy)


def metrics(work: Workload, agents: int, target: ServiceTarget) -> QueueMetrics:
    """Erlang A when the target has a patience, Erlang C otherwise."""
    if target.patience_seconds is None:
        return erlang_c_metrics(work, agents, target.target_seconds)
    return erlang_a_metrics(work, agents, target.target_seconds, target.patience_seconds)


def _meets(m: QueueMetrics, target: ServiceTarget) -> bool:
    return m.service_level >= target.service_level - _EPS and (
        m.occupancy <= target.max_occupancy + _EPS
    )


def _search_c(work: Workload, target: ServiceTarget) -> QueueMetrics:
    """Smallest n meeting the target; one Erlang B step per candidate (O(n) in total)."""
    a, decay = work.traffic, target.target_seconds / work.aht_seconds
    first = max(math.ceil(a / target.max_occupancy - _EPS), math.floor(a) + 1)
    goal = target.service_level - _EPS
    b, n = 1.0, 0
    while True:
        n += 1
        b = a * b / (n + a * b)
        if n < first:
            continue
        c = n * b / (n - a * (1.0 - b))
        if 1.0 - c * math.exp(-(n - a) * decay) >= goal:
            return _c_metrics(work, n, target.target_seconds, c)


def _search_a(work: Workload, target: ServiceTarget) -> QueueMetrics:
    """Erlang A is stable for any n and monotone in n: bracket, then bisect."""
    lo, hi = 0, max(1, math.ceil(work.traffic))
    best = metrics(work, hi, target)
    while not _meets(best, target):
        lo, hi = hi, hi * 2
        best = metrics(work, hi, target)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        m = metrics(work, mid, target)
        if _meets(m, target):
            hi, best = mid, m
        else:
            lo = mid
    return best


def required_agents(work: Workload, target: ServiceTarget) -> Requirement:
    """Fewest agents meeting the service level (and max occupancy), then gross up for shrinkage."""
    if work.calls == 0:
        return Requirement(0, 0, QueueMetrics(0, 1.0, 0.0, 0.0, 0.0, 0.0))
    search = _search_c if target.patience_seconds is None else _search_a
    m = search(work, target)
    scheduled = math.ceil(m.agents / (1.0 - target.shrinkage) - 1e-9)
    return Requirement(m.agents, scheduled, m)


@dataclass(frozen=True, slots=True)
class RequirementTable:
    """Erlang C requirements of many intervals, column by column (cheap to build and ship)."""

    agents: tuple[int, ...]
    scheduled_agents: tuple[int, ...]
    service_level: tuple[float, ...]
    asa_seconds: tuple[float, ...]
    p_wait: tuple[float, ...]
    occupancy: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.agents)

    def row(self, i: int) -> Requirement:
        n = self.agents[i]
        m = QueueMetrics(
            n, self.service_level[i], self.asa_seconds[i], self.p_wait[i], 0.0, self.occupancy[i]
        )
        return Requirement(n, self.scheduled_agents[i], m)


def required_agents_table(workloads: Sequence[Workload], target: ServiceTarget) -> RequirementTable:
    """Erlang C requirement of every interval at once: one vectorised Erlang B recursion over
    the intervals still searching (numpy).  Same answers as :func:`required_agents`."""
    if target.patience_seconds is not None:
        raise ValueError("required_agents_table is Erlang C only; use required_agents_series")
    from kefu.wfm import _erlang_vec

    cols = _erlang_vec.erlang_c_table(
        [w.calls for w in workloads],
        [w.interval_seconds for w in workloads],
        [w.aht_seconds for w in workloads],
        target,
    )
    return RequirementTable(*cols)


def required_agents_series(
    workloads: Sequence[Workload], target: ServiceTarget
) -> list[Requirement]:
    """Requirement for each interval of a series (e.g. 336 half-hours of a week)."""
    if target.patience_seconds is not None or not workloads:
        return [required_agents(w, target) for w in workloads]
    table = required_agents_table(workloads, target)
    return [table.row(i) for i in range(len(table))]
