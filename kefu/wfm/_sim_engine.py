"""The hot loop of the contact-centre simulator (hand-written, heap-based).

Why not SimPy: a SimPy process per contact costs several generator resumptions and event
objects; this loop handles one contact with two heap operations.  It is exact for FCFS
service with patience: contacts are taken in arrival order, and each takes the earliest
agent slot that is free *and on duty*; if that start is later than its patience, the contact
abandons without occupying anyone.  Agents on a shift finish the contact they hold when the
shift ends; they take no new one until their next on-duty window.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

INF = math.inf


@dataclass(frozen=True, slots=True)
class Windows:
    """Sorted, disjoint on-duty windows [starts[i], ends[i]) of one agent slot."""

    starts: tuple[float, ...]
    ends: tuple[float, ...]

    def next_on_duty(self, t: float) -> float:
        i = bisect_right(self.ends, t)
        if i == len(self.ends):
            return INF
        s = self.starts[i]
        return t if s <= t else s


@dataclass(frozen=True, slots=True)
class EngineInput:
    """Contacts sorted by arrival; ``groups_of_queue[q]`` lists agent groups serving queue q."""

    arrival: Sequence[float]
    queue: Sequence[int]
    patience: Sequence[float]
    service: Sequence[float]
    slots_of_group: Sequence[Sequence[Windows]]
    groups_of_queue: Sequence[Sequence[int]]


@dataclass(frozen=True, slots=True)
class EngineOutput:
    """Per contact: start time (NaN if abandoned) and the group that served it (-1 if none)."""

    start: list[float]
    group: list[int]


def _heaps(slots_of_group: Sequence[Sequence[Windows]]) -> list[list[tuple[float, int]]]:
    heaps = []
    for slots in slots_of_group:
        h = [(w.next_on_duty(0.0), k) for k, w in enumerate(slots)]
        heapq.heapify(h)
        heaps.append(h)
    return heaps


def _head(heap: list[tuple[float, int]], slots: Sequence[Windows], a: float) -> float:
    """Earliest time >= a at which some slot of this heap can start; re-keys stale entries."""
    if not heap:
        return INF
    while True:
        f, k = heap[0]
        if f >= a:
            return f
        g = slots[k].next_on_duty(a)
        if g == a:
            return a
        heapq.heapreplace(heap, (g, k))


def _pick(
    heaps: list[list[tuple[float, int]]],
    slots_of_group: Sequence[Sequence[Windows]],
    groups: Sequence[int],
    a: float,
) -> tuple[float, int]:
    """(earliest start, group) over the groups able to serve the contact."""
    best_t, best_g = INF, -1
    for g in groups:
        t = _head(heaps[g], slots_of_group[g], a)
        if t < best_t:
            best_t, best_g = t, g
    return best_t, best_g


def run(data: EngineInput) -> EngineOutput:
    """Simulate all contacts; returns their start times and serving groups."""
    heaps = _heaps(data.slots_of_group)
    slots_of_group = data.slots_of_group
    groups_of_queue = data.groups_of_queue
    n = len(data.arrival)
    start_out = [math.nan] * n
    group_out = [-1] * n
    replace = heapq.heapreplace
    for i, (a, q, pat, svc) in enumerate(
        zip(data.arrival, data.queue, data.patience, data.service, strict=True)
    ):
        groups = groups_of_queue[q]
        if len(groups) == 1:  # the common case, without the selection loop
            g = groups[0]
            heap = heaps[g]
            t = heap[0][0] if heap else INF
            if t < a:
                t = _head(heap, slots_of_group[g], a)
        else:
            t, g = _pick(heaps, slots_of_group, groups, a)
        if t - a > pat:
            continue
        heap = heaps[g]
        k = heap[0][1]
        replace(heap, (slots_of_group[g][k].next_on_duty(t + svc), k))
        start_out[i] = t
        group_out[i] = g
    return EngineOutput(start_out, group_out)
