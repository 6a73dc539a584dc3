"""Glue between the WFM steps: forecast → requirement → schedule → simulation."""

from __future__ import annotations

from collections.abc import Sequence

from kefu.wfm.erlang import (
    Requirement,
    ServiceTarget,
    Workload,
    required_agents_series,
)
from kefu.wfm.schedule import Agent, Schedule
from kefu.wfm.simulate import AgentGroup

__all__ = ["groups_from_schedule", "requirement_per_interval"]


def requirement_per_interval(
    volumes: Sequence[float],
    aht_seconds: float | Sequence[float],
    interval_seconds: float,
    target: ServiceTarget,
) -> list[Requirement]:
    """Agents needed in each interval of a forecast (Erlang C, or Erlang A with patience)."""
    ahts = [aht_seconds] * len(volumes) if isinstance(aht_seconds, int | float) else aht_seconds
    if len(ahts) != len(volumes):
        raise ValueError("one AHT per interval, or a single AHT")
    work = [Workload(max(0.0, v), interval_seconds, a) for v, a in zip(volumes, ahts, strict=True)]
    return required_agents_series(work, target)


def groups_from_schedule(
    schedule: Schedule, agents: Sequence[Agent], horizon: int, capacity: int = 1
) -> tuple[AgentGroup, ...]:
    """Agents on duty per interval (breaks excluded), one simulation group per skill set."""
    skills = {a.name: a.skills for a in agents}
    staff: dict[frozenset[str], list[int]] = {}
    for s in schedule.assignments:
        row = staff.setdefault(skills[s.agent], [0] * horizon)
        for t in range(s.start, s.end):
            on_break = (
                s.break_start is not None
                and s.break_end is not None
                and (s.break_start <= t < s.break_end)
            )
            if not on_break:
                row[t % horizon] += 1
    return tuple(
        AgentGroup("+".join(sorted(k)), k, tuple(v), capacity)
        for k, v in sorted(staff.items(), key=lambda kv: sorted(kv[0]))
    )
