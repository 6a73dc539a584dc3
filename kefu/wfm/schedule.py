"""Weekly schedules that cover a per-interval, per-skill requirement at least cost (CP-SAT).

Each agent works at most one shift a day, picked from shift templates (start window, length,
break window).  Multi-skill coverage is exact without per-interval task variables: by Gale's
theorem, agents can be assigned to skills to meet demand iff for every non-empty set S of
skills, the agents on duty having any skill in S number at least the demand of S.  So the
model has one covering constraint per (interval, skill subset) and a penalised shortfall.

Agents with the same skills, days, shift limit and cost form a class; the solver picks how
many agents of each class work each shift option (a Dantzig set-covering model, small and
tight), then shifts are handed to named agents, the ones with most shifts left first.
Not modelled yet: rest time between days, shifts crossing midnight for the same agent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from kefu.wfm._schedule_report import (
    Assignment,
    CoverageRow,
    Schedule,
    coverage_report,
    export_csv,
    export_xlsx,
)

__all__ = [
    "Agent",
    "Assignment",
    "CoverageRow",
    "Schedule",
    "ScheduleProblem",
    "ShiftTemplate",
    "build_schedule",
    "export_csv",
    "export_xlsx",
]


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """Shifts of ``length`` intervals starting in [earliest_start, latest_start] (day intervals).

    The break (``break_length`` intervals, 0 for none) starts between ``break_after[0]`` and
    ``break_after[1]`` intervals after the shift start.
    """

    name: str
    length: int
    earliest_start: int
    latest_start: int
    start_step: int = 1
    break_length: int = 0
    break_after: tuple[int, int] = (0, 0)

    def options(self) -> Iterator[tuple[int, int | None]]:
        """(start, break start or None) pairs, relative to the day."""
        for s in range(self.earliest_start, self.latest_start + 1, self.start_step):
            if self.break_length == 0:
                yield s, None
                continue
            for b in range(self.break_after[0], self.break_after[1] + 1):
                yield s, s + b


@dataclass(frozen=True, slots=True)
class Agent:
    name: str
    skills: frozenset[str]
    available_days: frozenset[int] = frozenset(range(7))
    max_shifts: int = 5
    cost_per_interval: float = 1.0


@dataclass(frozen=True, slots=True)
class ScheduleProblem:
    """``requirement[skill][t]`` agents needed in interval t = day * intervals_per_day + i."""

    requirement: Mapping[str, tuple[int, ...]]
    templates: tuple[ShiftTemplate, ...]
    agents: tuple[Agent, ...]
    intervals_per_day: int = 48
    days: int = 7
    interval_minutes: int = 30
    understaffing_penalty: float = 1000.0
    time_limit_seconds: float = 30.0

    @property
    def horizon(self) -> int:
        return self.intervals_per_day * self.days


@dataclass(frozen=True, slots=True)
class _Option:
    klass: int
    day: int
    template: ShiftTemplate
    start: int  # absolute interval
    break_start: int | None

    def on_duty(self, horizon: int) -> list[int]:
        tpl, brk = self.template, self.break_start
        off = range(0) if brk is None else range(brk, brk + tpl.break_length)
        return [t % horizon for t in range(self.start, self.start + tpl.length) if t not in off]


def _classes(agents: Sequence[Agent]) -> list[list[int]]:
    """Indices of interchangeable agents, grouped."""
    groups: dict[tuple[object, ...], list[int]] = {}
    for i, a in enumerate(agents):
        key = (a.skills, a.available_days, a.max_shifts, a.cost_per_interval)
        groups.setdefault(key, []).append(i)
    return list(groups.values())


def _options(p: ScheduleProblem, classes: list[list[int]]) -> list[_Option]:
    out = []
    for ci, members in enumerate(classes):
        a = p.agents[members[0]]
        for d in sorted(x for x in a.available_days if x < p.days):
            base = d * p.intervals_per_day
            for tpl in p.templates:
                for s, b in tpl.options():
                    out.append(_Option(ci, d, tpl, base + s, None if b is None else base + b))
    return out


def skill_subsets(skills: list[str]) -> list[frozenset[str]]:
    return [frozenset(c) for r in range(1, len(skills) + 1) for c in combinations(skills, r)]


def _add_class_limits(
    model: Any, p: ScheduleProblem, classes: list[list[int]], opts: list[_Option], x: list[Any]
) -> None:
    by_day: dict[tuple[int, int], list[Any]] = {}
    by_class: dict[int, list[Any]] = {}
    for o, v in zip(opts, x, strict=True):
        by_day.setdefault((o.klass, o.day), []).append(v)
        by_class.setdefault(o.klass, []).append(v)
    for (ci, _), vs in by_day.items():
        model.add(sum(vs) <= len(classes[ci]))
    for ci, vs in by_class.items():
        model.add(sum(vs) <= len(classes[ci]) * p.agents[classes[ci][0]].max_shifts)


def _add_coverage(
    model: Any, p: ScheduleProblem, classes: list[list[int]], opts: list[_Option], x: list[Any]
) -> list[Any]:
    on: dict[int, list[tuple[int, Any]]] = {}
    for o, v in zip(opts, x, strict=True):
        for t in o.on_duty(p.horizon):
            on.setdefault(t, []).append((o.klass, v))
    shortfalls: list[Any] = []
    for subset in skill_subsets(sorted(p.requirement)):
        able = {ci for ci, m in enumerate(classes) if p.agents[m[0]].skills & subset}
        for t in range(p.horizon):
            need = sum(p.requirement[s][t] for s in subset)
            if need <= 0:
                continue
            short = model.new_int_var(0, need, f"short_{len(shortfalls)}")
            model.add(sum(v for ci, v in on.get(t, []) if ci in able) + short >= need)
            shortfalls.append(short)
    return shortfalls


def _validate(p: ScheduleProblem) -> None:
    for s, req in p.requirement.items():
        if len(req) != p.horizon:
            raise ValueError(f"requirement for {s!r} has {len(req)} intervals, need {p.horizon}")


def build_schedule(p: ScheduleProblem) -> Schedule:
    """Solve for the cheapest schedule; shortfall is allowed but costs ``understaffing_penalty``."""
    from ortools.sat.python import cp_model

    _validate(p)
    classes = _classes(p.agents)
    opts = _options(p, classes)
    model = cp_model.CpModel()
    x = [model.new_int_var(0, len(classes[o.klass]), f"x{i}") for i, o in enumerate(opts)]
    _add_class_limits(model, p, classes, opts, x)
    shortfalls = _add_coverage(model, p, classes, opts, x)
    rate = [p.agents[classes[o.klass][0]].cost_per_interval for o in opts]
    cost = [round(o.template.length * r * 100) for o, r in zip(opts, rate, strict=True)]
    penalty = round(p.understaffing_penalty * 100)
    model.minimize(sum(c * v for c, v in zip(cost, x, strict=True)) + penalty * sum(shortfalls))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = p.time_limit_seconds
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError("no schedule found within the time limit")
    counts = [(o, solver.value(v)) for o, v in zip(opts, x, strict=True) if solver.value(v)]
    return _to_schedule(p, classes, counts, status == cp_model.OPTIMAL)


def _hand_out(
    p: ScheduleProblem, classes: list[list[int]], counts: list[tuple[_Option, int]]
) -> list[tuple[int, _Option]]:
    """Give each class's shifts to its agents: busiest days first, most shifts left first."""
    left = {i: p.agents[i].max_shifts for m in classes for i in m}
    per_day: dict[tuple[int, int], list[_Option]] = {}
    for o, k in counts:
        per_day.setdefault((o.klass, o.day), []).extend([o] * k)
    out = []
    for (ci, _), shifts in sorted(per_day.items(), key=lambda kv: -len(kv[1])):
        members = sorted(classes[ci], key=lambda i: (-left[i], i))
        for agent, o in zip(members, shifts, strict=False):
            left[agent] -= 1
            out.append((agent, o))
    return out


def _to_schedule(
    p: ScheduleProblem,
    classes: list[list[int]],
    counts: list[tuple[_Option, int]],
    optimal: bool,
) -> Schedule:
    chosen = sorted(_hand_out(p, classes, counts), key=lambda ao: (ao[1].start, ao[0]))
    assignments = tuple(
        Assignment(
            agent=p.agents[ai].name,
            day=o.day,
            template=o.template.name,
            start=o.start,
            end=o.start + o.template.length,
            break_start=o.break_start,
            break_end=None if o.break_start is None else o.break_start + o.template.break_length,
        )
        for ai, o in chosen
    )
    names: list[list[str]] = [[] for _ in range(p.horizon)]
    for ai, o in chosen:
        for t in o.on_duty(p.horizon):
            names[t].append(p.agents[ai].name)
    cost = sum(o.template.length * p.agents[ai].cost_per_interval for ai, o in chosen)
    skills = {a.name: a.skills for a in p.agents}
    rows = coverage_report(p.requirement, names, skills, p.horizon)
    return Schedule(assignments, rows, cost, optimal, p.interval_minutes, p.intervals_per_day)
