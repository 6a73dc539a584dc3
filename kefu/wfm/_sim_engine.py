"""The hot loop of the contact-centre simulator (hand-written, heap-based).

Why not SimPy: a SimPy process per contact costs several generator resumptions and event
objects; this loop handles one contact with two heap operations.  It is exact for FCFS
service with patience: contacts are taken in arrival order, and each takes the earliest
agent slot that is free *and on duty*; if that start is later than its patience, the contact
abandons without occupying anyone.  Agents on a shift finish the contact they hold when the
shift ends; they take no new one until their next on-duty window.

Heap entries are (time the slot can next start, slot, end of that on-duty window), so the
common cases (the slot is still on duty at the arrival, or finishes inside its window) need
no look-up at all.
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

    def locate(self, t: float) -> tuple[float, float]:
        """(earliest on-duty time >= t, end of that window); (inf, inf) if none."""
        i = bisect_right(self.ends, t)
        if i == len(self.ends):
            return INF, INF
        s = self.starts[i]
        return (t if s <= t else s), self.ends[i]


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


Entry = tuple[float, int, float]


def _heaps(slots_of_group: Sequence[Sequence[Windows]]) -> list[list[Entry]]:
    heaps = []
    for slots in slots_of_group:
        h = []
        for k, w in enumerate(slots):
            t, end = w.locate(0.0)
            h.append((t, k, end))
        heapq.heapify(h)
        heaps.append(h)
    return heaps


def _head(heap: list[Entry], slots: Sequence[Windows], a: float) -> float:
    """Earliest time >= a at which some slot of this heap can start; re-keys stale entries."""
    if not heap:
        return INF
    while True:
        f, k, wend = heap[0]
        if f >= a:
            return f
        if a < wend:
            return a
        t, end = slots[k].locate(a)
        heapq.heapreplace(heap, (t, k, end))


def _pick(
    heaps: list[list[Entry]],
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
    slots_of_group, groups_of_queue = data.slots_of_group, data.groups_of_queue
    n = len(data.arrival)
    start_out = [math.nan] * n
    group_out = [-1] * n
    replace = heapq.heapreplace
    for i, (a, q, pat, svc) in enumerate(
        zip(data.arrival, data.queue, data.patience, data.service, strict=True)
    ):
        groups = groups_of_queue[q]
        if len(groups) != 1:
            t, g = _pick(heaps, slots_of_group, groups, a)
        else:  # the common case, inlined
            g = groups[0]
            heap = heaps[g]
            if not heap:
                continue
            f, _, wend = heap[0]
            t = f if f >= a else a if a < wend else _head(heap, slots_of_group[g], a)
        if t - a > pat:
            continue
        heap = heaps[g]
        _, k, wend = heap[0]
        end = t + svc
        if end < wend:
            replace(heap, (end, k, wend))
        else:
            nt, nend = slots_of_group[g][k].locate(end)
            replace(heap, (nt, k, nend))
        start_out[i] = t
        group_out[i] = g
    return EngineOutput(start_out, group_out)
