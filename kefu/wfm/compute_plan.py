"""Blocking planning computations behind the API: requirement, weekly schedule, simulation.

Run in a worker thread.  Times in results are local to the tenant; a week's intervals are
numbered t = day × intervals_per_day + slot, as in :mod:`kefu.wfm.schedule`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kefu.wfm.compute import ComputeError
from kefu.wfm.erlang import Requirement, ServiceTarget

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _aht_cells(result: dict[str, Any], aht: float | None) -> list[list[float]]:
    rows: list[list[float | None]] = result["aht_seconds"]
    known = [x for row in rows for x in row if x is not None]
    if aht is None and not known:
        raise ComputeError("wfm_aht_unknown")
    fallback = aht if aht is not None else sum(known) / len(known)
    return [
        [aht if aht is not None else (x if x is not None else fallback) for x in row]
        for row in rows
    ]


def requirement_cells(
    result: dict[str, Any], minutes: int, target: ServiceTarget, aht: float | None
) -> tuple[list[list[float]], list[list[Requirement]]]:
    """AHT and Erlang requirement of every (forecast day, slot)."""
    from kefu.wfm.plan import requirement_per_interval

    ahts = _aht_cells(result, aht)
    vols: list[list[float | None]] = result["volume"]
    flat_v = [float(v or 0.0) for row in vols for v in row]
    flat_a = [a for row in ahts for a in row]
    try:
        reqs = requirement_per_interval(flat_v, flat_a, minutes * 60.0, target)
    except ValueError as e:
        raise ComputeError("wfm_input_invalid", detail=str(e)) from None
    width = len(result["slots"])
    return ahts, [reqs[i : i + width] for i in range(0, len(reqs), width)]


def requirement_rows(
    result: dict[str, Any], minutes: int, target: ServiceTarget, aht: float | None
) -> list[dict[str, Any]]:
    ahts, reqs = requirement_cells(result, minutes, target, aht)
    rows = []
    for i, day in enumerate(result["days"]):
        for j, slot in enumerate(result["slots"]):
            r = reqs[i][j]
            m = r.metrics
            rows.append(
                {
                    "day": day,
                    "slot": slot,
                    "volume": result["volume"][i][j] or 0.0,
                    "aht_seconds": ahts[i][j],
                    "agents": r.agents,
                    "scheduled_agents": r.scheduled_agents,
                    "service_level": m.service_level,
                    "asa_seconds": _finite(m.asa_seconds),
                    "occupancy": m.occupancy,
                    "p_wait": m.p_wait,
                    "p_abandon": m.p_abandon,
                }
            )
    return rows


# --- schedules -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    name: str
    length_minutes: int
    earliest_start: int
    latest_start: int
    start_step_minutes: int
    break_minutes: int
    break_after_min: int
    break_after_max: int


@dataclass(frozen=True, slots=True)
class AgentSpec:
    id: str
    name: str
    skills: frozenset[str]  # the queues it can serve (user skills, team names)
    days_off: frozenset[int] = frozenset()  # days of the week (0 = week_start)


@dataclass(frozen=True, slots=True)
class WeekProblem:
    forecasts: tuple[tuple[str, dict[str, Any]], ...]  # (queue, forecast result), one per queue
    minutes: int
    week_start: date
    templates: tuple[TemplateSpec, ...]
    agents: tuple[AgentSpec, ...]
    target: ServiceTarget
    aht: float | None
    max_shifts: int
    time_limit_seconds: float


def _shift_template(t: TemplateSpec, m: int) -> Any:
    from kefu.wfm.schedule import ShiftTemplate

    values = [t.length_minutes, t.earliest_start, t.latest_start, t.start_step_minutes]
    values += [t.break_minutes, t.break_after_min, t.break_after_max]
    if any(v % m for v in values):
        raise ComputeError("wfm_template_interval", name=t.name, minutes=m)
    return ShiftTemplate(
        t.name,
        t.length_minutes // m,
        t.earliest_start // m,
        t.latest_start // m,
        max(1, t.start_step_minutes // m),
        t.break_minutes // m,
        (t.break_after_min // m, t.break_after_max // m),
    )


def _week_columns(
    p: WeekProblem, result: dict[str, Any]
) -> tuple[list[int], list[float], list[float]]:
    """Scheduled agents, contacts and AHT per interval of the week (0 where not forecast)."""
    ipd = 1440 // p.minutes
    need, vol, aht = [0] * (7 * ipd), [0.0] * (7 * ipd), [0.0] * (7 * ipd)
    ahts, reqs = requirement_cells(result, p.minutes, p.target, p.aht)
    for i, day in enumerate(result["days"]):
        d = (date.fromisoformat(day) - p.week_start).days
        if not 0 <= d < 7:
            continue
        for j, start in enumerate(result["slot_minutes"]):
            t = d * ipd + start // p.minutes
            need[t] = reqs[i][j].scheduled_agents
            vol[t] = float(result["volume"][i][j] or 0.0)
            aht[t] = ahts[i][j]
    return need, vol, aht


def _clock(t: int, m: int, ipd: int, first_weekday: int) -> str:
    """'Fri 09:30' for interval ``t`` of a week whose day 0 is ``first_weekday`` (0 = Monday)."""
    day, i = divmod(t, ipd)
    return f"{WEEKDAYS[(first_weekday + day) % 7]} {i * m // 60:02d}:{i * m % 60:02d}"


def _hhmm(t: int, m: int, ipd: int) -> str:
    i = t % ipd
    return f"{i * m // 60:02d}:{i * m % 60:02d}"


def _assignments(p: WeekProblem, sched: Any, ipd: int) -> list[dict[str, Any]]:
    ids = {a.name: a.id for a in p.agents}
    m = p.minutes
    return [
        {
            "agent_id": ids[a.agent],
            "agent": a.agent,
            "day": a.day,
            "date": (p.week_start + timedelta(days=a.day)).isoformat(),
            "template": a.template,
            "start": _hhmm(a.start, m, ipd),
            "end": _hhmm(a.end, m, ipd),
            "break_start": None if a.break_start is None else _hhmm(a.break_start, m, ipd),
            "break_end": None if a.break_end is None else _hhmm(a.break_end, m, ipd),
            "start_interval": a.start,
            "end_interval": a.end,
        }
        for a in sched.assignments
    ]


def _groups(p: WeekProblem, sched: Any, horizon: int) -> list[dict[str, Any]]:
    """Agents on duty per interval (breaks excluded), one group per set of queues served."""
    from kefu.wfm.plan import groups_from_schedule
    from kefu.wfm.schedule import Agent

    queues = {q for q, _ in p.forecasts}
    agents = [Agent(a.name, a.skills & queues) for a in p.agents]
    return [
        {"skills": sorted(g.skills), "staff": list(g.staff)}
        for g in groups_from_schedule(sched, agents, horizon)
        if g.skills
    ]


def build_week(p: WeekProblem) -> dict[str, Any]:
    """The cheapest weekly schedule covering every queue's requirement (CP-SAT, multi-skill)."""
    from kefu.wfm.schedule import Agent, ScheduleProblem, build_schedule

    if 1440 % p.minutes:
        raise ComputeError("wfm_input_invalid", detail="interval must divide a day")
    ipd = 1440 // p.minutes
    columns = {q: _week_columns(p, result) for q, result in p.forecasts}
    templates = tuple(_shift_template(t, p.minutes) for t in p.templates)
    agents = tuple(
        Agent(
            a.name,
            a.skills & set(columns),
            available_days=frozenset(range(7)) - a.days_off,
            max_shifts=p.max_shifts,
        )
        for a in p.agents
    )
    problem = ScheduleProblem(
        {q: tuple(c[0]) for q, c in columns.items()}, templates, agents, ipd, 7, p.minutes,
        time_limit_seconds=p.time_limit_seconds,
    )  # fmt: skip
    try:
        sched = build_schedule(problem)
    except RuntimeError:
        raise ComputeError("wfm_schedule_failed") from None
    return _week_result(p, sched, columns)


def _week_result(
    p: WeekProblem, sched: Any, columns: dict[str, tuple[list[int], list[float], list[float]]]
) -> dict[str, Any]:
    ipd = 1440 // p.minutes
    cov = sched.coverage
    return {
        "optimal": sched.optimal,
        "cost": sched.cost,
        "intervals_per_day": ipd,
        "assignments": _assignments(p, sched, ipd),
        "coverage": {
            "labels": week_labels(len(cov), p.minutes, p.week_start),
            "required": [c.required for c in cov],
            "scheduled": [c.scheduled for c in cov],
            "under": [c.under for c in cov],
            "over": [c.over for c in cov],
        },
        "totals": {
            "shifts": len(sched.assignments),
            "under_intervals": sum(1 for c in cov if c.under),
            "under_agent_intervals": sum(c.under for c in cov),
            "over_agent_intervals": sum(c.over for c in cov),
        },
        "queues": [
            {"queue": q, "required": need, "volume": vol, "aht_seconds": aht}
            for q, (need, vol, aht) in columns.items()
        ],
        "groups": _groups(p, sched, 7 * ipd),
    }


def schedule_files(result: dict[str, Any], minutes: int, fmt: str) -> bytes:
    """The stored schedule as CSV (shifts) or XLSX (sheets schedule and coverage)."""
    import csv
    import io

    head = ["agent", "date", "template", "start", "end", "break_start", "break_end"]
    shifts = [head] + [
        [a["agent"], a["date"], a["template"], a["start"], a["end"],
         a["break_start"] or "", a["break_end"] or ""]
        for a in result["assignments"]
    ]  # fmt: skip
    cov = result["coverage"]
    cover = [["interval", "required", "scheduled", "under", "over"]] + [
        list(row)
        for row in zip(
            cov["labels"], cov["required"], cov["scheduled"], cov["under"], cov["over"], strict=True
        )
    ]
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf).writerows(shifts)
        return buf.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "schedule"
    for row in shifts:
        ws.append(row)
    sheet = wb.create_sheet("coverage")
    for row in cover:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def week_labels(n: int, minutes: int, week_start: date) -> list[str]:
    ipd = 1440 // minutes
    return [_clock(t, minutes, ipd, week_start.weekday()) for t in range(n)]


def weighted_aht(volume: Sequence[float], aht: Sequence[float]) -> float | None:
    total = sum(volume)
    if not total:
        return None
    return sum(v * a for v, a in zip(volume, aht, strict=True)) / total
